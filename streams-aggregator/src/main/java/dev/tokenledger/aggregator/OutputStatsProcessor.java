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

import dev.tokenledger.avro.OutputTokenStats;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Stage two of the reservation-sizing stats. Input: hourly partial histograms keyed by feature_id
 * (repartition {@code output-stats-partials}). Merges each into the feature's hour bucket in
 * {@link AggregatorTopology#OUTPUT_STATS_STORE} (window store, retention = stats window + grace),
 * then publishes {@link OutputTokenStats} for the trailing {@code output.stats.window.ms} (the hour
 * buckets ending with the hour of stream time) to {@code tokenledger.output-stats.v1}, key feature_id:
 * p50 / p95 / p99 / max output tokens and p99 input-side tokens, which the enforcer and the gate use
 * to size worst-case holds.
 */
final class OutputStatsProcessor implements Processor<String, byte[], String, OutputTokenStats> {
    private static final long HOUR_MS = 3_600_000L;
    private final long windowMs;
    private ProcessorContext<String, OutputTokenStats> context;
    private WindowStore<String, byte[]> buckets;

    OutputStatsProcessor(Duration window) {
        this.windowMs = window.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, OutputTokenStats> context) {
        this.context = context;
        this.buckets = context.getStateStore(AggregatorTopology.OUTPUT_STATS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        TokenHistograms partial = TokenHistograms.decode(record.value());
        byte[] current = buckets.fetch(record.key(), partial.hourStart());
        if (current != null) {
            partial.add(TokenHistograms.decode(current));
        }
        buckets.put(record.key(), partial.encode(), partial.hourStart());

        long ref = Math.max(context.currentStreamTimeMs(), partial.hourStart());
        long end = Math.floorDiv(ref, HOUR_MS) * HOUR_MS + HOUR_MS;
        long start = end - windowMs;
        if (partial.hourStart() < start) {
            return;
        }
        TokenHistograms sum = new TokenHistograms(start);
        try (WindowStoreIterator<byte[]> it = buckets.fetch(record.key(), Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end - 1))) {
            while (it.hasNext()) {
                sum.add(TokenHistograms.decode(it.next().value));
            }
        }
        OutputTokenStats stats = OutputTokenStats.newBuilder()
                .setFeatureId(record.key())
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end))
                .setSampleCount(sum.output().getTotalCount())
                .setP50OutputTokens(sum.output().getValueAtPercentile(50))
                .setP95OutputTokens(sum.output().getValueAtPercentile(95))
                .setP99OutputTokens(sum.output().getValueAtPercentile(99))
                .setMaxOutputTokens(sum.output().getMaxValue())
                .setP99InputSideTokens(sum.inputSide().getValueAtPercentile(99))
                .setUpdatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
        context.forward(new Record<>(record.key(), stats, record.timestamp()));
    }
}
