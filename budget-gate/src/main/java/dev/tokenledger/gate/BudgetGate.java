package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.ReservationStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The budget gate: answers allow/deny before a call is dispatched, locally, from the BudgetState
 * records the enforcer publishes on {@code tokenledger.budget-state.v1}.
 *
 * <h2>Rule</h2>
 * A call by (feature F, tenant T) with worst case W is checked against the states of
 * {@code global}, {@code tenant:T}, {@code feature_tenant:F|T} and {@code feature:F} (the last is
 * skipped when {@code feature_tenant:F|T} is a carve-out of F's budget). For each state present:
 * <ul>
 *   <li>mode OFF: ignored;</li>
 *   <li>stale ({@code now - heartbeat_at > staleAfter}): stale policy CLOSED denies (STALE_STATE);
 *       OPEN allows and reports one STALE_STATE decision per stale episode;</li>
 *   <li>status DENY, or {@code spent + max(reserved, localHeld) + W > limit}: deny in ENFORCE
 *       (reason from the state, else GENUINE_BREACH); in ALERT_ONLY allow with a shadow deny,
 *       logged as a decision with enforced=false.</li>
 * </ul>
 * {@code localHeld} is this gate's own holds not yet settled: counting {@code max(reserved,
 * localHeld)} never double-counts a hold the enforcer already reports and never forgets one it
 * has not seen yet. Overshoot across several gates is therefore bounded by the other gates'
 * in-flight holds not yet in the state plus the spend of one propagation interval.
 *
 * <h2>Reservations</h2>
 * {@link #reserve} holds W once per {@code root_request_id} (retries and fallbacks get the same
 * {@link GateReservation}), writes a HELD record to {@code tokenledger.reservations.v1}
 * asynchronously, and {@link #commit} / {@link #release} settle it (COMMITTED with the actual cost /
 * RELEASED). A hold never settled expires at the enforcer after {@code reservationTtl}.
 *
 * <h2>Hot path</h2>
 * {@link #check} does two map lookups and a few long comparisons per scope, no allocation for an
 * allow; amounts are nano-dollars rounded against the caller (see {@code Nanos}).
 */
public final class BudgetGate implements AutoCloseable {
    private final String gateId;
    private final long staleAfterMs;
    private final long reservationTtlMs;
    private final LongSupplier clock;
    private final GateRecordSink sink;
    private final ConcurrentHashMap<String, ScopeSlot> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ScopeSet>> sets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, GateReservation> holds = new ConcurrentHashMap<>();
    private volatile AutoCloseable feed;
    /** When reserve() next sweeps for holds past their TTL (a caller that never settled). */
    private volatile long nextExpirySweepMs;

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
    }

    /**
     * A gate fed by {@link #onState}; {@code sink} receives its reservation and decision records.
     * Use {@link KafkaBudgetGates#connect} for a gate wired to Kafka.
     */
    public BudgetGate(String gateId, Duration staleAfter, Duration reservationTtl, LongSupplier clock, GateRecordSink sink) {
        this.gateId = gateId;
        this.staleAfterMs = staleAfter.toMillis();
        this.reservationTtlMs = reservationTtl.toMillis();
        this.clock = clock;
        this.sink = sink;
    }

    void attachFeed(AutoCloseable feed) {
        this.feed = feed;
    }

    public String gateId() {
        return gateId;
    }

    /** Waits until the state feed has read the budget-state topic up to its end at start (true), or times out. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return !(feed instanceof CompactedTopicFeed<?> f) || f.awaitReady(timeout);
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
        if (!isStale(slot.snapshot, clock.getAsLong())) {
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

    private boolean isStale(ScopeSlot.Snapshot s, long now) {
        return now - s.heartbeatAtMs > staleAfterMs;
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
     * Would a call of worst case {@code worstCaseNanos} (nano-dollars) be admitted now? Pure
     * decision: records nothing (except one STALE_STATE report per stale episode).
     */
    public GateDecision check(String featureId, String tenantId, long worstCaseNanos) {
        return decide(scopeSet(featureId, tenantId), worstCaseNanos, clock.getAsLong());
    }

    /** {@link #check} with the worst case in USD. */
    public GateDecision check(String featureId, String tenantId, BigDecimal worstCase) {
        return check(featureId, tenantId, Nanos.up(worstCase));
    }

    private GateDecision decide(ScopeSet set, long worst, long now) {
        final ScopeSlot ft = set.featureTenant;
        final ScopeSlot.Snapshot ftSnap = ft == null ? null : ft.snapshot;
        final boolean carved = ftSnap != null && set.featureKey.equals(ftSnap.budgetId);
        GateDecision soft = null;
        for (int i = 0; i < 4; i++) {
            final ScopeSlot slot = i == 0 ? set.global : i == 1 ? set.tenant : i == 2 ? ft : carved ? null : set.feature;
            if (slot == null) {
                continue;
            }
            final ScopeSlot.Snapshot s = slot.snapshot;
            if (s == null || s.mode == BudgetMode.OFF) {
                continue;
            }
            if (now - s.heartbeatAtMs > staleAfterMs) {
                if (s.staleClosed) {
                    return new GateDecision(false, false, true, "STALE_STATE", slot.scopeKey, s.state, null, null, null);
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
                    || (s.limit < Nanos.UNLIMITED && s.spent + Math.max(s.reserved, slot.localHeld.get()) + worst > s.limit);
            if (over) {
                final String reason = s.status == BudgetStatus.DENY ? s.state.getReasonCode() : "GENUINE_BREACH";
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

    // ---------------------------------------------------------------- reservations

    /**
     * Admits or denies a call before dispatch and, if admitted, holds {@code worstCase} once for
     * its root request (a retry or fallback with the same root gets the existing hold back without
     * a new check). Never blocks: records are written asynchronously. A deny (and a shadow deny)
     * is written to the decisions topic.
     */
    public GateDecision reserve(GateCall call, BigDecimal worstCase) {
        if (clock.getAsLong() >= nextExpirySweepMs) {
            expireStale();
        }
        final GateReservation existing = holds.get(call.rootRequestId());
        if (existing != null) {
            return GateDecision.ALLOW.withCall(call, BigDecimal.ZERO, existing);
        }
        final long worst = Nanos.up(worstCase);
        final ScopeSet set = scopeSet(call.featureId(), call.tenantId());
        final long now = clock.getAsLong();
        final GateDecision d = decide(set, worst, now).withCall(call, worstCase, null);
        if (!d.allowed() || d.shadowDeny()) {
            sink.decision(decisionRecord(d, call, worstCase, now));
            if (!d.allowed()) {
                return d;
            }
        }
        final List<ScopeSlot> counted = new ArrayList<>(4);
        final ScopeSlot.Snapshot ftSnap = set.featureTenant == null ? null : set.featureTenant.snapshot;
        final boolean carved = ftSnap != null && set.featureKey.equals(ftSnap.budgetId);
        for (ScopeSlot s : new ScopeSlot[] {set.global, set.tenant, set.featureTenant, carved ? null : set.feature}) {
            if (s != null && s.snapshot != null) {
                counted.add(s);
            }
        }
        final ScopeSlot[] held = counted.toArray(new ScopeSlot[0]);
        final String[] keys = new String[held.length];
        for (int i = 0; i < held.length; i++) {
            keys[i] = held[i].scopeKey;
        }
        final GateReservation r = new GateReservation(gateId + "/" + call.rootRequestId(), call, worstCase, worst, held, keys, now);
        final GateReservation raced = holds.putIfAbsent(call.rootRequestId(), r);
        if (raced != null) {
            return GateDecision.ALLOW.withCall(call, BigDecimal.ZERO, raced);
        }
        for (ScopeSlot s : held) {
            s.localHeld.addAndGet(worst);
        }
        sink.reservation(reservationRecord(r, ReservationStatus.HELD, null, now));
        return d.withCall(call, worstCase, r);
    }

    /** The logical request finished: charges {@code actualCost} (unused part released). Idempotent. */
    public void commit(GateReservation r, BigDecimal actualCost) {
        settle(r, ReservationStatus.COMMITTED, actualCost);
    }

    /** The logical request was cancelled before costing anything. Idempotent. */
    public void release(GateReservation r) {
        settle(r, ReservationStatus.RELEASED, null);
    }

    private boolean settle(GateReservation r, ReservationStatus status, BigDecimal actual) {
        if (!r.settled.compareAndSet(false, true)) {
            return false;
        }
        holds.remove(r.call().rootRequestId(), r);
        for (ScopeSlot s : r.slots) {
            s.localHeld.addAndGet(-r.amountNanos());
        }
        sink.reservation(reservationRecord(r, status, actual, clock.getAsLong()));
        return true;
    }

    /**
     * Settles as EXPIRED every hold older than the reservation TTL: a caller that crashed or forgot
     * to commit must not shrink this gate's headroom forever, and a later retry under the same root
     * request must be checked again instead of riding a dead hold. The enforcer releases EXPIRED
     * holds as it does RELEASED ones (and expires them on its own too, STALE_RESERVATION). Runs
     * from {@link #reserve} at most every tenth of the TTL; returns how many holds expired.
     */
    public int expireStale() {
        final long now = clock.getAsLong();
        nextExpirySweepMs = now + Math.max(1, reservationTtlMs / 10);
        int expired = 0;
        for (GateReservation r : holds.values()) {
            if (now - r.createdAtMs() >= reservationTtlMs && settle(r, ReservationStatus.EXPIRED, null)) {
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
            sum += r.amountNanos();
        }
        return Nanos.usd(sum);
    }

    private Reservation reservationRecord(GateReservation r, ReservationStatus status, BigDecimal actual, long now) {
        return Reservation.newBuilder()
                .setReservationId(r.reservationId())
                .setRootRequestId(r.call().rootRequestId())
                .setRequestId(r.call().requestId())
                .setFeatureId(r.call().featureId())
                .setTenantId(r.call().tenantId())
                .setScopeKeys(List.of(r.scopeKeys))
                .setAmountUsd(scale(r.amount()))
                .setActualUsd(actual == null ? null : scale(actual))
                .setTtlMs(reservationTtlMs)
                .setStatus(status)
                .setGateId(gateId)
                .setCreatedAt(Instant.ofEpochMilli(r.createdAtMs()))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
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
                .setReasonCode("STALE_STATE")
                .setPeriodStart(st.getPeriodStart())
                .setPeriodEnd(st.getPeriodEnd())
                .setLimitUsd(st.getLimitUsd())
                .setSpentUsd(st.getSpentUsd())
                .setReservedUsd(st.getReservedUsd())
                .setReserveDeltaUsd(scale(BigDecimal.ZERO))
                .setSource("gate:" + gateId)
                .setMessage("Budget state for " + slot.scopeKey + " is " + (now - s.heartbeatAtMs) + " ms old (bound " + staleAfterMs
                        + " ms); stale policy OPEN: allowing calls until the enforcer is back")
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

    @Override
    public void close() {
        try {
            if (feed != null) {
                feed.close();
            }
        } catch (Exception e) {
            // closing; nothing to recover
        }
        sink.close();
    }
}
