/*
 * Copyright 2026 The TokenLedger authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.tokenledger.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuaranteedSettingsTest {

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "streams.processing.guarantee, at_least_once",
        "streams.processing.guarantee, exactly_once",
        "streams.enable.idempotence, false",
        "streams.producer.enable.idempotence, false",
        "producer.enable.idempotence, false",
        "streams.acks, 1",
        "streams.producer.acks, 0",
        "producer.acks, 1",
        "producer.max.in.flight.requests.per.connection, 6",
        "streams.producer.max.in.flight.requests.per.connection, 10",
        "streams.max.in.flight.requests.per.connection, 6",
        "producer.retries, 0",
        "streams.isolation.level, read_uncommitted",
        "streams.consumer.isolation.level, read_uncommitted",
        "streams.main.consumer.isolation.level, read_uncommitted",
        "streams.restore.consumer.isolation.level, read_uncommitted",
        "streams.global.consumer.isolation.level, read_uncommitted",
        "consumer.isolation.level, read_uncommitted",
    })
    void streamsOverridesThatBreakExactlyOnceAreRefusedNamingTheKeyAsWritten(String key, String value) {
        assertThatThrownBy(() -> GuaranteedSettings.streamsPassThrough(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration " + key + ":")
                .hasMessageContaining("Remove the setting");
    }

    @Test
    void allowedStreamsOverridesPassThroughWithTheirClientPrefix() {
        final Map<String, Object> in = new HashMap<>();
        in.put("streams.num.standby.replicas", "1");
        in.put("streams.security.protocol", "SASL_SSL");
        in.put("streams.processing.guarantee", "exactly_once_v2");
        in.put("streams.acks", "all");
        in.put("producer.acks", "-1");
        in.put("producer.enable.idempotence", true);
        in.put("producer.max.in.flight.requests.per.connection", 5);
        in.put("producer.linger.ms", "5");
        in.put("consumer.isolation.level", "read_committed");
        in.put("consumer.max.poll.records", "2000");
        in.put("registry.basic.auth.user.info", "u:p");
        in.put("commit.interval.ms", "20");

        assertThat(GuaranteedSettings.streamsPassThrough(in))
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("acks", "all")
                .containsEntry("producer.acks", "-1")
                .containsEntry("producer.enable.idempotence", true)
                .containsEntry("producer.max.in.flight.requests.per.connection", 5)
                .containsEntry("producer.linger.ms", "5")
                .containsEntry("consumer.isolation.level", "read_committed")
                .containsEntry("consumer.max.poll.records", "2000")
                .doesNotContainKeys("registry.basic.auth.user.info", "basic.auth.user.info", "commit.interval.ms")
                .hasSize(10);
    }

    @ParameterizedTest(name = "producer {0}={1} is refused")
    @CsvSource({
        "enable.idempotence, false",
        "enable.idempotence, no",
        "acks, 1",
        "acks, 0",
        "max.in.flight.requests.per.connection, 6",
        "max.in.flight.requests.per.connection, 0",
        "max.in.flight.requests.per.connection, many",
        "retries, 0",
        "transactional.id, my-app",
    })
    void idempotentProducerOverridesAreRefused(String key, String value) {
        assertThatThrownBy(() -> GuaranteedSettings.requireIdempotentProducer(Map.of(key, value), "producer."))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration producer." + key + ":");
    }

    @Test
    void safeProducerOverridesPass() {
        assertThatCode(() -> GuaranteedSettings.requireIdempotentProducer(Map.of("enable.idempotence", "TRUE", "acks", "ALL",
                "max.in.flight.requests.per.connection", "1", "retries", 2147483647, "linger.ms", 20,
                "security.protocol", "SASL_SSL"), "producer.")).doesNotThrowAnyException();
    }

    @Test
    void readCommittedConsumersRefuseReadUncommitted() {
        assertThatThrownBy(() -> GuaranteedSettings.requireReadCommittedConsumer(Map.of("isolation.level", "read_uncommitted"), ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value read_uncommitted for configuration isolation.level:");
        assertThatCode(() -> GuaranteedSettings.requireReadCommittedConsumer(Map.of("isolation.level", "READ_COMMITTED",
                "fetch.max.wait.ms", 50), "")).doesNotThrowAnyException();
    }

    @Test
    void replicationFactorDefaultsToTheBrokersAndRefusesZero() {
        assertThat(ReplicationFactor.forNewTopic(ReplicationFactor.BROKER_DEFAULT)).isEmpty();
        assertThat(ReplicationFactor.forNewTopic(3)).contains((short) 3);
        assertThatCode(() -> ReplicationFactor.VALIDATOR.ensureValid("replication.factor", -1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReplicationFactor.VALIDATOR.ensureValid("replication.factor", 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("replication.factor").hasMessageContaining("-1");
    }
}
