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
package dev.tokenledger.gate;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pre-dispatch hold of one logical request's worst case, drawn from the gate's leases of every
 * governing scope. Retries and fallbacks of the same {@code root_request_id} get this same object
 * back from {@link BudgetGate#reserve}. Stream consumers call {@link #debit} as output arrives: cost
 * past the hold is drawn from the same leases, up to {@link #CEILING_MULTIPLE} x the hold; when a
 * lease is dry or the ceiling is passed, {@code debit} returns false and the ceiling callback fires
 * so the stream guard can cut the stream (BUDGET_CEILING). What was generated is still committed.
 */
public final class GateReservation {
    /** Mid-stream overrun ceiling, as a multiple of the hold. */
    public static final int CEILING_MULTIPLE = 2;

    private final String reservationId;
    private final GateCall call;
    private final BigDecimal amount;
    private final long amountNanoUsd;
    private final BudgetGate gate;
    /** The leased slots drawn from, and the lease epoch of each at admission. */
    final ScopeSlot[] slots;
    final long[] epochs;
    private final long createdAtMs;
    private final AtomicLong debitedNanoUsd = new AtomicLong();
    /** Drawn from the leases so far: the hold plus overruns. */
    final AtomicLong drawnNanoUsd;
    private final AtomicBoolean ceiling = new AtomicBoolean();
    final AtomicBoolean settled = new AtomicBoolean();
    private volatile Runnable onCeiling;

    GateReservation(String reservationId, GateCall call, BigDecimal amount, long amountNanoUsd, BudgetGate gate, ScopeSlot[] slots,
                    long[] epochs, long createdAtMs) {
        this.reservationId = reservationId;
        this.call = call;
        this.amount = amount;
        this.amountNanoUsd = amountNanoUsd;
        this.gate = gate;
        this.slots = slots;
        this.epochs = epochs;
        this.createdAtMs = createdAtMs;
        this.drawnNanoUsd = new AtomicLong(amountNanoUsd);
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

    public long createdAtMs() {
        return createdAtMs;
    }

    /**
     * Called once when the ceiling is crossed (e.g. {@code streamGuard::budgetCeilingReached}). Each call adds a
     * callback: streams running at the same time under one root request share this hold, and the ceiling cuts them all.
     */
    public synchronized GateReservation onCeiling(Runnable callback) {
        final Runnable before = onCeiling;
        this.onCeiling = before == null ? callback : () -> {
            before.run();
            callback.run();
        };
        return this;
    }

    /**
     * Debits cost as it is generated (cumulative over the logical request). Cost past the hold is
     * drawn from the leases. Returns true while the total stays within the drawn amount and
     * {@link #CEILING_MULTIPLE} x the hold; false once the lease is dry or the ceiling is passed.
     */
    public boolean debit(BigDecimal cost) {
        final long total = debitedNanoUsd.addAndGet(NanoUsd.up(cost));
        if (total <= CEILING_MULTIPLE * amountNanoUsd && gate.drawOverrun(this, total)) {
            return true;
        }
        if (ceiling.compareAndSet(false, true) && onCeiling != null) {
            onCeiling.run();
        }
        return false;
    }

    /** Committed, released or expired: the gate no longer hands this hold out and ignores a further settle. */
    public boolean settled() {
        return settled.get();
    }

    public boolean ceilingReached() {
        return ceiling.get();
    }

    /** Total debited so far. */
    public BigDecimal debited() {
        return NanoUsd.usd(debitedNanoUsd.get());
    }

    /** Drawn from the leases so far (the hold plus any overrun). */
    public BigDecimal drawn() {
        return NanoUsd.usd(drawnNanoUsd.get());
    }
}
