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
