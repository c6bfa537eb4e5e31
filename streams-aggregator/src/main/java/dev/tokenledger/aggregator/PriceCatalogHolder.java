package dev.tokenledger.aggregator;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.PriceCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The price catalog in force in one Kafka Streams instance: the base catalog (shipped default or
 * empty) overlaid with the entries of the global price store. Loaded lazily from the store the first
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

    /** The current catalog, loading it from {@code store} on first use. */
    public PriceCatalog current(ReadOnlyKeyValueStore<String, PriceEntry> store) {
        PriceCatalog c = catalog;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (catalog == null) {
                PriceCatalog loaded = base.get();
                List<PriceEntry> entries = new ArrayList<>();
                try (KeyValueIterator<String, PriceEntry> it = store.all()) {
                    while (it.hasNext()) {
                        KeyValue<String, PriceEntry> kv = it.next();
                        entries.add(kv.value);
                    }
                }
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
