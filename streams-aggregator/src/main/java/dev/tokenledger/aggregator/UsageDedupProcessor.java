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

import dev.tokenledger.pricing.InvalidUsageException;
import dev.tokenledger.pricing.DeadLetterReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.streams.DedupWindow;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Drops producer retries and replays: input keyed by workflow ({@code UsageKeys}: by the producer, or
 * by the {@code usage-rekeyed} repartition), so every copy of an event reaches the same task; store
 * {@link AggregatorTopology#DEDUP_STORE} remembers each counted event id at its occurred_at for the dedup horizon (a window store: whole segments expire,
 * so state is proportional to the events of the horizon). A copy is found by event_id at its occurred_at (one point lookup):
 * an event's identity is its id and its time, as every retry or replay re-sends the same record. An event id is remembered only once the
 * event passed validation, so a re-send of something refused earlier is still counted. An event
 * older than stream time minus the horizon cannot be proven unique: it is refused
 * (BEYOND_DEDUP_HORIZON) rather than risk counting it twice.
 */
final class UsageDedupProcessor implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {
    private final long horizonMs;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> seen;

    UsageDedupProcessor(Duration horizon) {
        this.horizonMs = horizon.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(AggregatorTopology.DEDUP_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        UsageEvent event = record.value();
        long occurred = event.getOccurredAt().toEpochMilli();
        long streamTime = context.currentStreamTimeMs();
        if (occurred < streamTime - horizonMs) {
            throw new InvalidUsageException(DeadLetterReason.BEYOND_DEDUP_HORIZON,
                    "occurred_at " + event.getOccurredAt() + " of event " + event.getEventId()
                            + " is older than the dedup horizon (" + Duration.ofMillis(horizonMs) + " before stream time "
                            + Instant.ofEpochMilli(streamTime) + "): it cannot be proven unique");
        }
        if (DedupWindow.firstAt(seen, event.getEventId(), occurred)) {
            context.forward(record);
        }
    }
}
