package dev.tokenledger.enforcer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class EnforcerConfigTest {
    private static final Map<String, Object> BASE = Map.of(
            EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
            EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8081");

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
        final java.util.HashMap<String, Object> m = new java.util.HashMap<>(BASE);
        m.put(EnforcerConfig.COMMIT_INTERVAL_MS_CONFIG, 5000L);
        assertThatThrownBy(() -> new EnforcerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("commit.interval.ms").hasMessageContaining("heartbeat.interval.ms");
    }

    @Test
    void bootstrapIsRequired() {
        assertThatThrownBy(() -> new EnforcerConfig(Map.of(EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
    }
}
