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
package dev.tokenledger.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AggregatorConfigTest {
    @Test
    void defaultsAreDocumented() {
        AggregatorConfig c = new AggregatorConfig(Map.of());
        assertThat(c.grace()).isEqualTo(Duration.ofHours(72));
        assertThat(c.dedupHorizon()).isEqualTo(Duration.ofDays(7));
        assertThat(c.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(AggregatorConfig.configDef().configKeys().values()).allSatisfy(k -> assertThat(k.documentation).isNotBlank());
    }

    @Test
    void catalogAgeWarningDefaultsToNinetyDaysAndZeroTurnsItOff() {
        assertThat(new AggregatorConfig(Map.of()).catalogMaxAgeDays()).isEqualTo(90);
        assertThat(new AggregatorConfig(Map.of(AggregatorConfig.CATALOG_MAX_AGE_DAYS_CONFIG, "0")).catalogMaxAgeDays()).isZero();
        assertThat(AggregatorConfig.configDef().configKeys().get(AggregatorConfig.CATALOG_MAX_AGE_DAYS_CONFIG).group)
                .isEqualTo(AggregatorConfig.PRICING_GROUP);
        assertThatThrownBy(() -> new AggregatorConfig(Map.of(AggregatorConfig.CATALOG_MAX_AGE_DAYS_CONFIG, "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AggregatorConfig.CATALOG_MAX_AGE_DAYS_CONFIG);
    }

    @Test
    void crossFieldAndValueErrorsNameTheField() {
        assertThatThrownBy(() -> new AggregatorConfig(Map.of(AggregatorConfig.GRACE_CONFIG, "90000000",
                AggregatorConfig.DEDUP_HORIZON_CONFIG, "3600000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AggregatorConfig.GRACE_CONFIG)
                .hasMessageContaining(AggregatorConfig.DEDUP_HORIZON_CONFIG);
        assertThatThrownBy(() -> new AggregatorConfig(Map.of(AggregatorConfig.TIME_ZONE_CONFIG, "Mars/Olympus")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Mars/Olympus");
    }

    @Test
    void streamsPrefixedKeysPassThrough() {
        AggregatorConfig c = new AggregatorConfig(Map.of("streams.num.standby.replicas", "1"));
        assertThat(AggregatorApp.streamsProperties(c, 7081))
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("ensure.explicit.internal.resource.naming", true)
                .containsEntry("application.server", "127.0.0.1:7081");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "streams.processing.guarantee, at_least_once",
        "streams.enable.idempotence, false",
        "streams.producer.enable.idempotence, false",
        "producer.enable.idempotence, false",
        "producer.acks, 1",
        "streams.acks, 0",
        "producer.max.in.flight.requests.per.connection, 6",
        "streams.isolation.level, read_uncommitted",
        "consumer.isolation.level, read_uncommitted",
        "streams.main.consumer.isolation.level, read_uncommitted",
        "streams.restore.consumer.isolation.level, read_uncommitted",
        "streams.global.consumer.isolation.level, read_uncommitted",
    })
    void overridesThatWouldBreakExactlyOnceAreRefusedAtStart(String key, String value) {
        assertThatThrownBy(() -> new AggregatorConfig(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration " + key + ":");
    }

    @Test
    void producerConsumerAndRegistryPrefixesPassThrough() {
        AggregatorConfig c = new AggregatorConfig(Map.of("producer.linger.ms", "5", "consumer.max.poll.records", "2000",
                "streams.producer.max.in.flight.requests.per.connection", "1", "registry.basic.auth.user.info", "u:p"));
        assertThat(AggregatorApp.streamsProperties(c, null))
                .containsEntry("producer.linger.ms", "5")
                .containsEntry("consumer.max.poll.records", "2000")
                .containsEntry("producer.max.in.flight.requests.per.connection", "1")
                .doesNotContainKey("registry.basic.auth.user.info");
        assertThat(c.registryConfig()).containsEntry("basic.auth.user.info", "u:p")
                .containsEntry("schema.registry.url", "http://127.0.0.1:8081");
    }

    @Test
    void theFormerSerdePrefixStillReachesTheSerdesButRegistryWins() {
        AggregatorConfig c = new AggregatorConfig(Map.of("serde.basic.auth.user.info", "old:secret",
                "serde.basic.auth.credentials.source", "USER_INFO", "registry.basic.auth.user.info", "new:secret"));
        assertThat(c.registryConfig()).containsEntry("basic.auth.user.info", "new:secret")
                .containsEntry("basic.auth.credentials.source", "USER_INFO");
    }

    @Test
    void internalTopicsTakeTheBrokersReplicationFactorUnlessSet() {
        Properties defaults = AggregatorApp.streamsProperties(new AggregatorConfig(Map.of()), null);
        assertThat(defaults).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        assertThat(AggregatorApp.streamsProperties(new AggregatorConfig(Map.of(AggregatorConfig.REPLICATION_FACTOR_CONFIG, "3")), null))
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        assertThatThrownBy(() -> new AggregatorConfig(Map.of(AggregatorConfig.REPLICATION_FACTOR_CONFIG, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(AggregatorConfig.REPLICATION_FACTOR_CONFIG);
    }

    @Test
    void everyKeyHasAGroup() {
        assertThat(AggregatorConfig.configDef().configKeys().values()).allSatisfy(k -> assertThat(k.group).isNotBlank());
    }
}
