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
import dev.tokenledger.avro.UsageEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage one of the two-stage aggregation (the skew answer). Input: costed usage, read in the
 * partition its producer put it in (keyed by workflow, {@code UsageKeys}), so a hot feature is spread
 * over every partition. Each event is added, in memory, to one event-time-minute partial sum per
 * dimension value ({@link WriteBackStore} {@link AggregatorTopology#SPEND_PENDING_STORE}: a
 * {@link SpendPartial} per {@code minute|DIMENSION|dimension_key}); every
 * {@code spend.flush.interval.ms} of wall-clock time the partials are forwarded, keyed by
 * {@code DIMENSION|dimension_key}, to the merge stage (repartition {@code spend-partials}) and dropped.
 *
 * <p>So the records the aggregator writes per second grow with the dimension values active in a flush
 * interval, not with events: a feature carrying 80 % of the events costs the merge stage one record
 * per partition, minute and flush. The changelog of the pending sums gets each changed key once per
 * commit. A flush interval of 0 forwards every event's partials at once (no pre-aggregation).
 */
final class SpendPartialProcessor implements Processor<String, CostedUsage, String, SpendAggregate> {
    private static final long MINUTE_MS = 60_000L;

    private final String zone;
    private final Duration flushInterval;
    private ProcessorContext<String, SpendAggregate> context;
    private WriteBackStore<SpendPartial> pending;

    private final boolean tails;

    SpendPartialProcessor(SpendWindows windows, Duration flushInterval, boolean tails) {
        this.zone = windows.zone().getId();
        this.flushInterval = flushInterval;
        this.tails = tails;
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
        UsageEvent event = costed.getEvent();
        long occurred = event.getOccurredAt().toEpochMilli();
        long minute = minuteOf(occurred);
        long now = context.currentSystemTimeMs();
        SpendPartial.Amounts amounts = SpendPartial.Amounts.of(costed);
        Map<String, Long> otherTokens = SpendMath.otherClasses(event);
        String prefix = minute + "|";
        for (Map.Entry<SpendDimension, String> dim : SpendDimensions.keysOf(event, tails).entrySet()) {
            SpendDimension dimension = dim.getKey();
            String key = dim.getValue();
            if (flushInterval.isZero() || !SpendDimensions.isPreAggregated(dimension)) {
                SpendPartial single = new SpendPartial(dimension, key, minute);
                single.add(costed, amounts, otherTokens, now);
                forward(single, occurred);
            } else {
                pending.value(prefix + SpendDimensions.storeKey(dimension, key), () -> new SpendPartial(dimension, key, minute))
                        .add(costed, amounts, otherTokens, now);
            }
        }
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
        long streamTime = context.currentStreamTimeMs();
        for (SpendPartial partial : pending.drain().values()) {
            forward(partial, Math.min(streamTime, partial.minute + MINUTE_MS - 1));
        }
    }

    private void forward(SpendPartial partial, long timestamp) {
        context.forward(new Record<>(SpendDimensions.storeKey(partial.dimension, partial.key), partial.toAggregate(zone), timestamp));
    }
}
