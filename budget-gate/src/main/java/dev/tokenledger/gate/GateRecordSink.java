package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.LeaseRequest;

/**
 * Where the gate writes its lease requests and decision records. Implementations must never block the
 * caller ({@link KafkaGateRecordSink} hands records to a background thread).
 */
public interface GateRecordSink extends AutoCloseable {
    void decision(BudgetDecision decision);

    /** A lease request (or a report of lease handed back) for the enforcer. */
    void leaseRequest(LeaseRequest request);

    @Override
    default void close() {
    }
}
