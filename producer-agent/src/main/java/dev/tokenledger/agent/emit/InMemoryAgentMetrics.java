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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** {@link AgentMetrics} kept in memory: counters plus an HdrHistogram of send latency (microseconds). */
public final class InMemoryAgentMetrics implements AgentMetrics {
    private final LongAdder queued = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private final LongAdder drained = new LongAdder();
    private final LongAdder droppedQueue = new LongAdder();
    private final LongAdder droppedSpool = new LongAdder();
    private final LongAdder corruptBytes = new LongAdder();
    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);
    private final Histogram total = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);

    @Override
    public void queued() {
        queued.increment();
    }

    @Override
    public void sent(long latencyNanos) {
        sent.increment();
        latency.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(Math.max(0, latencyNanos)), TimeUnit.MINUTES.toMicros(10)));
    }

    @Override
    public void spooled(int count) {
        spooled.add(count);
    }

    @Override
    public void drained(int count) {
        drained.add(count);
    }

    @Override
    public void dropped(String where, int count) {
        if ("spool".equals(where)) {
            droppedSpool.add(count);
        } else {
            droppedQueue.add(count);
        }
    }

    @Override
    public void spoolCorruption(long bytesSkipped) {
        corruptBytes.add(bytesSkipped);
    }

    public long queuedCount() {
        return queued.sum();
    }

    public long sentCount() {
        return sent.sum();
    }

    public long spooledCount() {
        return spooled.sum();
    }

    public long drainedCount() {
        return drained.sum();
    }

    public long droppedCount() {
        return droppedQueue.sum() + droppedSpool.sum();
    }

    public long droppedFromQueue() {
        return droppedQueue.sum();
    }

    public long droppedFromSpool() {
        return droppedSpool.sum();
    }

    public long corruptBytes() {
        return corruptBytes.sum();
    }

    /** Send latency so far (enqueue to Kafka acknowledgement), in microseconds. */
    public synchronized Histogram sendLatencyMicros() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }

    @Override
    public String toString() {
        return "queued=" + queuedCount() + " sent=" + sentCount() + " spooled=" + spooledCount() + " drained=" + drainedCount()
                + " dropped(queue)=" + droppedFromQueue() + " dropped(spool)=" + droppedFromSpool();
    }
}
