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

import dev.tokenledger.pricing.PriceCatalogHolder;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.pricing.UsagePricer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Prices a deduplicated event with the catalog in force at its occurred_at
 * ({@link UsagePricer}, global store {@link AggregatorTopology#PRICE_STORE}). An unknown model is
 * not an error: the event comes out UNPRICED with zero cost and is counted in its own series.
 */
final class UsagePricingProcessor implements FixedKeyProcessor<String, UsageEvent, CostedUsage> {
    private final PriceCatalogHolder catalog;
    private FixedKeyProcessorContext<String, CostedUsage> context;
    private ReadOnlyKeyValueStore<String, PriceEntry> prices;

    UsagePricingProcessor(PriceCatalogHolder catalog) {
        this.catalog = catalog;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CostedUsage> context) {
        this.context = context;
        this.prices = context.getStateStore(AggregatorTopology.PRICE_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        CostedUsage costed = UsagePricer.price(record.value(), catalog.current(() -> PriceStores.entries(prices)),
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(record.withValue(costed));
    }
}
