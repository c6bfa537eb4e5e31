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
import dev.tokenledger.avro.PriceEntry;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Global-store processor of {@code tokenledger.prices.v1} (key entry_id, value PriceEntry,
 * tombstone retires): keeps {@link AggregatorTopology#PRICE_STORE} and the instance's
 * {@link PriceCatalogHolder} in step.
 */
final class PriceCatalogUpdater implements Processor<String, PriceEntry, Void, Void> {
    private final PriceCatalogHolder holder;
    private KeyValueStore<String, PriceEntry> store;

    PriceCatalogUpdater(PriceCatalogHolder holder) {
        this.holder = holder;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(AggregatorTopology.PRICE_STORE);
    }

    @Override
    public void process(Record<String, PriceEntry> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        holder.apply(record.key(), record.value());
    }
}
