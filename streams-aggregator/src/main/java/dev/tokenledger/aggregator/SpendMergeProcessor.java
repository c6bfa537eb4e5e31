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

import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.SpendWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Stage two of the aggregation. Input: event-time-minute partial sums keyed by
 * {@code DIMENSION|dimension_key} (repartition {@code spend-partials}). The partial is added to the
 * running total of every window its dimension is kept in ({@link SpendDimensions#tumblingWindows}),
 * each in the window store of its kind ({@link AggregatorTopology#spendStore(SpendWindow)}, key
 * {@code DIMENSION|dimension_key}, window start as timestamp, retention = window + grace), and each
 * new total is forwarded at once, keyed by {@link SpendKey}, to {@code tokenledger.spend.v1}: a
 * dashboard sees spend move.
 *
 * <p>Lateness: a window whose end plus the grace period is not after stream time is closed; the
 * partial is not added to it (it still counts in the longer windows that are open) and
 * {@link #lateDropped()} and the {@code spend-late} metric ({@link AggregatorMetrics}) count it.
 *
 * <p>Rolling windows (published for {@link SpendDimensions#publishesRolling} dimensions): when an
 * HOUR (DAY) total changes inside the newest ROLLING_24H (ROLLING_30D) hop, the one ending with the
 * hour (day) of stream time, that hop is recomputed as the sum of its 24 hours (30 days) from the
 * store and forwarded too.
 */
final class SpendMergeProcessor implements Processor<String, SpendAggregate, SpendKey, SpendAggregate> {
    private final SpendWindows windows;
    private final long graceMs;
    private final Map<SpendWindow, WindowStore<String, SpendAggregate>> stores = new EnumMap<>(SpendWindow.class);
    private ProcessorContext<SpendKey, SpendAggregate> context;
    private long lateDropped;
    private org.apache.kafka.common.metrics.Sensor lateSensor;

    SpendMergeProcessor(SpendWindows windows, Duration grace) {
        this.windows = windows;
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(ProcessorContext<SpendKey, SpendAggregate> context) {
        this.context = context;
        this.lateSensor = AggregatorMetrics.sensor(context, AggregatorMetrics.SPEND_LATE);
        for (SpendWindow w : AggregatorTopology.STORED_WINDOWS) {
            stores.put(w, context.getStateStore(AggregatorTopology.spendStore(w)));
        }
    }

    /** Window updates skipped because the window had closed. */
    long lateDropped() {
        return lateDropped;
    }

    @Override
    public void process(Record<String, SpendAggregate> record) {
        SpendAggregate minutePartial = record.value();
        long minute = minutePartial.getWindowStart().toEpochMilli();
        long streamTime = context.currentStreamTimeMs();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (SpendWindow w : SpendDimensions.tumblingWindows(minutePartial.getDimension())) {
            long start = windows.start(w, minute);
            long end = windows.end(w, minute);
            if (end + graceMs <= streamTime) {
                lateDropped++;
                lateSensor.record();
                continue;
            }
            WindowStore<String, SpendAggregate> store = stores.get(w);
            SpendAggregate current = store.fetch(record.key(), start);
            SpendAggregate total = current == null
                    ? SpendMath.relabel(minutePartial, w, start, end)
                    : SpendMath.merge(current, minutePartial);
            total.setUpdatedAt(now);
            store.put(record.key(), total, start);
            forward(total, record.timestamp());
            if (SpendDimensions.publishesRolling(minutePartial.getDimension())) {
                if (w == SpendWindow.HOUR) {
                    rolling(SpendWindow.ROLLING_24H, record.key(), store, start, record.timestamp(), now);
                } else if (w == SpendWindow.DAY) {
                    rolling(SpendWindow.ROLLING_30D, record.key(), store, start, record.timestamp(), now);
                }
            }
        }
    }

    private void rolling(SpendWindow rolling, String key, WindowStore<String, SpendAggregate> source, long changedStart,
                         long timestamp, Instant now) {
        long ref = Math.max(context.currentStreamTimeMs(), changedStart);
        long hopStart = windows.start(rolling, ref);
        long hopEnd = windows.end(rolling, ref);
        if (changedStart < hopStart || changedStart >= hopEnd) {
            return;
        }
        SpendAggregate sum = sumOf(source, key, rolling, hopStart, hopEnd, windows);
        if (sum != null) {
            sum.setUpdatedAt(now);
            forward(sum, timestamp);
        }
    }

    /**
     * The total of {@code key} over the stored windows starting in [hopStart, hopEnd), labelled as the
     * given (rolling) window; null when nothing is stored. Also used by the HTTP queries.
     */
    static SpendAggregate sumOf(ReadOnlyWindowStore<String, SpendAggregate> source, String key, SpendWindow label,
                                long hopStart, long hopEnd, SpendWindows windows) {
        SpendAggregate sum = null;
        try (WindowStoreIterator<SpendAggregate> it = source.fetch(key, Instant.ofEpochMilli(hopStart),
                Instant.ofEpochMilli(hopEnd - 1))) {
            while (it.hasNext()) {
                SpendAggregate part = it.next().value;
                sum = sum == null ? part : SpendMath.merge(sum, part);
            }
        }
        if (sum == null) {
            return null;
        }
        SpendAggregate labelled = SpendMath.relabel(sum, label, hopStart, hopEnd);
        labelled.setTimeZone(windows.zone().getId());
        return labelled;
    }

    private void forward(SpendAggregate total, long timestamp) {
        SpendKey key = SpendKey.newBuilder().setDimension(total.getDimension()).setDimensionKey(total.getDimensionKey())
                .setWindow(total.getWindow()).setWindowStart(total.getWindowStart()).build();
        context.forward(new Record<>(key, total, timestamp));
    }
}
