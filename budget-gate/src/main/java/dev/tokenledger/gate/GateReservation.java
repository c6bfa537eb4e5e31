package dev.tokenledger.gate;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pre-dispatch hold of one logical request's worst case. Retries and fallbacks of the same
 * {@code root_request_id} get this same object back from {@link BudgetGate#reserve}. Stream
 * consumers call {@link #debit} as output arrives: up to 2x the hold is admitted and debited
 * (admit-and-debit), beyond that {@code debit} returns false and the ceiling callback fires so the
 * stream guard can cut the stream (BUDGET_CEILING); what was generated is still committed.
 */
public final class GateReservation {
    /** Mid-stream overrun ceiling, as a multiple of the hold. */
    public static final int CEILING_MULTIPLE = 2;

    private final String reservationId;
    private final GateCall call;
    private final BigDecimal amount;
    private final long amountNanos;
    final ScopeSlot[] slots;
    final String[] scopeKeys;
    private final long createdAtMs;
    private final AtomicLong debitedNanos = new AtomicLong();
    private final AtomicBoolean ceiling = new AtomicBoolean();
    final AtomicBoolean settled = new AtomicBoolean();
    private volatile Runnable onCeiling;

    GateReservation(String reservationId, GateCall call, BigDecimal amount, long amountNanos, ScopeSlot[] slots, String[] scopeKeys,
                    long createdAtMs) {
        this.reservationId = reservationId;
        this.call = call;
        this.amount = amount;
        this.amountNanos = amountNanos;
        this.slots = slots;
        this.scopeKeys = scopeKeys;
        this.createdAtMs = createdAtMs;
    }

    public String reservationId() {
        return reservationId;
    }

    public GateCall call() {
        return call;
    }

    /** The worst case held. */
    public BigDecimal amount() {
        return amount;
    }

    long amountNanos() {
        return amountNanos;
    }

    public long createdAtMs() {
        return createdAtMs;
    }

    /** Called once when the ceiling is crossed (e.g. {@code streamGuard::budgetCeilingReached}). */
    public GateReservation onCeiling(Runnable callback) {
        this.onCeiling = callback;
        return this;
    }

    /**
     * Debits cost as it is generated (cumulative over the logical request). Returns true while the
     * total stays within {@link #CEILING_MULTIPLE} x the hold; false once beyond (BUDGET_CEILING).
     */
    public boolean debit(BigDecimal cost) {
        final long total = debitedNanos.addAndGet(Nanos.up(cost));
        if (total > CEILING_MULTIPLE * amountNanos) {
            if (ceiling.compareAndSet(false, true) && onCeiling != null) {
                onCeiling.run();
            }
            return false;
        }
        return true;
    }

    public boolean ceilingReached() {
        return ceiling.get();
    }

    /** Total debited so far. */
    public BigDecimal debited() {
        return Nanos.usd(debitedNanos.get());
    }
}
