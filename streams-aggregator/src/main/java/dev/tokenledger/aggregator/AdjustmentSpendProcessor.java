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

import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.schemas.streams.DedupWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * "Move the spend of a re-priced call by exactly its delta, once." Input: {@code tokenledger.price-adjustments.v1}
 * (key event_id, value {@link PriceAdjustment}). Store: {@value AggregatorTopology#ADJUSTMENT_DEDUP_STORE}
 * (adjustment_id at the record's timestamp, kept for the dedup horizon). Output: one MINUTE partial per dimension the
 * event counted in, at its occurred_at, carrying only the cost deltas (no tokens, no request), keyed like
 * {@link SpendPartialProcessor}'s partials: the merge stage adds them into every window of occurred_at that is still
 * open (within grace), exactly as it adds usage.
 *
 * <p>An adjustment id seen before is dropped: a rerun of {@code tokenledger reprice}, or a run killed halfway and run
 * again, publishes the same id for the same change. Reruns come within minutes or days of each other, so ids are kept
 * for the dedup horizon from when the adjustment was published.
 */
final class AdjustmentSpendProcessor implements Processor<String, PriceAdjustment, String, SpendAggregate> {
    private final String zone;
    private final long horizonMs;
    private ProcessorContext<String, SpendAggregate> context;
    private WindowStore<String, Long> seen;

    private final boolean tails;

    AdjustmentSpendProcessor(SpendWindows windows, Duration horizon, boolean tails) {
        this.zone = windows.zone().getId();
        this.horizonMs = horizon.toMillis();
        this.tails = tails;
    }

    @Override
    public void init(ProcessorContext<String, SpendAggregate> context) {
        this.context = context;
        this.seen = context.getStateStore(AggregatorTopology.ADJUSTMENT_DEDUP_STORE);
    }

    @Override
    public void process(Record<String, PriceAdjustment> record) {
        final PriceAdjustment a = record.value();
        if (a == null) {
            return;
        }
        final long published = record.timestamp();
        if (!DedupWindow.firstTime(seen, a.getAdjustmentId(), published, horizonMs)) {
            return;
        }
        final long occurred = a.getEvent().getOccurredAt().toEpochMilli();
        final long minute = SpendPartialProcessor.minuteOf(occurred);
        final Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (Map.Entry<SpendDimension, String> dim : SpendDimensions.keysOf(a.getEvent(), tails).entrySet()) {
            final SpendAggregate partial = SpendMath.add(
                    SpendPartialProcessor.emptyMinute(zone, dim.getKey(), dim.getValue(), minute), a, now);
            context.forward(new Record<>(SpendDimensions.storeKey(dim.getKey(), dim.getValue()), partial, occurred));
        }
    }
}
