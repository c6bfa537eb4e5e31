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
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage one of the two-stage aggregation (the skew answer). Input: costed usage keyed by event_id,
 * spread evenly over partitions whatever the feature. Each event becomes one event-time-minute
 * partial sum per dimension value, forwarded keyed by {@code DIMENSION|dimension_key} to the merge
 * stage (repartition {@code spend-partials}), which adds it to every window of that dimension.
 *
 * <p>The low-cardinality dimensions a hot feature makes hot (GLOBAL, FEATURE, FEATURE_MODEL,
 * PLAN_FEATURE; {@link SpendDimensions#isPreAggregated}) are first summed per partition and minute
 * in {@link AggregatorTopology#SPEND_PENDING_STORE} and flushed every {@code spend.flush.interval.ms}
 * of wall-clock time: a feature carrying 80 % of the events costs the merge stage one record per
 * partition and minute per interval instead of one per event. The other dimensions (tenant,
 * workflow, user: a long tail) are spread over partitions by their own key and go straight through.
 */
final class SpendPartialProcessor implements Processor<String, CostedUsage, String, SpendAggregate> {
    private static final long MINUTE_MS = 60_000L;

    private final String zone;
    private final Duration flushInterval;
    private ProcessorContext<String, SpendAggregate> context;
    private KeyValueStore<String, SpendAggregate> pending;

    SpendPartialProcessor(SpendWindows windows, Duration flushInterval) {
        this.zone = windows.zone().getId();
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpendAggregate> context) {
        this.context = context;
        this.pending = context.getStateStore(AggregatorTopology.SPEND_PENDING_STORE);
        if (!flushInterval.isZero()) {
            context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
        }
    }

    @Override
    public void process(Record<String, CostedUsage> record) {
        CostedUsage costed = record.value();
        long occurred = costed.getEvent().getOccurredAt().toEpochMilli();
        long minute = minuteOf(occurred);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (Map.Entry<SpendDimension, String> dim : SpendDimensions.keysOf(costed.getEvent()).entrySet()) {
            String storeKey = SpendDimensions.storeKey(dim.getKey(), dim.getValue());
            if (SpendDimensions.isPreAggregated(dim.getKey()) && !flushInterval.isZero()) {
                String key = minute + "|" + storeKey;
                SpendAggregate current = pending.get(key);
                if (current == null) {
                    current = emptyMinute(dim.getKey(), dim.getValue(), minute);
                }
                pending.put(key, SpendMath.add(current, costed, now));
            } else {
                context.forward(new Record<>(storeKey,
                        SpendMath.add(emptyMinute(dim.getKey(), dim.getValue(), minute), costed, now), occurred));
            }
        }
    }

    private SpendAggregate emptyMinute(SpendDimension dimension, String key, long minute) {
        return emptyMinute(zone, dimension, key, minute);
    }

    /** An empty MINUTE partial of one dimension value, the unit the merge stage adds into every window. */
    static SpendAggregate emptyMinute(String zone, SpendDimension dimension, String key, long minute) {
        return SpendMath.empty(dimension, key, SpendWindow.MINUTE, minute, minute + MINUTE_MS, zone);
    }

    /** Start of the minute of {@code epochMs}. */
    static long minuteOf(long epochMs) {
        return Math.floorDiv(epochMs, MINUTE_MS) * MINUTE_MS;
    }

    private void flush() {
        List<KeyValue<String, SpendAggregate>> done = new ArrayList<>();
        try (KeyValueIterator<String, SpendAggregate> it = pending.all()) {
            while (it.hasNext()) {
                done.add(it.next());
            }
        }
        long streamTime = context.currentStreamTimeMs();
        for (KeyValue<String, SpendAggregate> kv : done) {
            pending.delete(kv.key);
            SpendAggregate partial = kv.value;
            context.forward(new Record<>(SpendDimensions.storeKey(partial.getDimension(), partial.getDimensionKey()),
                    partial, Math.min(streamTime, partial.getWindowEnd().toEpochMilli() - 1)));
        }
    }
}
