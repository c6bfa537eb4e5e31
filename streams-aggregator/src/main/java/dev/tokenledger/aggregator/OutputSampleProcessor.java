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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage one of the reservation-sizing stats. Input: costed usage keyed by workflow (spread over
 * partitions). Each COMPLETED or STREAM_TERMINATED event is recorded into this partition's
 * {@link TokenHistograms} of its feature and event-time hour, kept in
 * {@link AggregatorTopology#OUTPUT_PENDING_STORE} (in memory, changelogged once per key and commit); every flush interval the histograms are forwarded
 * keyed by feature_id and cleared. FAILED calls are left out: they say nothing about how long an
 * answer is.
 */
final class OutputSampleProcessor implements Processor<String, CostedUsage, String, byte[]> {
    private static final long HOUR_MS = 3_600_000L;
    private final Duration flushInterval;
    private ProcessorContext<String, byte[]> context;
    private WriteBackStore<TokenHistograms> pending;

    OutputSampleProcessor(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.pending = context.getStateStore(AggregatorTopology.OUTPUT_PENDING_STORE);
        if (!flushInterval.isZero()) {
            context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
        }
    }

    @Override
    public void process(Record<String, CostedUsage> record) {
        UsageEvent e = record.value().getEvent();
        if (e.getKind() == UsageKind.FAILED) {
            return;
        }
        long hour = Math.floorDiv(e.getOccurredAt().toEpochMilli(), HOUR_MS) * HOUR_MS;
        long inputSide = e.getInputTokens() + e.getCacheWrite5mTokens() + e.getCacheWrite1hTokens() + e.getCacheReadTokens();
        pending.value(hour + "|" + e.getFeatureId(), () -> new TokenHistograms(hour)).record(e.getOutputTokens(), inputSide);
        if (flushInterval.isZero()) {
            flush();
        }
    }

    private void flush() {
        long ts = context.currentStreamTimeMs();
        for (Map.Entry<String, TokenHistograms> kv : pending.drain().entrySet()) {
            context.forward(new Record<>(kv.getKey().substring(kv.getKey().indexOf('|') + 1), kv.getValue().encode(), ts));
        }
    }
}
