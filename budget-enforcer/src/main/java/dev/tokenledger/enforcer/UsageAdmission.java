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
package dev.tokenledger.enforcer;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.pricing.InvalidUsageException;
import dev.tokenledger.pricing.PriceCatalogHolder;
import dev.tokenledger.pricing.UsagePricer;
import dev.tokenledger.pricing.UsageValidator;
import dev.tokenledger.schemas.streams.DedupWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enforcer's own view of raw usage (one hop from the agent, without the aggregator on the deny
 * path): input {@code tokenledger.usage.v1} keyed by workflow ({@code UsageKeys}; records keyed otherwise arrive
 * through the {@code enforcer-usage-rekeyed} hop), output {@link ScopeInput} with the event's charge, priced by the
 * catalog in force at its occurred_at (global store {@code enforcer-prices}, the shipped catalog underneath when
 * configured) — the same {@link UsageValidator} and {@link UsagePricer} as the aggregator, so both charge the same
 * amount. An event the rules refuse is skipped with a log line naming the field; the aggregator sends the same record
 * to the dead-letter topic, so it is recorded once. Duplicates are dropped here, once per event on event_id at its
 * occurred_at (window store {@code enforcer-seen-events}, the dedup horizon): every copy of an event is in this
 * partition, and what leaves is charged to every scope of the event without another check.
 */
final class UsageAdmission implements Processor<String, UsageEvent, String, ScopeInput> {
    private static final Logger LOG = LoggerFactory.getLogger(UsageAdmission.class);
    private final UsageValidator validator;
    private final PriceCatalogHolder catalog;
    private final String priceStoreName;
    private final String seenStoreName;
    private final long horizonMs;
    private ProcessorContext<String, ScopeInput> context;
    private ReadOnlyKeyValueStore<String, PriceEntry> prices;
    /** event_id at occurred_at: events already charged. */
    private WindowStore<String, Long> seen;

    UsageAdmission(UsageValidator validator, PriceCatalogHolder catalog, String priceStoreName, String seenStoreName,
                   Duration dedupHorizon) {
        this.validator = validator;
        this.catalog = catalog;
        this.priceStoreName = priceStoreName;
        this.seenStoreName = seenStoreName;
        this.horizonMs = dedupHorizon.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, ScopeInput> context) {
        this.context = context;
        this.prices = context.getStateStore(priceStoreName);
        this.seen = context.getStateStore(seenStoreName);
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        final UsageEvent event = record.value();
        if (event == null) {
            return;
        }
        final long now = context.currentSystemTimeMs();
        try {
            validator.validate(event, now);
        } catch (InvalidUsageException e) {
            LOG.warn("Usage not charged to any budget ({}): {}", e.reason(), e.getMessage());
            return;
        }
        if (!firstTime(event)) {
            return;
        }
        final CostedUsage costed = UsagePricer.price(event, catalog.current(() -> entries(prices)), Instant.ofEpochMilli(now));
        context.forward(record.withValue(ScopeInput.of(costed)));
    }

    /**
     * True the first time the event is seen within the horizon. An event older than the horizon cannot be proven unique
     * and is not charged (the aggregator refuses it too, BEYOND_DEDUP_HORIZON).
     */
    private boolean firstTime(UsageEvent e) {
        final long occurred = e.getOccurredAt().toEpochMilli();
        if (occurred < context.currentStreamTimeMs() - horizonMs) {
            LOG.warn("Usage {} of {} is older than the dedup horizon: not charged to any budget", e.getEventId(), e.getOccurredAt());
            return false;
        }
        // Every copy of a usage event carries its occurred_at: one point lookup there.
        return DedupWindow.firstAt(seen, e.getEventId(), occurred);
    }

    /** Every entry of a price store (the shipped catalog's overlay). */
    static List<PriceEntry> entries(ReadOnlyKeyValueStore<String, PriceEntry> prices) {
        final List<PriceEntry> all = new ArrayList<>();
        try (KeyValueIterator<String, PriceEntry> it = prices.all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        return all;
    }
}
