package dev.tokenledger.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

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
}
