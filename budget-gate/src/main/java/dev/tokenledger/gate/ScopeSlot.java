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

import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.StalePolicy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One scope key as the gate sees it: the newest BudgetState (an immutable snapshot swapped by the
 * feed thread) and this gate's lease on the scope.
 *
 * <p>Lease fields: {@link #available} is what the gate may still admit against (nano-dollars; it
 * may dip below zero when a call costs more than its hold, and then admits nothing until refilled).
 * The lease is usable until {@link #leaseUntilNanos} on the monotonic clock and only inside its
 * period; {@link #epoch} changes when a new period's lease replaces the old one, so a refund of a
 * call admitted in the old period never lands in the new one. Grants, recalls and period changes
 * are applied under the slot's monitor (the feed thread); admission is lock-free.
 */
final class ScopeSlot {
    final String scopeKey;
    volatile Snapshot snapshot;
    /** Set while a stale episode has been reported (one STALE_STATE decision per episode). */
    final AtomicBoolean staleReported = new AtomicBoolean();

    // ------------------------------------------------------------------ lease
    final AtomicLong available = new AtomicLong();
    volatile long leaseUntilNanos;
    volatile long epoch;
    volatile long periodStartMs = Long.MIN_VALUE;
    volatile long periodEndMs = Long.MIN_VALUE;
    /** Cumulative granted in this period (as the enforcer last said), nano-dollars. Guarded by this. */
    long grantedTotal;
    /** Cumulative handed back in this period, nano-dollars. */
    final AtomicLong returnedTotal = new AtomicLong();
    /** Cumulative admitted in this period net of refunds, nano-dollars (what the gate spent of its leases). */
    final AtomicLong consumedTotal = new AtomicLong();
    /** Sequence of the newest request sent / answered. */
    volatile long requestedSeq;
    volatile long answeredSeq;
    volatile long requestSentNanos;
    /** When the oldest request not yet answered was sent (meaningful while answeredSeq < requestedSeq). */
    volatile long unansweredSinceNanos;
    volatile long answeredAtNanos;
    /** Set when a request went unanswered for the lease wait; cleared by the next answer. */
    volatile boolean outage;
    volatile Lease lastAnswer;
    /** Renewal round trip of the newest answered request, ns. */
    volatile long renewalLatencyNanos;
    /** Monotonic time of the last admission against this slot (idle leases are handed back). */
    volatile long lastUseNanos;
    /** Worst case of the last call admitted here, nano-dollars (sizes the next request). */
    volatile long lastWorstNanoUsd;
    /** Spend rate over the last rate window, nano-dollars per second (maintenance thread only). */
    volatile long ratePerSecond;
    long rateWindowStartNanos;
    long rateWindowConsumed;
    /** SAFE stale policy: what this outage has admitted without a lease, nano-dollars; reset by the next answer. */
    final AtomicLong safeSpent = new AtomicLong();

    ScopeSlot(String scopeKey) {
        this.scopeKey = scopeKey;
    }

    /** Does admission here need a lease (an enforced, limited budget)? */
    static boolean leased(Snapshot s) {
        return s != null && s.mode == BudgetMode.ENFORCE && s.limit < NanoUsd.UNLIMITED;
    }

    boolean usable(long nowNanos, long nowMs) {
        return leaseUntilNanos != 0 && nowNanos - leaseUntilNanos < 0 && nowMs < periodEndMs;
    }

    /** Takes {@code amount} if at least that much is available. */
    boolean tryTake(long amount) {
        while (true) {
            final long a = available.get();
            if (a < amount) {
                return false;
            }
            if (available.compareAndSet(a, a - amount)) {
                return true;
            }
        }
    }

    /** Takes everything available (never a negative balance), returning what was taken. */
    long drain() {
        while (true) {
            final long a = available.get();
            if (a <= 0) {
                return 0;
            }
            if (available.compareAndSet(a, 0)) {
                return a;
            }
        }
    }

    /** Primitive view of a BudgetState for the hot path, plus the record itself for payloads. */
    static final class Snapshot {
        final BudgetState state;
        final String budgetId;
        final BudgetStatus status;
        final BudgetMode mode;
        final StalePolicy stalePolicy;
        final long limit;
        final long spent;
        final long reserved;
        final long leased;
        final long safeAllowance;
        final long heartbeatAtMs;
        final long inputLagMs;
        final long periodStartMs;
        final long periodEndMs;

        Snapshot(BudgetState s) {
            this.state = s;
            this.budgetId = s.getBudgetId();
            this.status = s.getStatus();
            this.mode = s.getMode();
            this.stalePolicy = s.getStalePolicy();
            this.limit = NanoUsd.down(s.getLimitUsd());
            this.spent = NanoUsd.up(s.getSpentUsd());
            this.reserved = NanoUsd.up(s.getReservedUsd());
            this.leased = s.getLeasedUsd() == null ? 0 : NanoUsd.up(s.getLeasedUsd());
            this.safeAllowance = s.getSafeAllowanceUsd() == null ? 0 : NanoUsd.down(s.getSafeAllowanceUsd());
            this.heartbeatAtMs = s.getHeartbeatAt().toEpochMilli();
            this.inputLagMs = s.getInputLagMs() == null ? 0 : s.getInputLagMs();
            this.periodStartMs = s.getPeriodStart().toEpochMilli();
            this.periodEndMs = s.getPeriodEnd().toEpochMilli();
        }

        /** Stale: no heartbeat within the bound, or the enforcer reports being further behind its input than the bound. */
        boolean stale(long nowMs, long staleAfterMs) {
            return nowMs - heartbeatAtMs > staleAfterMs || inputLagMs > staleAfterMs;
        }
    }
}
