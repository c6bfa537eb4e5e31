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

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * {@link AgentMetrics} published to a Micrometer registry (optional dependency
 * {@code io.micrometer:micrometer-core}): counters {@code tokenledger.agent.events} tagged
 * {@code outcome=queued|sent|spooled|drained|dropped} (dropped also tagged {@code where=queue|spool}),
 * {@code tokenledger.agent.spool.corrupt.bytes}, and the timer {@code tokenledger.agent.send.latency}
 * (enqueue to Kafka acknowledgement).
 */
public final class MicrometerAgentMetrics implements AgentMetrics {
    private final Counter queued;
    private final Counter sent;
    private final Counter spooled;
    private final Counter drained;
    private final Counter droppedQueue;
    private final Counter droppedSpool;
    private final Counter corrupt;
    private final Timer latency;

    public MicrometerAgentMetrics(MeterRegistry registry) {
        this.queued = counter(registry, "queued");
        this.sent = counter(registry, "sent");
        this.spooled = counter(registry, "spooled");
        this.drained = counter(registry, "drained");
        this.droppedQueue = Counter.builder("tokenledger.agent.events").tag("outcome", "dropped").tag("where", "queue")
                .description("Usage events dropped because the in-memory queue was full").register(registry);
        this.droppedSpool = Counter.builder("tokenledger.agent.events").tag("outcome", "dropped").tag("where", "spool")
                .description("Usage events dropped because the disk spool was full").register(registry);
        this.corrupt = Counter.builder("tokenledger.agent.spool.corrupt.bytes")
                .description("Bytes of damaged spool records skipped").register(registry);
        this.latency = Timer.builder("tokenledger.agent.send.latency")
                .description("From enqueue on the caller's thread to the Kafka acknowledgement").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("tokenledger.agent.events").tag("outcome", outcome).tag("where", "-")
                .description("Usage events by emission outcome").register(registry);
    }

    @Override
    public void queued() {
        queued.increment();
    }

    @Override
    public void sent(long latencyNanos) {
        sent.increment();
        latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void spooled(int count) {
        spooled.increment(count);
    }

    @Override
    public void drained(int count) {
        drained.increment(count);
    }

    @Override
    public void dropped(String where, int count) {
        ("spool".equals(where) ? droppedSpool : droppedQueue).increment(count);
    }

    @Override
    public void spoolCorruption(long bytesSkipped) {
        corrupt.increment(bytesSkipped);
    }
}
