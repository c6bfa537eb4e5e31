package dev.tokenledger.enforcer;

import dev.tokenledger.avro.Budget;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global budget store equal to the compacted budgets topic: key budget_id, a tombstone
 * deletes. Validation happens where a budget is used (an invalid budget is skipped with a log line
 * naming the field), so restoring the store from the topic gives the same content.
 */
final class BudgetStoreUpdater implements Processor<String, Budget, Void, Void> {
    private final String storeName;
    private KeyValueStore<String, Budget> store;

    BudgetStoreUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, Budget> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
