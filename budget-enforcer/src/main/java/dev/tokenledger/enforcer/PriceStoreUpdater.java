package dev.tokenledger.enforcer;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.PriceCatalogHolder;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Global-store processor of {@code tokenledger.prices.v1} (key entry_id, tombstone retires): keeps the
 * enforcer's price store and its {@link PriceCatalogHolder} in step, so a new price applies to the next
 * event by its occurred_at, without a restart.
 */
final class PriceStoreUpdater implements Processor<String, PriceEntry, Void, Void> {
    private final String storeName;
    private final PriceCatalogHolder holder;
    private KeyValueStore<String, PriceEntry> store;

    PriceStoreUpdater(String storeName, PriceCatalogHolder holder) {
        this.storeName = storeName;
        this.holder = holder;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
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
