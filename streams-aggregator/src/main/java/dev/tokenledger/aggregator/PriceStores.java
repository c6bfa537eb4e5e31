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
