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
package dev.tokenledger.enforcer;

import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.EndgameMode;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.avro.ReasonCode;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The escrow rules: how much of a scope's budget each gate may hold. Plain Java, no Kafka; the
 * accounting processor applies them to the scope's {@link ScopeLedger} and writes the {@link Lease}
 * records they return in the same exactly-once transaction as the ledger.
 *
 * <h2>Invariant</h2>
 * With {@code U = limit - spent - reserved - leased} (reserved: holds of pre-lease gates; leased:
 * {@link ScopeLedger#leased()}), a grant never makes U negative: {@code spent + reserved + Σ
 * outstanding ≤ limit} holds after every grant. A gate admits calls only against what it was
 * granted, so spend through gates cannot pass the limit however far the enforcer lags; only the
 * tail of a stream cut after its lease ran dry and the SAFE allowances can.
 *
 * <h2>Grant</h2>
 * A request carries {@code need} (the worst case of the call waiting, 0 for a renewal ahead of
 * need) and {@code want} (the gate's recent spend rate × its target lease period). With A the gates
 * seen in the last {@link #ACTIVE_WINDOW_MS}:
 * <ul>
 *   <li>{@code U ≥ need}: grant {@code min(want, max(need, U / A))} — what the gate asks for, never
 *       more than a fair share of the remainder when it runs low, and always enough for the call;</li>
 *   <li>else (the endgame) DENIED. With endgame PER_CALL and other gates holding unused lease, they are
 *       recalled (at most once per {@link #RECALL_REPEAT_MS}): what they hand back is granted to the
 *       next request, one call's worst case at a time. With endgame DENY the budget denies as soon as
 *       {@code U < need × A} and recalls nothing.</li>
 * </ul>
 * Mode OFF, ALERT_ONLY and unlimited budgets are not bounded: their requests get what they want.
 * Every answer renews the gate's lease for {@code ttl} (the gate stops using it after that, on its
 * own monotonic clock, until a later answer renews it).
 */
public final class LeaseGrants {
    /** Gates whose last request is younger than this share the remainder. */
    public static final long ACTIVE_WINDOW_MS = 30_000;
    /** A gate is not asked to hand its lease back more often than this. */
    public static final long RECALL_REPEAT_MS = 1_000;
    public static final String LEASE_GRANTED = ReasonCode.LEASE_GRANTED.name();
    public static final String ENDGAME_DENY = ReasonCode.ENDGAME_DENY.name();
    public static final String REMAINDER_TOO_SMALL = ReasonCode.REMAINDER_TOO_SMALL.name();
    public static final String BUDGET_LOWERED = ReasonCode.BUDGET_LOWERED.name();
    public static final String ENDGAME_RECALL = ReasonCode.ENDGAME_RECALL.name();

    private final Duration ttl;

    public LeaseGrants(Duration ttl) {
        this.ttl = ttl;
    }

    /**
     * Applies a gate's request: records what it returned, grants or denies, and recalls other
     * gates' unused leases in a PER_CALL endgame. Returns the answer first, then any recalls. A
     * request for another period than the ledger's is answered for the ledger's current period
     * (its returned total belongs to the old period and is ignored).
     */
    public List<Lease> onRequest(ScopeLedger ledger, BudgetPolicy policy, LeaseRequest r, Instant now) {
        final GateLease mine = ledger.lease(r.getGateId());
        mine.lastSeenMs = now.toEpochMilli();
        mine.recallPending = false;
        if (r.getPeriodStart().toEpochMilli() == ledger.periodStart) {
            mine.returned = mine.returned.max(r.getReturnedTotalUsd());
            if (r.getSequence() >= mine.sequence) {
                mine.consumed = r.getConsumedTotalUsd();
            }
        }
        mine.sequence = Math.max(mine.sequence, r.getSequence());
        final BigDecimal need = r.getNeedUsd().max(BigDecimal.ZERO);
        final BigDecimal want = r.getWantUsd().max(need);
        final BigDecimal limit = policy.effectiveLimit(now);
        final List<Lease> out = new ArrayList<>();
        if (policy.mode() != BudgetMode.ENFORCE || limit == null) {
            mine.granted = mine.granted.add(want.subtract(mine.outstanding()).max(BigDecimal.ZERO));
            out.add(lease(ledger, r.getGateId(), mine, LeaseStatus.GRANTED, r.getSequence(), unleased(ledger, limit), BigDecimal.ZERO,
                    policy.mode() == BudgetMode.OFF ? ReasonCodes.MODE_OFF : LEASE_GRANTED, now));
            return out;
        }
        final BigDecimal unleased = unleased(ledger, limit);
        final int active = activeGates(ledger, now);
        final BigDecimal others = recallable(ledger, r.getGateId(), now);
        final boolean endgameDeny = policy.budget().getEndgame() == EndgameMode.DENY
                && need.signum() > 0 && unleased.compareTo(need.multiply(BigDecimal.valueOf(active))) < 0;
        if (!endgameDeny && unleased.compareTo(need) >= 0 && unleased.signum() > 0) {
            final BigDecimal fair = unleased.divide(BigDecimal.valueOf(active), Money.SCALE, RoundingMode.DOWN);
            final BigDecimal grant = want.min(need.max(fair)).min(unleased);
            mine.granted = mine.granted.add(grant);
            out.add(lease(ledger, r.getGateId(), mine, LeaseStatus.GRANTED, r.getSequence(), unleased.subtract(grant), others,
                    LEASE_GRANTED, now));
            return out;
        }
        if (need.signum() == 0 && !endgameDeny) {
            // A renewal ahead of need with nothing left to add: the gate keeps what it holds, for another ttl.
            out.add(lease(ledger, r.getGateId(), mine, LeaseStatus.GRANTED, r.getSequence(), unleased, others, REMAINDER_TOO_SMALL, now));
            return out;
        }
        final boolean breach = ledger.spent.add(ledger.reserved()).compareTo(limit) >= 0;
        out.add(lease(ledger, r.getGateId(), mine, LeaseStatus.DENIED, r.getSequence(), unleased, endgameDeny ? BigDecimal.ZERO : others,
                breach ? ReasonCodes.GENUINE_BREACH : endgameDeny ? ENDGAME_DENY : REMAINDER_TOO_SMALL, now));
        if (!endgameDeny) {
            out.addAll(recall(ledger, r.getGateId(), now, ENDGAME_RECALL));
        }
        return out;
    }

    /**
     * The budget was lowered (or switched to a kill-switch limit of 0) below {@code spent + reserved
     * + leased}: every gate holding unused lease is asked to hand it back. Until they do, the bound
     * is {@code max(new limit, spent + outstanding)}.
     */
    public List<Lease> onTick(ScopeLedger ledger, BudgetPolicy policy, Instant now) {
        final BigDecimal limit = policy.effectiveLimit(now);
        if (policy.mode() != BudgetMode.ENFORCE || limit == null || ledger.leases.isEmpty()) {
            return List.of();
        }
        if (ledger.spent.add(ledger.reserved()).add(ledger.leased()).compareTo(limit) <= 0) {
            return List.of();
        }
        return recall(ledger, null, now, BUDGET_LOWERED);
    }

    /**
     * Usage that drew from a gate's lease: reservation_id {@code <gate instance>@<admitted at, epoch ms>/<root
     * request>}. Subtracted from that gate's lease of the ledger's period only if the call was admitted in
     * that period: a call admitted under the previous period's lease that finished after the boundary is
     * spend of the new period (by occurred_at) but never drew from its lease, so crediting it would
     * understate what the gate still holds. An id without {@code @} (older gates) is credited.
     */
    public static void chargeUsage(ScopeLedger ledger, String reservationId, BigDecimal cost) {
        final String gate = gateOf(reservationId);
        if (gate == null) {
            return;
        }
        final GateLease l = ledger.leases.get(gate);
        final long admittedAt = admittedAt(reservationId);
        if (l != null && (admittedAt < 0 || admittedAt >= ledger.periodStart && admittedAt < ledger.periodEnd)) {
            l.usage = l.usage.add(cost);
        }
    }

    /** The gate instance a reservation id names, or null. */
    static String gateOf(String reservationId) {
        if (reservationId == null) {
            return null;
        }
        final int slash = reservationId.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        final int at = reservationId.lastIndexOf('@', slash);
        return reservationId.substring(0, at > 0 ? at : slash);
    }

    /** When the call was admitted (epoch ms), or -1 if the id does not say. */
    static long admittedAt(String reservationId) {
        final int slash = reservationId.indexOf('/');
        final int at = reservationId.lastIndexOf('@', slash);
        if (at <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(reservationId.substring(at + 1, slash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private List<Lease> recall(ScopeLedger ledger, String except, Instant now, String reason) {
        final List<Lease> out = new ArrayList<>();
        for (Map.Entry<String, GateLease> e : ledger.leases.entrySet()) {
            final GateLease l = e.getValue();
            // not again while an earlier recall is unanswered: lastRecallMs then dates the silence (see recallable)
            if (e.getKey().equals(except) || l.outstanding().signum() == 0 || l.recallPending
                    || now.toEpochMilli() - l.lastRecallMs < RECALL_REPEAT_MS) {
                continue;
            }
            l.lastRecallMs = now.toEpochMilli();
            l.recallPending = true;
            out.add(lease(ledger, e.getKey(), l, LeaseStatus.RECALLED, 0, BigDecimal.ZERO, BigDecimal.ZERO, reason, now));
        }
        return out;
    }

    /**
     * What other gates hold unused (as of their last report) that a recall can bring back: a gate that was recalled more than
     * {@link #RECALL_REPEAT_MS} ago and has not been heard from since is presumed dead (its lease stays
     * counted as spent), so a caller waiting for a recall gets a definite answer instead of waiting.
     */
    static BigDecimal recallable(ScopeLedger ledger, String except, Instant now) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<String, GateLease> e : ledger.leases.entrySet()) {
            final GateLease l = e.getValue();
            final boolean unresponsive = l.recallPending && now.toEpochMilli() - l.lastRecallMs > RECALL_REPEAT_MS;
            if (!e.getKey().equals(except) && !unresponsive) {
                // only the unused part: holds of calls in flight cannot be recalled
                sum = sum.add(l.unused());
            }
        }
        return sum;
    }

    static BigDecimal unleased(ScopeLedger ledger, BigDecimal limit) {
        return limit == null ? ReasonCodes.UNLIMITED : limit.subtract(ledger.spent).subtract(ledger.reserved()).subtract(ledger.leased());
    }

    private static int activeGates(ScopeLedger ledger, Instant now) {
        int n = 0;
        for (GateLease l : ledger.leases.values()) {
            if (now.toEpochMilli() - l.lastSeenMs < ACTIVE_WINDOW_MS) {
                n++;
            }
        }
        return Math.max(1, n);
    }

    private Lease lease(ScopeLedger ledger, String gateId, GateLease l, LeaseStatus status, long sequence, BigDecimal unleased,
                        BigDecimal others, String reason, Instant now) {
        return Lease.newBuilder()
                .setGateId(gateId)
                .setScopeKey(ledger.scopeKey)
                .setPeriodStart(Instant.ofEpochMilli(ledger.periodStart))
                .setPeriodEnd(Instant.ofEpochMilli(ledger.periodEnd))
                .setStatus(status)
                .setGrantedTotalUsd(Money.toScale(l.granted))
                .setReturnedTotalUsd(Money.toScale(l.returned))
                .setSequence(sequence)
                .setTtlMs(ttl.toMillis())
                .setUnleasedUsd(Money.toScale(unleased.max(BigDecimal.ZERO).min(ReasonCodes.UNLIMITED)))
                .setOthersOutstandingUsd(Money.toScale(others.max(BigDecimal.ZERO)))
                .setReasonCode(reason)
                .setIssuedAt(now)
                .build();
    }
}
