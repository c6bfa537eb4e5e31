package dev.tokenledger.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerAgentMetricsTest {
    @Test
    void countsEveryOutcomeUnderOneMeterName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerAgentMetrics m = new MicrometerAgentMetrics(registry);
        m.queued();
        m.queued();
        m.sent(TimeUnit.MILLISECONDS.toNanos(4));
        m.spooled(5);
        m.drained(3);
        m.dropped("queue", 2);
        m.dropped("spool", 7);
        assertThat(registry.get("tokenledger.agent.events").tag("outcome", "queued").counter().count()).isEqualTo(2);
        assertThat(registry.get("tokenledger.agent.events").tag("outcome", "spooled").counter().count()).isEqualTo(5);
        assertThat(registry.get("tokenledger.agent.events").tag("outcome", "drained").counter().count()).isEqualTo(3);
        assertThat(registry.get("tokenledger.agent.events").tags("outcome", "dropped", "where", "queue").counter().count()).isEqualTo(2);
        assertThat(registry.get("tokenledger.agent.events").tags("outcome", "dropped", "where", "spool").counter().count()).isEqualTo(7);
        assertThat(registry.get("tokenledger.agent.send.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
    }
}
