package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.StalePolicy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One scope key as the gate sees it: the newest BudgetState (an immutable snapshot swapped by the
 * feed thread) and this gate's own in-flight holds against the scope.
 */
final class ScopeSlot {
    final String scopeKey;
    volatile Snapshot snapshot;
    /** This gate's holds not yet committed or released, nano-dollars. */
    final AtomicLong localHeld = new AtomicLong();
    /** Set while a stale episode has been reported (one STALE_STATE decision per episode). */
    final AtomicBoolean staleReported = new AtomicBoolean();

    ScopeSlot(String scopeKey) {
        this.scopeKey = scopeKey;
    }

    /** Primitive view of a BudgetState for the hot path, plus the record itself for payloads. */
    static final class Snapshot {
        final BudgetState state;
        final String budgetId;
        final BudgetStatus status;
        final BudgetMode mode;
        final boolean staleClosed;
        final long limit;
        final long spent;
        final long reserved;
        final long heartbeatAtMs;
        final long periodEndMs;

        Snapshot(BudgetState s) {
            this.state = s;
            this.budgetId = s.getBudgetId();
            this.status = s.getStatus();
            this.mode = s.getMode();
            this.staleClosed = s.getStalePolicy() == StalePolicy.CLOSED;
            this.limit = Nanos.down(s.getLimitUsd());
            this.spent = Nanos.up(s.getSpentUsd());
            this.reserved = Nanos.up(s.getReservedUsd());
            this.heartbeatAtMs = s.getHeartbeatAt().toEpochMilli();
            this.periodEndMs = s.getPeriodEnd().toEpochMilli();
        }
    }
}
