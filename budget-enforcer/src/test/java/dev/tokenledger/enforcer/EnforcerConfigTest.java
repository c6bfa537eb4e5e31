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
package dev.tokenledger.enforcer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnforcerConfigTest {
    private static final Map<String, Object> BASE = Map.of(
            EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
            EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8081");

    @Test
    void catalogAgeWarningDefaultsToNinetyDaysAndZeroTurnsItOff() {
        assertThat(new EnforcerConfig(BASE).catalogMaxAgeDays()).isEqualTo(90);
        final Map<String, Object> off = new HashMap<>(BASE);
        off.put(EnforcerConfig.CATALOG_MAX_AGE_DAYS_CONFIG, "0");
        assertThat(new EnforcerConfig(off).catalogMaxAgeDays()).isZero();
        final Map<String, Object> negative = new HashMap<>(BASE);
        negative.put(EnforcerConfig.CATALOG_MAX_AGE_DAYS_CONFIG, "-1");
        assertThatThrownBy(() -> new EnforcerConfig(negative)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(EnforcerConfig.CATALOG_MAX_AGE_DAYS_CONFIG);
    }

    @Test
    void streamsRunExactlyOnceWithExplicitNamingAndAShortCommit() {
        final Properties p = new EnforcerConfig(BASE).streamsProperties();
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isEqualTo(true);
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(20L);
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("tokenledger-enforcer");
    }

    @Test
    void commitIntervalLongerThanTheHeartbeatIsRefusedNamingTheSetting() {
        final HashMap<String, Object> m = new HashMap<>(BASE);
        m.put(EnforcerConfig.COMMIT_INTERVAL_MS_CONFIG, 5000L);
        assertThatThrownBy(() -> new EnforcerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("commit.interval.ms").hasMessageContaining("heartbeat.interval.ms");
    }

    @Test
    void bootstrapIsRequired() {
        assertThatThrownBy(() -> new EnforcerConfig(Map.of(EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "streams.processing.guarantee, at_least_once",
        "processing.guarantee, at_least_once",
        "streams.enable.idempotence, false",
        "producer.enable.idempotence, false",
        "streams.producer.acks, 1",
        "producer.acks, 0",
        "acks, 1",
        "producer.max.in.flight.requests.per.connection, 6",
        "streams.isolation.level, read_uncommitted",
        "consumer.isolation.level, read_uncommitted",
        "main.consumer.isolation.level, read_uncommitted",
        "streams.restore.consumer.isolation.level, read_uncommitted",
        "streams.global.consumer.isolation.level, read_uncommitted",
    })
    void overridesThatWouldBreakExactlyOnceAreRefusedAtStart(String key, String value) {
        assertThatThrownBy(() -> new EnforcerConfig(with(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration " + key + ":");
    }

    @Test
    void prefixedSettingsPassThroughAsInTheAggregator() {
        final Map<String, Object> m = new HashMap<>(BASE);
        m.put("streams.num.standby.replicas", "1");
        m.put("streams.security.protocol", "SSL");
        m.put("producer.max.in.flight.requests.per.connection", "5");
        m.put("consumer.fetch.max.wait.ms", "10");
        m.put("registry.basic.auth.user.info", "u:p");
        final EnforcerConfig c = new EnforcerConfig(m);
        assertThat(c.streamsProperties())
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("producer.max.in.flight.requests.per.connection", "5")
                .containsEntry("consumer.fetch.max.wait.ms", "10")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .doesNotContainKeys("streams.num.standby.replicas", "registry.basic.auth.user.info", "basic.auth.user.info");
        assertThat(c.registryConfig()).containsEntry("basic.auth.user.info", "u:p")
                .containsEntry("schema.registry.url", "http://127.0.0.1:8081");
        assertThat(c.adminConfig()).containsEntry("security.protocol", "SSL").containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void unprefixedSettingsStillWorkDeprecated() {
        final Map<String, Object> m = new HashMap<>(BASE);
        m.put("num.standby.replicas", "1");
        m.put("basic.auth.user.info", "old:secret");
        m.put("streams.num.standby.replicas", "2");
        final EnforcerConfig c = new EnforcerConfig(m);
        assertThat(c.streamsProperties()).containsEntry("num.standby.replicas", "2").doesNotContainKey("basic.auth.user.info");
        assertThat(c.registryConfig()).containsEntry("basic.auth.user.info", "old:secret");
    }

    @Test
    void topicsTakeTheBrokersReplicationFactorUnlessSet() {
        assertThat(new EnforcerConfig(BASE).streamsProperties()).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        assertThat(new EnforcerConfig(BASE).replicationFactor()).isEqualTo(-1);
        assertThat(new EnforcerConfig(with(EnforcerConfig.REPLICATION_FACTOR_CONFIG, "3")).streamsProperties())
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        assertThatThrownBy(() -> new EnforcerConfig(with(EnforcerConfig.REPLICATION_FACTOR_CONFIG, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EnforcerConfig.REPLICATION_FACTOR_CONFIG);
    }

    @Test
    void everyKeyHasAGroupAndADoc() {
        assertThat(EnforcerConfig.configDef().configKeys().values()).allSatisfy(k -> {
            assertThat(k.group).isNotBlank();
            assertThat(k.documentation).isNotBlank();
        });
    }

    private static Map<String, Object> with(String key, Object value) {
        final Map<String, Object> m = new HashMap<>(BASE);
        m.put(key, value);
        return m;
    }
}
