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

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.avro.ReasonCode;
import dev.tokenledger.avro.StalePolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The budget gate: admits a call before dispatch only against budget <b>leases</b> the enforcer
 * granted this gate instance, so spend through gates stays within the limit however far the
 * enforcer lags (escrow: see {@code shared/LEASES.md} and the README's bound).
 *
 * <h2>Admission ({@link #reserve})</h2>
 * A call by (feature F, tenant T) with worst case W is governed by {@code global}, {@code tenant:T},
 * {@code feature_tenant:F|T} and {@code feature:F} (the last skipped when {@code feature_tenant:F|T}
 * is a carve-out of F's budget), each only if its BudgetState is known. Per scope:
 * <ul>
 *   <li>mode OFF: ignored; status DENY (genuine breach, burst limit, kill switch): deny at once;</li>
 *   <li>ALERT_ONLY and unlimited budgets: checked against the state as before (shadow deny logged);</li>
 *   <li>ENFORCE with a limit: W is taken from this gate's lease of the scope. Every such scope is
 *       decremented atomically, in the fixed order above, and rolled back if one cannot pay: no
 *       lock, no network, no allocation beyond the reservation.</li>
 * </ul>
 * When a lease cannot pay, the caller waits (at most {@code leaseWait}) for the enforcer to answer a
 * request for more: GRANTED admits; DENIED denies (GENUINE_BREACH or the enforcer's reason), unless
 * other gates hold unused lease and a recall is under way, in which case it asks again until the
 * wait is over. No answer (the enforcer is down or far behind) applies the budget's stale policy:
 * CLOSED denies (STALE_STATE), OPEN admits unbounded and reports it, SAFE admits up to the budget's
 * safe allowance per outage.
 *
 * <h2>Settlement</h2>
 * {@link #commit} refunds {@code drawn - actual} to the leases of the period the call drew from;
 * {@link #release} refunds all of it. A hold never settled is dropped after {@code reservationTtl}
 * without a refund (its call may have run). Streams draw overruns from the leases
 * ({@link GateReservation#debit}).
 *
 * <h2>Renewal ({@link #maintain}, every few tens of ms on the gate's own thread)</h2>
 * Asks for more before the lease runs dry: when what is left would last less than the target
 * period plus the observed renewal round trip at the recent spend rate, or when the lease is a
 * third of its TTL from expiry. Hands everything back after {@code idleReturn} without a call, and
 * at once on a RECALLED answer. A lease is never used past its expiry, measured on the monotonic
 * clock from receipt, nor past the end of its period.
 */
public final class BudgetGate implements AutoCloseable {
    /** The enforcer's reason when a lease request was refused because the budget is spent. */
    static final String GENUINE_BREACH = ReasonCode.GENUINE_BREACH.name();
    static final String STALE_STATE = ReasonCode.STALE_STATE.name();
    /** Reservation ids of calls admitted without a lease on some governing scope start with this (no gate has that id). */
    static final String UNLEASED_PREFIX = "unleased!";
    /** A DENIED answer younger than this is reused for the next call (no new round trip). */
    private static final long RECENT_DENY_NANOS = 100_000_000L;

    private final String gateId;
    private final String instanceId;
    private final long staleAfterMs;
    private final long reservationTtlMs;
    private final LongSupplier clock;
    private final LongSupplier nanoClock;
    private final GateRecordSink sink;
    private final long leaseWaitNanos;
    private final long targetPeriodNanos;
    private final long idleReturnNanos;
    private final ConcurrentHashMap<String, ScopeSlot> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ScopeSet>> sets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, GateReservation> holds = new ConcurrentHashMap<>();
    private volatile List<AutoCloseable> feeds = List.of();
    /** When reserve() next sweeps for holds past their TTL (a caller that never settled). */
    private volatile long nextExpirySweepMs;
    private long sequence;
    /** The last 1,024 lease round trips (request sent -> answer applied), ns; a ring written by the feed thread. */
    private final long[] renewals = new long[1024];
    private final java.util.concurrent.atomic.AtomicLong renewalCount = new java.util.concurrent.atomic.AtomicLong();

    /** The slots one (feature, tenant) is checked against, in order. */
    private static final class ScopeSet {
        final ScopeSlot global;
        final ScopeSlot tenant;
        final ScopeSlot featureTenant;
        final ScopeSlot feature;
        final String featureKey;

        ScopeSet(ScopeSlot global, ScopeSlot tenant, ScopeSlot featureTenant, ScopeSlot feature, String featureKey) {
            this.global = global;
            this.tenant = tenant;
            this.featureTenant = featureTenant;
            this.feature = feature;
            this.featureKey = featureKey;
        }

        /** The governing slots in the fixed order (the feature slot is skipped under a carve-out). */
        ScopeSlot[] governing() {
            final ScopeSlot.Snapshot ftSnap = featureTenant == null ? null : featureTenant.snapshot;
            final boolean carved = ftSnap != null && featureKey.equals(ftSnap.budgetId);
            return new ScopeSlot[] {global, tenant, featureTenant, carved ? null : feature};
        }
    }

    /**
     * Options of the lease protocol: how long a call may wait for a lease answer; the target period (a
     * gate asks for about twice its recent spend over it, plus the round trip: a crashed gate takes that
     * much headroom with it until the period ends); how long an unused lease stays before it goes back.
     */
    public record LeaseOptions(Duration leaseWait, Duration targetPeriod, Duration idleReturn) {
        public static LeaseOptions defaults() {
            return new LeaseOptions(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10));
        }
    }

    /**
     * A gate fed by {@link #onState} and {@link #onLease}; {@code sink} receives its lease requests and
     * decision records. Use {@link KafkaBudgetGates#connect} for a gate wired to Kafka.
     */
    public BudgetGate(String gateId, Duration staleAfter, Duration reservationTtl, LongSupplier clock, GateRecordSink sink) {
        this(gateId, staleAfter, reservationTtl, clock, System::nanoTime, sink, LeaseOptions.defaults());
    }

    public BudgetGate(String gateId, Duration staleAfter, Duration reservationTtl, LongSupplier clock, LongSupplier nanoClock,
                      GateRecordSink sink, LeaseOptions leases) {
        if (gateId.isEmpty() || gateId.indexOf('/') >= 0 || gateId.indexOf('~') >= 0 || gateId.indexOf('@') >= 0) {
            throw new IllegalArgumentException("gate id '" + gateId + "' must be non-empty and contain none of '/', '~' and '@'");
        }
        this.gateId = gateId;
        // One instance id per start: a restarted gate never inherits (or double-reports) its predecessor's leases.
        this.instanceId = gateId + "~" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        this.staleAfterMs = staleAfter.toMillis();
        this.reservationTtlMs = reservationTtl.toMillis();
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.sink = sink;
        this.leaseWaitNanos = leases.leaseWait().toNanos();
        this.targetPeriodNanos = leases.targetPeriod().toNanos();
        this.idleReturnNanos = leases.idleReturn().toNanos();
    }

    void attachFeeds(List<AutoCloseable> feeds) {
        this.feeds = feeds;
    }

    public String gateId() {
        return gateId;
    }

    /** This process's lease holder id ({@code <gate id>~<random>}); reservation ids start with it. */
    public String instanceId() {
        return instanceId;
    }

    /** Waits until the state feed has read the budget-state topic up to its end at start (true), or times out. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        for (AutoCloseable f : feeds) {
            if (f instanceof CompactedTopicFeed<?> c && !c.awaitReady(timeout)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- state feed

    /** Applies one record of the budget-state topic (null value = tombstone). Thread-safe. */
    public void onState(String scopeKey, BudgetState state) {
        final ScopeSlot slot = slots.computeIfAbsent(scopeKey, ScopeSlot::new);
        if (state == null) {
            slot.snapshot = null;
            return;
        }
        final ScopeSlot.Snapshot current = slot.snapshot;
        if (current != null && current.state.getVersion() > state.getVersion()
                && current.heartbeatAtMs >= state.getHeartbeatAt().toEpochMilli()) {
            return;
        }
        slot.snapshot = new ScopeSlot.Snapshot(state);
        if (!slot.snapshot.stale(clock.getAsLong(), staleAfterMs)) {
            slot.staleReported.set(false);
        }
    }

    /** The newest state known for a scope key, or null. */
    public BudgetState state(String scopeKey) {
        final ScopeSlot slot = slots.get(scopeKey);
        final ScopeSlot.Snapshot s = slot == null ? null : slot.snapshot;
        return s == null ? null : s.state;
    }

    /** Newest heartbeat_at over all known states, epoch ms (0 if none). */
    public long newestHeartbeatMs() {
        long max = 0;
        for (ScopeSlot slot : slots.values()) {
            final ScopeSlot.Snapshot s = slot.snapshot;
            if (s != null) {
                max = Math.max(max, s.heartbeatAtMs);
            }
        }
        return max;
    }

    // ---------------------------------------------------------------- lease feed

    /** Applies one record of the leases topic addressed to this instance. Thread-safe (the feed thread). */
    public void onLease(Lease lease) {
        if (!instanceId.equals(lease.getGateId())) {
            return;
        }
        final ScopeSlot slot = slots.computeIfAbsent(lease.getScopeKey(), ScopeSlot::new);
        final long nowNanos = nanoClock.getAsLong();
        boolean report = false;
        synchronized (slot) {
            final long period = lease.getPeriodStart().toEpochMilli();
            if (period < slot.periodStartMs) {
                return;
            }
            if (period > slot.periodStartMs) {
                // A new period's lease: the old one is void. Calls admitted under it refund nothing here (epoch).
                slot.epoch++;
                slot.available.set(0);
                slot.grantedTotal = 0;
                slot.returnedTotal.set(0);
                slot.consumedTotal.set(0);
                slot.rateWindowConsumed = 0;
                slot.periodStartMs = period;
                slot.periodEndMs = lease.getPeriodEnd().toEpochMilli();
            }
            final long granted = NanoUsd.down(lease.getGrantedTotalUsd());
            if (granted > slot.grantedTotal) {
                slot.available.addAndGet(granted - slot.grantedTotal);
                slot.grantedTotal = granted;
            }
            if (lease.getStatus() == LeaseStatus.RECALLED) {
                handBack(slot);
                report = true;
            } else {
                final long margin = Math.min(1_000_000_000L, lease.getTtlMs() * 100_000L);
                slot.leaseUntilNanos = nowNanos + lease.getTtlMs() * 1_000_000L - margin;
                if (lease.getSequence() == slot.requestedSeq && lease.getSequence() > slot.answeredSeq) {
                    slot.renewalLatencyNanos = nowNanos - slot.requestSentNanos;
                    renewals[(int) (renewalCount.getAndIncrement() & (renewals.length - 1))] = slot.renewalLatencyNanos;
                }
                slot.answeredSeq = Math.max(slot.answeredSeq, lease.getSequence());
                slot.answeredAtNanos = nowNanos;
                if (slot.answeredSeq < slot.requestedSeq) {
                    // newer requests are still open: measure any silence from the newest one, not the oldest
                    slot.unansweredSinceNanos = slot.requestSentNanos;
                }
                slot.outage = false;
                slot.lastAnswer = lease;
                if (slot.answeredSeq >= slot.requestedSeq) {
                    // the outage is over only when every request is answered: a lagging enforcer answering
                    // old requests must not refill the SAFE allowance again and again
                    slot.safeSpent.set(0);
                }
            }
            slot.notifyAll();
        }
        if (report) {
            request(slot, 0, 0);
        }
    }

    private void request(ScopeSlot slot, long need, long want) {
        final long seq;
        synchronized (this) {
            seq = ++sequence;
        }
        final ScopeSlot.Snapshot s = slot.snapshot;
        final long period = slot.periodStartMs != Long.MIN_VALUE ? slot.periodStartMs : s != null ? s.periodStartMs : 0;
        final long sent = nanoClock.getAsLong();
        if (slot.answeredSeq >= slot.requestedSeq) {
            // the oldest request still unanswered: an outage is measured from it, not from the newest retry
            slot.unansweredSinceNanos = sent;
        }
        slot.requestedSeq = seq;
        slot.requestSentNanos = sent;
        sink.leaseRequest(LeaseRequest.newBuilder()
                .setGateId(instanceId)
                .setScopeKey(slot.scopeKey)
                .setPeriodStart(Instant.ofEpochMilli(period))
                .setSequence(seq)
                .setNeedUsd(scale(NanoUsd.usd(need)))
                .setWantUsd(scale(NanoUsd.usd(Math.max(need, want))))
                .setReturnedTotalUsd(scale(NanoUsd.usd(slot.returnedTotal.get())))
                .setConsumedTotalUsd(scale(NanoUsd.usd(Math.max(0, slot.consumedTotal.get()))))
                .setRequestedAt(Instant.ofEpochMilli(clock.getAsLong()))
                .build());
    }

    /** What to ask for ahead of need: the recent rate over twice the target period plus the round trip, at least one call. */
    private long want(ScopeSlot slot, long worst) {
        final long horizonNanos = 2 * targetPeriodNanos + slot.renewalLatencyNanos;
        final long byRate = (long) ((double) slot.ratePerSecond * horizonNanos / 1e9);
        return Math.max(Math.max(worst, slot.lastWorstNanoUsd) * 2, byRate);
    }

    /**
     * Renewals, idle hand-backs, expiry and the spend-rate estimate; called every few tens of ms by
     * the gate's lease thread (tests call it directly).
     */
    public void maintain() {
        final long nowNanos = nanoClock.getAsLong();
        final long nowMs = clock.getAsLong();
        for (ScopeSlot slot : slots.values()) {
            if (slot.periodStartMs == Long.MIN_VALUE) {
                continue;
            }
            if (slot.rateWindowStartNanos == 0 || nowNanos - slot.rateWindowStartNanos >= 1_000_000_000L) {
                final long consumed = slot.consumedTotal.get();
                if (slot.rateWindowStartNanos != 0) {
                    final long dt = nowNanos - slot.rateWindowStartNanos;
                    slot.ratePerSecond = (long) ((double) Math.max(0, consumed - slot.rateWindowConsumed) * 1e9 / dt);
                }
                slot.rateWindowStartNanos = nowNanos;
                slot.rateWindowConsumed = consumed;
            }
            if (nowMs >= slot.periodEndMs) {
                continue;
            }
            final boolean pending = slot.answeredSeq < slot.requestedSeq && nowNanos - slot.requestSentNanos < leaseWaitNanos;
            final boolean idle = slot.lastUseNanos != 0 && nowNanos - slot.lastUseNanos > idleReturnNanos && holds.isEmpty();
            if (idle && handBack(slot) > 0) {
                request(slot, 0, 0);
                continue;
            }
            final Lease acked = slot.lastAnswer;
            if (!pending && acked != null && acked.getPeriodStart().toEpochMilli() == slot.periodStartMs
                    && NanoUsd.down(acked.getReturnedTotalUsd()) < slot.returnedTotal.get()) {
                // a report of lease handed back was lost (send failed, enforcer away): send the cumulative total again
                request(slot, 0, 0);
                continue;
            }
            if (idle) {
                continue;
            }
            if (pending || slot.lastUseNanos == 0) {
                continue;
            }
            final long left = slot.available.get();
            final long lowWater = (long) ((double) slot.ratePerSecond * (targetPeriodNanos + slot.renewalLatencyNanos) / 1e9);
            final long ttlLeft = slot.leaseUntilNanos - nowNanos;
            final Lease last = slot.lastAnswer;
            final long ttl = last == null ? 0 : last.getTtlMs() * 1_000_000L;
            if (left < Math.max(lowWater, slot.lastWorstNanoUsd) || ttlLeft < ttl / 3) {
                request(slot, 0, want(slot, slot.lastWorstNanoUsd));
            }
        }
    }

    // ---------------------------------------------------------------- hot path

    private ScopeSet scopeSet(String featureId, String tenantId) {
        final ConcurrentHashMap<String, ScopeSet> byTenant = sets.computeIfAbsent(featureId, f -> new ConcurrentHashMap<>());
        final String t = tenantId == null ? "" : tenantId;
        ScopeSet set = byTenant.get(t);
        if (set == null) {
            set = byTenant.computeIfAbsent(t, x -> new ScopeSet(
                    slots.computeIfAbsent("global", ScopeSlot::new),
                    tenantId == null ? null : slots.computeIfAbsent("tenant:" + tenantId, ScopeSlot::new),
                    tenantId == null ? null : slots.computeIfAbsent("feature_tenant:" + featureId + "|" + tenantId, ScopeSlot::new),
                    slots.computeIfAbsent("feature:" + featureId, ScopeSlot::new),
                    "feature:" + featureId));
        }
        return set;
    }

    /**
     * Would a call of worst case {@code worstCaseNanoUsd} (nano-dollars) be admitted now? Pure
     * decision from the states and this gate's leases: records nothing (except one STALE_STATE
     * report per stale episode). A leased scope answers yes when its lease covers the call, or when
     * the state says the unleased remainder would.
     */
    public GateDecision check(String featureId, String tenantId, long worstCaseNanoUsd) {
        return decide(scopeSet(featureId, tenantId), worstCaseNanoUsd, clock.getAsLong(), false);
    }

    /** {@link #check} with the worst case in USD. */
    public GateDecision check(String featureId, String tenantId, BigDecimal worstCase) {
        return check(featureId, tenantId, NanoUsd.up(worstCase));
    }

    /**
     * The state-based part of a decision. With {@code admission} set (from {@link #reserve}), leased
     * scopes are only checked for a DENY status: their bound is the lease, taken afterwards.
     */
    private GateDecision decide(ScopeSet set, long worst, long now, boolean admission) {
        GateDecision soft = null;
        final long nowNanos = nanoClock.getAsLong();
        for (ScopeSlot slot : set.governing()) {
            if (slot == null) {
                continue;
            }
            final ScopeSlot.Snapshot s = slot.snapshot;
            if (s == null || s.mode == BudgetMode.OFF) {
                continue;
            }
            final boolean leased = ScopeSlot.leased(s);
            if (leased && s.status == BudgetStatus.DENY && now < s.periodEndMs) {
                return new GateDecision(false, false, false, s.state.getReasonCode(), slot.scopeKey, s.state, null, null, null);
            }
            final boolean coveredByLease = leased && slot.usable(nowNanos, now) && slot.available.get() >= worst;
            if (leased && (admission || coveredByLease)) {
                continue;
            }
            if (s.stale(now, staleAfterMs)) {
                if (s.stalePolicy == StalePolicy.CLOSED || s.stalePolicy == StalePolicy.SAFE && slot.safeSpent.get() + worst > s.safeAllowance) {
                    return new GateDecision(false, false, true, STALE_STATE, slot.scopeKey, s.state, null, null, null);
                }
                if (!slot.staleReported.get() && slot.staleReported.compareAndSet(false, true)) {
                    reportStale(slot, s, now);
                }
                if (soft == null) {
                    soft = GateDecision.ALLOW_STALE_OPEN;
                }
                continue;
            }
            if (slot.staleReported.get()) {
                slot.staleReported.set(false);
            }
            final boolean over = s.status == BudgetStatus.DENY
                    || (s.limit < NanoUsd.UNLIMITED && s.spent + s.reserved + s.leased + worst > s.limit);
            if (over) {
                final String reason = s.status == BudgetStatus.DENY ? s.state.getReasonCode() : GENUINE_BREACH;
                if (s.mode == BudgetMode.ENFORCE) {
                    return new GateDecision(false, false, false, reason, slot.scopeKey, s.state, null, null, null);
                }
                if (soft == null || !soft.shadowDeny()) {
                    soft = new GateDecision(true, true, false, reason, slot.scopeKey, s.state, null, null, null);
                }
            }
        }
        return soft == null ? GateDecision.ALLOW : soft;
    }

    /**
     * Takes {@code amount} from every slot's lease in order, all or nothing. Returns -1 on success,
     * else the index of the slot that could not pay (everything taken before it is given back).
     */
    static int takeAll(ScopeSlot[] leased, long amount, long nowNanos, long nowMs) {
        return takeAll(leased, amount, nowNanos, nowMs, new long[leased.length]);
    }

    /**
     * {@link #takeAll} recording in {@code epochs} the lease period each amount came from (read before
     * the take: if the period changes in between, the call is charged to the old one and its refund is
     * dropped, never added to the new lease). A rollback gives back only to a slot still in that period.
     */
    static int takeAll(ScopeSlot[] leased, long amount, long nowNanos, long nowMs, long[] epochs) {
        for (int i = 0; i < leased.length; i++) {
            final ScopeSlot s = leased[i];
            epochs[i] = s.epoch;
            if (!s.usable(nowNanos, nowMs) || !s.tryTake(amount)) {
                for (int j = 0; j < i; j++) {
                    synchronized (leased[j]) {
                        if (leased[j].epoch == epochs[j]) {
                            leased[j].available.addAndGet(amount);
                        }
                    }
                }
                return i;
            }
        }
        return -1;
    }

    /** Draws a stream's cost past what it holds from the same leases (all or nothing); false when a lease is dry. */
    boolean drawOverrun(GateReservation r, long debitedTotal) {
        while (true) {
            final long drawn = r.drawnNanoUsd.get();
            if (debitedTotal <= drawn) {
                return true;
            }
            final long extra = debitedTotal - drawn;
            if (!sameEpochs(r)) {
                return false;
            }
            final long nowNanos = nanoClock.getAsLong();
            final long[] epochs = new long[r.slots.length];
            if (takeAll(r.slots, extra, nowNanos, clock.getAsLong(), epochs) >= 0) {
                return false;
            }
            if (r.drawnNanoUsd.compareAndSet(drawn, debitedTotal)) {
                for (ScopeSlot s : r.slots) {
                    s.consumedTotal.addAndGet(extra);
                    s.lastUseNanos = nowNanos;
                }
                return true;
            }
            for (int i = 0; i < r.slots.length; i++) {
                synchronized (r.slots[i]) {
                    if (r.slots[i].epoch == epochs[i]) {
                        r.slots[i].available.addAndGet(extra);
                    }
                }
            }
        }
    }

    private static boolean sameEpochs(GateReservation r) {
        for (int i = 0; i < r.slots.length; i++) {
            if (r.slots[i].epoch != r.epochs[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- reservations

    /**
     * Admits or denies a call before dispatch and, if admitted, holds {@code worstCase} once for
     * its root request (a retry or fallback with the same root gets the existing hold back without
     * a new check). Returns at once when the leases cover the call; otherwise waits at most
     * {@code leaseWait} for the enforcer (see the class doc). A deny (and a shadow deny) is written
     * to the decisions topic.
     */
    public GateDecision reserve(GateCall call, BigDecimal worstCase) {
        return reserve(call, worstCase, true);
    }

    /**
     * {@link #reserve} for a thread that must never wait (an event loop: the gateway proxy): the same decision
     * when it can be made at once, or null when the leases cannot cover the call now and the enforcer would have to
     * be asked (nothing held, nothing written). The caller then calls {@link #reserve} off that thread.
     */
    public GateDecision tryReserve(GateCall call, BigDecimal worstCase) {
        return reserve(call, worstCase, false);
    }

    private GateDecision reserve(GateCall call, BigDecimal worstCase, boolean mayWait) {
        if (clock.getAsLong() >= nextExpirySweepMs) {
            expireStale();
        }
        final GateReservation existing = holds.get(call.rootRequestId());
        if (existing != null) {
            return GateDecision.ALLOW.withCall(call, BigDecimal.ZERO, existing);
        }
        final long worst = NanoUsd.up(worstCase);
        final ScopeSet set = scopeSet(call.featureId(), call.tenantId());
        final long now = clock.getAsLong();
        final GateDecision d = decide(set, worst, now, true).withCall(call, worstCase, null);
        if (!d.allowed()) {
            sink.decision(decisionRecord(d, call, worstCase, now));
            return d;
        }
        final List<ScopeSlot> leased = new ArrayList<>(4);
        for (ScopeSlot s : set.governing()) {
            if (s != null && ScopeSlot.leased(s.snapshot)) {
                leased.add(s);
            }
        }
        final Admission admitted = acquire(leased, worst, call, worstCase, mayWait);
        if (admitted == Admission.WOULD_WAIT) {
            return null;
        }
        if (d.shadowDeny()) {
            sink.decision(decisionRecord(d, call, worstCase, now));
        }
        if (admitted.refused() != null) {
            sink.decision(decisionRecord(admitted.refused(), call, worstCase, clock.getAsLong()));
            return admitted.refused();
        }
        final ScopeSlot[] drawn = admitted.drawn();
        final long nowNanos = nanoClock.getAsLong();
        for (ScopeSlot slot : drawn) {
            slot.consumedTotal.addAndGet(worst);
            slot.lastUseNanos = nowNanos;
            slot.lastWorstNanoUsd = worst;
        }
        // The enforcer subtracts a call's usage from the lease of the gate its reservation id names. A call a
        // governing scope admitted without its lease (OPEN / SAFE) must not be subtracted: its id names no gate
        // (the leases it did draw from then stay counted until handed back, never the other way round).
        final String holder = admitted.unleased() ? UNLEASED_PREFIX + instanceId : instanceId;
        // ...and it says when the call was admitted, so the enforcer credits it only to the lease period it drew from
        final GateReservation r = new GateReservation(holder + "@" + now + "/" + call.rootRequestId(), call, worstCase, worst, this,
                drawn, admitted.epochs(), now);
        final GateReservation raced = holds.putIfAbsent(call.rootRequestId(), r);
        if (raced != null) {
            refund(r, worst);
            return GateDecision.ALLOW.withCall(call, BigDecimal.ZERO, raced);
        }
        return d.withCall(call, worstCase, r);
    }

    /**
     * Takes {@code worst} from every leased slot; null when admitted. Leased slots admitted under
     * an OPEN or SAFE stale policy are removed from {@code leased} (nothing to refund there).
     */
    private Admission acquire(List<ScopeSlot> leased, long worst, GateCall call, BigDecimal worstCase, boolean mayWait) {
        final long deadline = nanoClock.getAsLong() + leaseWaitNanos;
        final List<ScopeSlot> safeDrawn = new ArrayList<>(1);
        boolean unleased = false;
        while (true) {
            final ScopeSlot[] order = leased.toArray(new ScopeSlot[0]);
            final long[] epochs = new long[order.length];
            final long nowNanos = nanoClock.getAsLong();
            final int failed = takeAll(order, worst, nowNanos, clock.getAsLong(), epochs);
            if (failed < 0) {
                return new Admission(null, order, epochs, unleased);
            }
            if (!mayWait) {
                // first attempt, nothing drawn under a stale policy yet: nothing to give back
                return Admission.WOULD_WAIT;
            }
            final ScopeSlot slot = order[failed];
            final ScopeSlot.Snapshot s = slot.snapshot;
            synchronized (slot) {
                if (slot.answeredSeq < slot.requestedSeq && nowNanos - slot.unansweredSinceNanos >= leaseWaitNanos) {
                    // Sticky until the next answer (checked and set under the lock the answer is applied under):
                    // calls during an outage decide at once instead of each waiting again.
                    slot.outage = true;
                }
            }
            final boolean outage = slot.outage;
            final Lease last = slot.lastAnswer;
            if (!outage && last != null && last.getStatus() == LeaseStatus.DENIED && slot.answeredSeq >= slot.requestedSeq
                    && nowNanos - slot.answeredAtNanos < RECENT_DENY_NANOS && NanoUsd.down(last.getOthersOutstandingUsd()) < worst) {
                // Refused a moment ago with nothing to recall: the same answer, without another round trip.
                return refused(safeDrawn, worst, new GateDecision(false, false, false, last.getReasonCode(), slot.scopeKey, s.state, null,
                        null, null).withCall(call, worstCase, null));
            }
            if (!outage && nowNanos - deadline < 0) {
                final long seq;
                synchronized (slot) {
                    seq = slot.answeredSeq < slot.requestedSeq ? slot.requestedSeq : 0;
                }
                final long asked = seq != 0 ? seq : requestAndGet(slot, worst);
                final Lease answer = awaitAnswer(slot, asked, deadline);
                if (answer == null) {
                    continue;
                }
                if (answer.getStatus() == LeaseStatus.DENIED && NanoUsd.down(answer.getGrantedTotalUsd()) <= slot.grantedTotal
                        && slot.available.get() < worst) {
                    if (NanoUsd.down(answer.getOthersOutstandingUsd()) >= worst && nanoClock.getAsLong() - deadline < 0) {
                        // Others hold unused lease and are being recalled: ask again shortly, first come first served.
                        awaitAnswer(slot, Long.MAX_VALUE, Math.min(deadline, nanoClock.getAsLong() + 20_000_000L));
                        requestAndGet(slot, worst);
                        continue;
                    }
                    return refused(safeDrawn, worst, new GateDecision(false, false, false, answer.getReasonCode(), slot.scopeKey, s.state,
                            null, null, null).withCall(call, worstCase, null));
                }
                continue;
            }
            if (!outage && slot.answeredSeq < slot.requestedSeq) {
                // This call waited its whole lease wait and no answer came: that is an outage, the stale policy decides.
                synchronized (slot) {
                    if (slot.answeredSeq < slot.requestedSeq) {
                        slot.outage = true;
                    }
                }
                continue;
            }
            if (!outage) {
                // The enforcer answers but not in time for this call.
                return refused(safeDrawn, worst, new GateDecision(false, false, false, ReasonCode.LEASE_TIMEOUT.name(), slot.scopeKey,
                        s.state, null, null, null).withCall(call, worstCase, null));
            }
            // No answer within the wait or stale state: the budget's stale policy.
            if (s.stalePolicy == StalePolicy.OPEN || s.stalePolicy == StalePolicy.SAFE && slot.safeSpent.addAndGet(worst) <= s.safeAllowance) {
                if (!slot.staleReported.get() && slot.staleReported.compareAndSet(false, true)) {
                    reportStale(slot, s, clock.getAsLong());
                }
                if (s.stalePolicy == StalePolicy.SAFE) {
                    safeDrawn.add(slot);
                }
                leased.remove(slot);
                unleased = true;
                retryDuringOutage(slot, worst, nowNanos);
                continue;
            }
            if (s.stalePolicy == StalePolicy.SAFE) {
                slot.safeSpent.addAndGet(-worst);
            }
            if (retryDuringOutage(slot, worst, nowNanos) && !slot.outage) {
                continue;
            }
            return refused(safeDrawn, worst, new GateDecision(false, false, true, STALE_STATE, slot.scopeKey, s.state, null, null, null)
                    .withCall(call, worstCase, null));
        }
    }

    /**
     * What {@link #acquire} decided: a refusal, or the slots drawn from with their lease periods, and
     * whether a governing leased scope admitted the call without its lease (OPEN / SAFE).
     */
    private record Admission(GateDecision refused, ScopeSlot[] drawn, long[] epochs, boolean unleased) {
        /** {@link #tryReserve}: the leases cannot pay now, the enforcer would have to be asked. */
        static final Admission WOULD_WAIT = new Admission(null, null, null, false);
    }

    /** A refusal after some scopes already admitted under SAFE: their allowance is given back. */
    private static Admission refused(List<ScopeSlot> safeDrawn, long worst, GateDecision d) {
        for (ScopeSlot s : safeDrawn) {
            s.safeSpent.addAndGet(-worst);
        }
        return new Admission(d, null, null, false);
    }

    /** During an outage, one new request per lease wait, so the gate notices when the enforcer is back. */
    private boolean retryDuringOutage(ScopeSlot slot, long worst, long nowNanos) {
        if (nowNanos - slot.requestSentNanos >= leaseWaitNanos) {
            requestAndGet(slot, worst);
            return true;
        }
        return false;
    }

    private long requestAndGet(ScopeSlot slot, long worst) {
        request(slot, worst, want(slot, worst));
        return slot.requestedSeq;
    }

    private Lease awaitAnswer(ScopeSlot slot, long seq, long deadlineNanos) {
        synchronized (slot) {
            while (slot.answeredSeq < seq) {
                final long left = deadlineNanos - nanoClock.getAsLong();
                if (left <= 0) {
                    return null;
                }
                try {
                    slot.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return slot.lastAnswer;
        }
    }

    /** The logical request finished: charges {@code actualCost}, refunds the rest to the leases. Idempotent. */
    public void commit(GateReservation r, BigDecimal actualCost) {
        if (r.settled.compareAndSet(false, true)) {
            holds.remove(r.call().rootRequestId(), r);
            refund(r, r.drawnNanoUsd.get() - NanoUsd.up(actualCost));
        }
    }

    /** The logical request was cancelled before costing anything: the whole hold goes back. Idempotent. */
    public void release(GateReservation r) {
        if (r.settled.compareAndSet(false, true)) {
            holds.remove(r.call().rootRequestId(), r);
            refund(r, r.drawnNanoUsd.get());
        }
    }

    /**
     * Gives {@code amount} back to each slot still in the period the call drew from (negative: the call
     * cost more). Under the slot's lock, so a period change cannot slip between the check and the add.
     */
    private void refund(GateReservation r, long amount) {
        for (int i = 0; i < r.slots.length; i++) {
            final ScopeSlot s = r.slots[i];
            synchronized (s) {
                if (s.epoch == r.epochs[i]) {
                    s.available.addAndGet(amount);
                    s.consumedTotal.addAndGet(-amount);
                }
            }
        }
    }

    /** Hands everything unheld in the slot back (counted in the returned total of the same period); returns it. */
    private static long handBack(ScopeSlot slot) {
        synchronized (slot) {
            final long back = slot.drain();
            slot.returnedTotal.addAndGet(back);
            return back;
        }
    }

    /**
     * Drops every hold older than the reservation TTL, without a refund: the caller crashed or forgot
     * to settle, and its call may have run. A later retry under the same root request is checked again.
     * Runs from {@link #reserve} at most every tenth of the TTL; returns how many holds expired.
     */
    public int expireStale() {
        final long now = clock.getAsLong();
        nextExpirySweepMs = now + Math.max(1, reservationTtlMs / 10);
        int expired = 0;
        for (GateReservation r : holds.values()) {
            if (now - r.createdAtMs() >= reservationTtlMs && r.settled.compareAndSet(false, true)) {
                holds.remove(r.call().rootRequestId(), r);
                expired++;
            }
        }
        return expired;
    }

    /** Holds of this gate not yet settled. */
    public int inFlightHolds() {
        return holds.size();
    }

    /** Sum of this gate's unsettled holds, USD. */
    public BigDecimal inFlightAmount() {
        long sum = 0;
        for (GateReservation r : holds.values()) {
            sum += r.drawnNanoUsd.get();
        }
        return NanoUsd.usd(sum);
    }

    /** The most recent lease round trips of this gate (request sent to answer applied), ns, oldest first (diagnostics). */
    public long[] renewalLatenciesNanos() {
        final long n = renewalCount.get();
        final int size = (int) Math.min(n, renewals.length);
        final long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = renewals[(int) ((n - size + i) & (renewals.length - 1))];
        }
        return out;
    }

    /**
     * Would {@link #reserve} answer at once, without waiting for the enforcer? True when no leased scope
     * governs the call, or every governing lease is usable and covers {@code worstCase}. A server that must
     * not block (an event loop: the gateway proxy) reserves inline then, and hands the call to a worker
     * otherwise. Another thread draining the lease in between can only make that one reserve wait.
     */
    public boolean answersAtOnce(String featureId, String tenantId, BigDecimal worstCase) {
        final long worst = NanoUsd.up(worstCase);
        final long nowNanos = nanoClock.getAsLong();
        final long nowMs = clock.getAsLong();
        for (ScopeSlot s : scopeSet(featureId, tenantId).governing()) {
            if (s != null && ScopeSlot.leased(s.snapshot) && !(s.usable(nowNanos, nowMs) && s.available.get() >= worst)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Does a leased budget (mode ENFORCE with a limit) govern calls of this feature and tenant? A call no such
     * budget governs needs no worst case: nothing is taken from a lease for it.
     */
    public boolean leaseGoverns(String featureId, String tenantId) {
        for (ScopeSlot s : scopeSet(featureId, tenantId).governing()) {
            if (s != null && ScopeSlot.leased(s.snapshot)) {
                return true;
            }
        }
        return false;
    }

    /** What this gate's lease of a scope still holds unused, USD (zero if none). */
    public BigDecimal leaseAvailable(String scopeKey) {
        final ScopeSlot s = slots.get(scopeKey);
        return s == null ? BigDecimal.ZERO : NanoUsd.usd(s.available.get());
    }

    /** Is this gate's lease of a scope usable now (received, not expired, in its period)? */
    public boolean leaseUsable(String scopeKey) {
        final ScopeSlot s = slots.get(scopeKey);
        return s != null && s.usable(nanoClock.getAsLong(), clock.getAsLong());
    }

    private BudgetDecision decisionRecord(GateDecision d, GateCall call, BigDecimal worstCase, long now) {
        final BudgetState s = d.state();
        return BudgetDecision.newBuilder()
                .setDecisionId(gateId + "/" + call.requestId() + "/" + d.reasonCode())
                .setScopeKey(d.scopeKey())
                .setBudgetId(s.getBudgetId())
                .setFeatureId(call.featureId())
                .setTenantId(call.tenantId())
                .setModel(call.model())
                .setModelTier(call.modelTier())
                .setDecision(BudgetStatus.DENY)
                .setEnforced(!d.allowed())
                .setReasonCode(d.reasonCode())
                .setPeriodStart(s.getPeriodStart())
                .setPeriodEnd(s.getPeriodEnd())
                .setLimitUsd(s.getLimitUsd())
                .setSpentUsd(s.getSpentUsd())
                .setReservedUsd(s.getReservedUsd())
                .setReserveDeltaUsd(scale(worstCase))
                .setRequestId(call.requestId())
                .setParentRequestId(call.parentRequestId())
                .setRootRequestId(call.rootRequestId())
                .setSource("gate:" + gateId)
                .setMessage(d.message() + (d.allowed() ? " [shadow: ALERT_ONLY, allowed]" : ""))
                .setDecidedAt(Instant.ofEpochMilli(now))
                .build();
    }


    private void reportStale(ScopeSlot slot, ScopeSlot.Snapshot s, long now) {
        final BudgetState st = s.state;
        sink.decision(BudgetDecision.newBuilder()
                .setDecisionId(gateId + "/" + slot.scopeKey + "/STALE_STATE/" + s.heartbeatAtMs)
                .setScopeKey(slot.scopeKey)
                .setBudgetId(st.getBudgetId())
                .setFeatureId(st.getFeatureId())
                .setTenantId(st.getTenantId())
                .setDecision(BudgetStatus.ALLOW)
                .setEnforced(false)
                .setReasonCode(STALE_STATE)
                .setPeriodStart(st.getPeriodStart())
                .setPeriodEnd(st.getPeriodEnd())
                .setLimitUsd(st.getLimitUsd())
                .setSpentUsd(st.getSpentUsd())
                .setReservedUsd(st.getReservedUsd())
                .setReserveDeltaUsd(scale(BigDecimal.ZERO))
                .setSource("gate:" + gateId)
                .setMessage("Budget state for " + slot.scopeKey + " is " + (now - s.heartbeatAtMs) + " ms old, the enforcer "
                        + s.inputLagMs + " ms behind its input (bound " + staleAfterMs + " ms) and no lease answer came; stale policy "
                        + s.stalePolicy + ": allowing calls until the enforcer is back")
                .setDecidedAt(Instant.ofEpochMilli(now))
                .build());
    }

    private static BigDecimal scale(BigDecimal x) {
        return x.setScale(12, java.math.RoundingMode.HALF_EVEN);
    }

    /** Known scope keys and their states (diagnostics). */
    public Map<String, BudgetState> states() {
        final Map<String, BudgetState> m = new java.util.TreeMap<>();
        slots.forEach((k, v) -> {
            final ScopeSlot.Snapshot s = v.snapshot;
            if (s != null) {
                m.put(k, s.state);
            }
        });
        return m;
    }

    /** Hands every unused lease back (so the enforcer can grant it to others at once), then closes the feeds and the sink. */
    @Override
    public void close() {
        for (ScopeSlot slot : slots.values()) {
            if (handBack(slot) > 0) {
                request(slot, 0, 0);
            }
        }
        for (AutoCloseable f : feeds) {
            try {
                f.close();
            } catch (Exception e) {
                // closing; nothing to recover
            }
        }
        sink.close();
    }
}
