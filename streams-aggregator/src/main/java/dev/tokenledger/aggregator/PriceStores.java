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

import dev.tokenledger.avro.PriceEntry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The entries of a global price store, for {@link dev.tokenledger.pricing.PriceCatalogHolder}. */
final class PriceStores {
    private PriceStores() {
    }

    static List<PriceEntry> entries(ReadOnlyKeyValueStore<String, PriceEntry> store) {
        final List<PriceEntry> entries = new ArrayList<>();
        try (KeyValueIterator<String, PriceEntry> it = store.all()) {
            it.forEachRemaining(kv -> entries.add(kv.value));
        }
        return entries;
    }
}
