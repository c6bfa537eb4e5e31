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

import java.util.function.BiConsumer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic (a tombstone deletes) and tells {@code onChange}
 * about each change: the budgets ({@code tokenledger.budgets.v1}; validation happens where a budget is
 * used, so restoring the store from the topic gives the same content) and the prices
 * ({@code tokenledger.prices.v1}, whose changes also reach the in-memory catalog).
 */
final class GlobalStoreUpdater<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private final BiConsumer<String, V> onChange;
    private KeyValueStore<String, V> store;

    GlobalStoreUpdater(String storeName, BiConsumer<String, V> onChange) {
        this.storeName = storeName;
        this.onChange = onChange;
    }

    GlobalStoreUpdater(String storeName) {
        this(storeName, (k, v) -> { });
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        onChange.accept(record.key(), record.value());
    }
}
