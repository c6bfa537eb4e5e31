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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.PriceEntry;
import java.util.function.Supplier;

/**
 * The price catalog in force in one Kafka Streams instance: the base catalog (shipped default or
 * empty) overlaid with the entries of the global price store (aggregator and enforcer each keep one). Loaded lazily from the store the first
 * time a task prices an event (the store may have been restored without its processor running),
 * then kept current by {@link PriceCatalogUpdater} as entries arrive: a new price applies to the
 * next event processed, by that event's occurred_at, without a restart. The catalog itself is
 * immutable; only the reference is swapped.
 */
public final class PriceCatalogHolder {
    private final Supplier<PriceCatalog> base;
    private volatile PriceCatalog catalog;

    public PriceCatalogHolder(Supplier<PriceCatalog> base) {
        this.base = base;
    }

    /** The current catalog, loading the overlay from {@code stored} (e.g. a global price store) on first use. */
    public PriceCatalog current(Supplier<? extends Iterable<PriceEntry>> stored) {
        PriceCatalog c = catalog;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (catalog == null) {
                PriceCatalog loaded = base.get();
                final Iterable<PriceEntry> entries = stored.get();
                for (PriceEntry e : entries) {
                    loaded = loaded.with(e);
                }
                catalog = loaded;
            }
            return catalog;
        }
    }

    /** Applies an entry (or its tombstone) from the prices topic if the catalog is loaded. */
    public synchronized void apply(String entryId, PriceEntry entry) {
        if (catalog == null) {
            return;
        }
        catalog = entry == null ? catalog.without(entryId) : catalog.with(entry);
    }
}
