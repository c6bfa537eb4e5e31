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
