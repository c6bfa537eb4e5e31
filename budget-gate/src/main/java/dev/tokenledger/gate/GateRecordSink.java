package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.Reservation;

/**
 * Where the gate writes reservation and decision records. Implementations must never block the
 * caller ({@link KafkaGateRecordSink} hands records to a background thread).
 */
public interface GateRecordSink extends AutoCloseable {
    void reservation(Reservation reservation);

    void decision(BudgetDecision decision);

    @Override
    default void close() {
    }
}
