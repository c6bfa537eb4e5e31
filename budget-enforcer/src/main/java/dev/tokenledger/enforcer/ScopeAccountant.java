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

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The budget rules applied to one scope's {@link ScopeLedger}: plain Java, no Kafka. The enforcer's
 * processor calls {@link #onUsage}, {@link #onReservation} and {@link #onTick} and publishes what
 * they return.
 *
 * <h2>Status</h2>
 * With L the limit in force (override or carve-out applied) and {@code used = spent + reserved}:
 * <ol>
 *   <li>mode OFF: ALLOW / MODE_OFF, no alerts, no decisions;</li>
 *   <li>unlimited override: ALLOW / OVERRIDE_ACTIVE;</li>
 *   <li>{@code used >= L}: DENY / GENUINE_BREACH (ALERT_ONLY: WARN / SHADOW_DENY, a decision with
 *       enforced=false; ALERT_ONLY never publishes DENY so even a naive reader never blocks);</li>
 *   <li>burst limit (below): DENY / BURST_LIMIT for the rest of the local day (ALERT_ONLY: shadow);</li>
 *   <li>{@code used >= W% of L} where W is the WARN threshold (highest threshold below 100):
 *       WARN / THRESHOLD_WARN;</li>
 *   <li>today above its on-track share (burst, below): WARN / BURST_WARN;</li>
 *   <li>else ALLOW / WITHIN_BUDGET (OVERRIDE_ACTIVE while an override with a limit is in force).</li>
 * </ol>
 *
 * <h2>Daily burst tolerance (MONTH budgets, {@code burst_tolerance_pct} B &gt; 0, no active override)</h2>
 * Let D be the number of days of the month, d today's day of month (1-based, in the budget's zone),
 * {@code before} the month's spend before today and {@code today} today's spend plus reserved.
 * <ul>
 *   <li>today's on-track daily share {@code S = max(0, L - before) / (D - d + 1)}: what is left,
 *       spread evenly over the days left including today (unused budget rolls forward);</li>
 *   <li>the month is <b>on track</b> when {@code before <= L x (d - 1) / D}: it spent no more than
 *       its pro-rata share of the elapsed days;</li>
 *   <li>the day's cap is {@code S x B / 100} when the month is on track, else {@code S};</li>
 *   <li>{@code today > S}: WARN (BURST_WARN); {@code today >= cap}: DENY (BURST_LIMIT) until local
 *       midnight. B = 0 turns daily pacing off.</li>
 * </ul>
 *
 * <h2>Alerts and decisions</h2>
 * Each threshold fires one BudgetAlert per scope and period when <i>spent</i> reaches it
 * ({@code alert_id = scope_key|period_start|threshold}, so a restart replaying input never yields
 * a second id). A BudgetDecision is written for every transition into DENY (or shadow DENY), for
 * an override applied (OVERRIDE_APPLIED), on the first evaluation after its expiry
 * (OVERRIDE_EXPIRED) and for every expired hold (STALE_RESERVATION).
 */
public final class ScopeAccountant {

    /** What one step produced: the new state (null if nothing to publish), alerts, decisions. */
    public record Outcome(BudgetState state, List<BudgetAlert> alerts, List<BudgetDecision> decisions, List<Lease> leases) {
        public Outcome(BudgetState state, List<BudgetAlert> alerts, List<BudgetDecision> decisions) {
            this(state, alerts, decisions, List.of());
        }

        Outcome withLeases(List<Lease> more) {
            return more.isEmpty() ? this : new Outcome(state, alerts, decisions, more);
        }
    }

    /** Result of {@link #evaluate}. {@code cause} is the reason behind a (shadow) deny. */
    public record Evaluation(BudgetStatus status, String reason, String cause, BigDecimal limit, BigDecimal reserved) {
    }

    private final String source;
    private final LeaseGrants grants;
    /** How far behind its input the processor is (set by it before each step; published as input_lag_ms). */
    private long inputLagMs;

    public ScopeAccountant(String source) {
        this(source, Duration.ofSeconds(30));
    }

    public ScopeAccountant(String source, Duration leaseTtl) {
        this.source = source;
        this.grants = new LeaseGrants(leaseTtl);
    }

    /** The lag of the input being processed: wall clock minus its newest record's timestamp, ms. */
    public void observedInputLag(long lagMs) {
        this.inputLagMs = Math.max(0, lagMs);
    }

    /** A gate asks for lease or reports what it handed back: the escrow rules of {@link LeaseGrants}. */
    public Outcome onLeaseRequest(ScopeLedger ledger, BudgetPolicy policy, LeaseRequest r, Instant now) {
        ledger.rollTo(policy.window(now));
        final List<Lease> leases = grants.onRequest(ledger, policy, r, now);
        return step(ledger, policy, now, true, null).withLeases(leases);
    }

    /** Costed usage for this scope: spend in the event's period; a late event of a past period is not charged. */
    public Outcome onUsage(ScopeLedger ledger, BudgetPolicy policy, CostedUsage usage, Instant now) {
        return onUsage(ledger, policy, ScopeCharge.of(usage), now);
    }

    /** The same, from the charge the fan-out sends each scope. */
    public Outcome onUsage(ScopeLedger ledger, BudgetPolicy policy, ScopeCharge c, Instant now) {
        final BigDecimal cost = c.costUsd();
        if (chargeToPeriod(ledger, policy, Instant.ofEpochMilli(c.occurredAtMs()), cost, now)) {
            LeaseGrants.chargeUsage(ledger, c.reservationId(), cost);
        }
        if (c.reservationId() != null) {
            ledger.applyUsage(c.reservationId(), cost, now.toEpochMilli());
        }
        return step(ledger, policy, now, true, triggerOf(c));
    }

    /**
     * A re-pricing correction of usage this scope was charged: its delta moves the spend of the period of the event's
     * occurred_at, as the usage itself did (nothing when that period is over). Leases and holds stay: the gate admitted
     * the call at the price of its day; only what the call cost is corrected.
     */
    public Outcome onAdjustment(ScopeLedger ledger, BudgetPolicy policy, PriceAdjustment adjustment, Instant now) {
        final UsageEvent e = adjustment.getEvent();
        chargeToPeriod(ledger, policy, e.getOccurredAt(), adjustment.getDeltaUsd(), now);
        return step(ledger, policy, now, true, triggerOf(ScopeCharge.of(e, adjustment.getDeltaUsd())));
    }

    /** Adds {@code amount} to the spend of the period of {@code occurred} when that is the ledger's period; true if it did. */
    private static boolean chargeToPeriod(ScopeLedger ledger, BudgetPolicy policy, Instant occurred, BigDecimal amount, Instant now) {
        final PeriodWindow window = policy.window(occurred);
        ledger.rollTo(policy.window(now).startMs() >= window.startMs() ? policy.window(now) : window);
        if (window.startMs() != ledger.periodStart) {
            return false;
        }
        ledger.addSpend(amount, PeriodWindow.day(policy.zone(), occurred));
        return true;
    }

    private static Trigger triggerOf(ScopeCharge c) {
        return new Trigger(c.requestId(), c.parentRequestId(), c.rootRequestId(), c.reservationId(), c.model(), c.modelTier(),
                c.featureId(), c.tenantId(), c.costUsd());
    }

    /** A reservation record for this scope: HELD, COMMITTED, RELEASED or EXPIRED. */
    public Outcome onReservation(ScopeLedger ledger, BudgetPolicy policy, Reservation r, Instant now) {
        ledger.rollTo(policy.window(now));
        switch (r.getStatus()) {
            case HELD: {
                final Hold h = ledger.hold(r.getReservationId(), r.getAmountUsd(), r.getCreatedAt().toEpochMilli(),
                        r.getCreatedAt().toEpochMilli() + r.getTtlMs());
                h.requestId = r.getRequestId();
                h.rootRequestId = r.getRootRequestId();
                h.featureId = r.getFeatureId();
                h.tenantId = r.getTenantId();
                ledger.update(h);
                break;
            }
            case COMMITTED:
                ledger.commit(r.getReservationId(), r.getActualUsd());
                break;
            default:
                ledger.release(r.getReservationId());
        }
        return step(ledger, policy, now, true, new Trigger(r.getRequestId(), null, r.getRootRequestId(), r.getReservationId(),
                null, null, r.getFeatureId(), r.getTenantId(), r.getAmountUsd()));
    }

    /**
     * The punctuator's step: period rollover, expired holds (STALE_RESERVATION), override
     * expiry, re-evaluation against the current budget. Always returns a state (heartbeat).
     */
    public Outcome onTick(ScopeLedger ledger, BudgetPolicy policy, Instant now) {
        final boolean rolled = ledger.rollTo(policy.window(now));
        final List<Hold> expired = ledger.expire(now.toEpochMilli());
        final Outcome o = step(ledger, policy, now, rolled || !expired.isEmpty(), null);
        final List<BudgetDecision> decisions = new ArrayList<>(o.decisions());
        for (Hold h : expired) {
            decisions.add(decision(ledger, policy, now, status(o.state()), true, ReasonCodes.STALE_RESERVATION,
                    ledger.scopeKey + "|reservation:" + h.reservationId + "|" + ReasonCodes.STALE_RESERVATION,
                    new Trigger(h.requestId, null, h.rootRequestId, h.reservationId, null, null, h.featureId, h.tenantId, h.amount),
                    "Reservation " + h.reservationId + " of " + Money.format(h.amount, 6) + " outlived its TTL and was freed"
                            + " (the caller never committed or released it)"));
        }
        return new Outcome(o.state(), o.alerts(), decisions, grants.onTick(ledger, policy, now));
    }

    private static BudgetStatus status(BudgetState s) {
        return s.getStatus();
    }

    /** The status rules (see the class Javadoc). */
    public static Evaluation evaluate(ScopeLedger ledger, BudgetPolicy policy, Instant now) {
        final BigDecimal reserved = ledger.reserved();
        final BigDecimal limit = policy.effectiveLimit(now);
        if (policy.mode() == BudgetMode.OFF) {
            return new Evaluation(BudgetStatus.ALLOW, ReasonCodes.MODE_OFF, null, limit, reserved);
        }
        final BudgetOverride override = policy.activeOverride(now);
        if (limit == null) {
            return new Evaluation(BudgetStatus.ALLOW, ReasonCodes.OVERRIDE_ACTIVE, null, null, reserved);
        }
        final boolean shadow = policy.mode() == BudgetMode.ALERT_ONLY;
        final BigDecimal used = ledger.spent.add(reserved);
        if (used.compareTo(limit) >= 0) {
            return deny(shadow, ReasonCodes.GENUINE_BREACH, limit, reserved);
        }
        BigDecimal share = null;
        if (policy.period() == BudgetPeriod.MONTH && policy.burstTolerancePct() > 0 && override == null) {
            final ZonedDateTime local = now.atZone(policy.zone());
            final int days = YearMonth.from(local).lengthOfMonth();
            final int d = local.getDayOfMonth();
            final PeriodWindow today = PeriodWindow.day(policy.zone(), now);
            final BigDecimal todaySpent = ledger.spentOn(today);
            final BigDecimal before = ledger.spent.subtract(todaySpent);
            final BigDecimal left = limit.subtract(before).max(BigDecimal.ZERO);
            share = left.divide(BigDecimal.valueOf(days - d + 1L), Money.SCALE, RoundingMode.DOWN);
            final boolean onTrack = before.multiply(BigDecimal.valueOf(days)).compareTo(limit.multiply(BigDecimal.valueOf(d - 1L))) <= 0;
            final BigDecimal cap = onTrack
                    ? share.multiply(BigDecimal.valueOf(policy.burstTolerancePct())).divide(BigDecimal.valueOf(100), Money.SCALE, RoundingMode.DOWN)
                    : share;
            final BigDecimal todayUsed = todaySpent.add(reserved);
            if (todayUsed.compareTo(cap) >= 0) {
                return deny(shadow, ReasonCodes.BURST_LIMIT, limit, reserved);
            }
            if (todayUsed.compareTo(share) <= 0) {
                share = null;
            }
        }
        final int warn = policy.warnThreshold();
        if (warn > 0 && used.multiply(BigDecimal.valueOf(100)).compareTo(limit.multiply(BigDecimal.valueOf(warn))) >= 0) {
            return new Evaluation(BudgetStatus.WARN, ReasonCodes.THRESHOLD_WARN, null, limit, reserved);
        }
        if (share != null) {
            return new Evaluation(BudgetStatus.WARN, ReasonCodes.BURST_WARN, null, limit, reserved);
        }
        return new Evaluation(BudgetStatus.ALLOW, override != null ? ReasonCodes.OVERRIDE_ACTIVE : ReasonCodes.WITHIN_BUDGET,
                null, limit, reserved);
    }

    private static Evaluation deny(boolean shadow, String cause, BigDecimal limit, BigDecimal reserved) {
        return shadow
                ? new Evaluation(BudgetStatus.WARN, ReasonCodes.SHADOW_DENY, cause, limit, reserved)
                : new Evaluation(BudgetStatus.DENY, cause, cause, limit, reserved);
    }

    private record Trigger(String requestId, String parentRequestId, String rootRequestId, String reservationId, String model,
                           String modelTier, String featureId, String tenantId, BigDecimal delta) {
    }

    private Outcome step(ScopeLedger ledger, BudgetPolicy policy, Instant now, boolean changed, Trigger trigger) {
        final Evaluation ev = evaluate(ledger, policy, now);
        final List<BudgetAlert> alerts = new ArrayList<>();
        final List<BudgetDecision> decisions = new ArrayList<>();
        final Trigger t = trigger != null ? trigger
                : new Trigger(null, null, null, null, null, null, policy.featureId(), policy.tenantId(), BigDecimal.ZERO);
        String reason = ev.reason();

        // Overrides: audited once when applied, once on the first evaluation after expiry.
        final String overrideKey = policy.overrideKey();
        if (overrideKey != null && policy.activeOverride(now) != null && !overrideKey.equals(ledger.auditedOverride)) {
            ledger.auditedOverride = overrideKey;
            final BudgetOverride o = policy.budget().getOverride();
            decisions.add(decision(ledger, policy, now, ev.status(), policy.mode() == BudgetMode.ENFORCE, ReasonCodes.OVERRIDE_APPLIED,
                    ledger.scopeKey + "|override:" + overrideKey + "|" + ReasonCodes.OVERRIDE_APPLIED, t,
                    "Override by " + o.getBy() + " until " + o.getUntil() + " (" + o.getReason() + "): limit "
                            + (o.getLimitUsd() == null ? "unlimited" : Money.format(o.getLimitUsd(), 2))));
        }
        boolean overrideExpiredNow = false;
        if (overrideKey != null && policy.activeOverride(now) == null && overrideKey.equals(ledger.auditedOverride)
                && !overrideKey.equals(ledger.expiredOverride)) {
            ledger.expiredOverride = overrideKey;
            overrideExpiredNow = true;
            reason = ev.status() == BudgetStatus.ALLOW ? ReasonCodes.OVERRIDE_EXPIRED : reason;
            decisions.add(decision(ledger, policy, now, ev.status(), policy.mode() == BudgetMode.ENFORCE, ReasonCodes.OVERRIDE_EXPIRED,
                    ledger.scopeKey + "|override:" + overrideKey + "|" + ReasonCodes.OVERRIDE_EXPIRED, t,
                    "Override by " + policy.budget().getOverride().getBy() + " expired at " + policy.budget().getOverride().getUntil()
                            + "; limit back to " + Money.format(ev.limit() == null ? policy.baseLimit() : ev.limit(), 2)));
        }

        // Thresholds on spent, once per scope, threshold and period.
        if (policy.mode() != BudgetMode.OFF && ev.limit() != null) {
            for (int th : policy.thresholds()) {
                if (!ledger.fired.contains(th)
                        && ledger.spent.multiply(BigDecimal.valueOf(100)).compareTo(ev.limit().multiply(BigDecimal.valueOf(th))) >= 0) {
                    ledger.fired.add(th);
                    alerts.add(alert(ledger, policy, now, th, ev));
                }
            }
        }

        // Transition into (shadow) DENY.
        final boolean denying = ev.cause() != null;
        final boolean wasDenying = ReasonCodes.GENUINE_BREACH.equals(ledger.reason) || ReasonCodes.BURST_LIMIT.equals(ledger.reason)
                || ReasonCodes.SHADOW_DENY.equals(ledger.reason);
        final boolean sameDeny = wasDenying && ev.reason().equals(ledger.reason);
        final boolean newDeny = denying && !sameDeny;

        final boolean statusChanged = !ev.status().name().equals(ledger.status) || !reason.equals(ledger.reason)
                || !same(ev.limit(), ledger.lastLimit);
        if (changed || statusChanged || !decisions.isEmpty() || !alerts.isEmpty()) {
            ledger.version++;
            ledger.updatedAt = now.toEpochMilli();
        }
        if (newDeny && !overrideExpiredNow) {
            final boolean enforced = ev.status() == BudgetStatus.DENY;
            decisions.add(decision(ledger, policy, now, BudgetStatus.DENY, enforced, ev.cause(),
                    ledger.scopeKey + "|" + ledger.periodStart + "|" + ev.cause() + "|" + ledger.version, t,
                    denyMessage(ledger, policy, ev, enforced)));
        }
        ledger.status = ev.status().name();
        ledger.reason = reason;
        ledger.lastLimit = ev.limit();
        return new Outcome(state(ledger, policy, ev, reason, now, inputLagMs), alerts, decisions);
    }

    /** hourly, daily, monthly. */
    private static String adjective(BudgetPeriod period) {
        return period == BudgetPeriod.DAY ? "daily" : period.name().toLowerCase() + "ly";
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static String denyMessage(ScopeLedger ledger, BudgetPolicy policy, Evaluation ev, boolean enforced) {
        final String what = ReasonCodes.BURST_LIMIT.equals(ev.cause())
                ? "spent its daily burst allowance of the " + adjective(policy.period()) + " budget"
                : "reached its " + adjective(policy.period()) + " budget";
        return "Scope " + ledger.scopeKey + " " + what + " of " + Money.format(ev.limit(), 2) + " (" + Money.format(ledger.spent, 4)
                + " spent, " + Money.format(ev.reserved(), 4) + " reserved)" + (enforced ? "" : " [shadow: ALERT_ONLY, not enforced]");
    }

    /** Builds the BudgetState for the ledger (heartbeat_at = now). */
    public static BudgetState state(ScopeLedger ledger, BudgetPolicy policy, Evaluation ev, String reason, Instant now) {
        return state(ledger, policy, ev, reason, now, 0);
    }

    /** {@link #state} with the enforcer's input lag (see BudgetState.input_lag_ms). */
    public static BudgetState state(ScopeLedger ledger, BudgetPolicy policy, Evaluation ev, String reason, Instant now, long inputLagMs) {
        final BigDecimal limit = ev.limit() == null ? ReasonCodes.UNLIMITED : ev.limit();
        final BigDecimal leased = ledger.leased();
        return BudgetState.newBuilder()
                .setScopeKey(ledger.scopeKey)
                .setBudgetId(policy.budgetId())
                .setScope(policy.scope())
                .setFeatureId(policy.featureId())
                .setTenantId(policy.tenantId())
                .setStatus(ev.status())
                .setMode(policy.mode())
                .setStalePolicy(policy.stalePolicy())
                .setLimitUsd(Money.toScale(limit))
                .setSpentUsd(Money.toScale(ledger.spent))
                .setReservedUsd(Money.toScale(ev.reserved()))
                .setRemainingUsd(Money.toScale(limit.subtract(ledger.spent).subtract(ev.reserved()).subtract(leased)))
                .setLeasedUsd(Money.toScale(leased))
                .setSafeAllowanceUsd(policy.budget().getSafeAllowanceUsd() == null ? null : Money.toScale(policy.budget().getSafeAllowanceUsd()))
                .setInputLagMs(inputLagMs)
                .setPeriodStart(Instant.ofEpochMilli(ledger.periodStart))
                .setPeriodEnd(Instant.ofEpochMilli(ledger.periodEnd))
                .setReasonCode(reason)
                .setVersion(ledger.version)
                .setUpdatedAt(Instant.ofEpochMilli(ledger.updatedAt == 0 ? now.toEpochMilli() : ledger.updatedAt))
                .setHeartbeatAt(now)
                .build();
    }

    private BudgetAlert alert(ScopeLedger ledger, BudgetPolicy policy, Instant now, int threshold, Evaluation ev) {
        return BudgetAlert.newBuilder()
                .setAlertId(ledger.scopeKey + "|" + ledger.periodStart + "|" + threshold)
                .setScopeKey(ledger.scopeKey)
                .setBudgetId(policy.budgetId())
                .setScope(policy.scope())
                .setFeatureId(policy.featureId())
                .setTenantId(policy.tenantId())
                .setThresholdPct(threshold)
                .setLimitUsd(Money.toScale(ev.limit()))
                .setSpentUsd(Money.toScale(ledger.spent))
                .setStatus(ev.status())
                .setMode(policy.mode())
                .setPeriodStart(Instant.ofEpochMilli(ledger.periodStart))
                .setPeriodEnd(Instant.ofEpochMilli(ledger.periodEnd))
                .setRaisedAt(now)
                .setMessage("Scope " + ledger.scopeKey + " spent " + Money.format(ledger.spent, 2) + " of its "
                        + Money.format(ev.limit(), 2) + " " + adjective(policy.period()) + " budget: " + threshold + " % reached"
                        + (policy.mode() == BudgetMode.ALERT_ONLY ? " (ALERT_ONLY)" : ""))
                .build();
    }

    private BudgetDecision decision(ScopeLedger ledger, BudgetPolicy policy, Instant now, BudgetStatus status, boolean enforced,
                                    String reasonCode, String id, Trigger t, String message) {
        final Evaluation current = evaluate(ledger, policy, now);
        final BigDecimal limit = current.limit() == null ? ReasonCodes.UNLIMITED : current.limit();
        return BudgetDecision.newBuilder()
                .setDecisionId(id)
                .setScopeKey(ledger.scopeKey)
                .setBudgetId(policy.budgetId())
                .setFeatureId(t.featureId() != null ? t.featureId() : policy.featureId())
                .setTenantId(t.tenantId() != null ? t.tenantId() : policy.tenantId())
                .setModel(t.model())
                .setModelTier(t.modelTier())
                .setDecision(status)
                .setEnforced(enforced)
                .setReasonCode(reasonCode)
                .setPeriodStart(Instant.ofEpochMilli(ledger.periodStart))
                .setPeriodEnd(Instant.ofEpochMilli(ledger.periodEnd))
                .setLimitUsd(Money.toScale(limit))
                .setSpentUsd(Money.toScale(ledger.spent))
                .setReservedUsd(Money.toScale(current.reserved()))
                .setReserveDeltaUsd(Money.toScale(t.delta() == null ? BigDecimal.ZERO : t.delta()))
                .setRequestId(t.requestId())
                .setParentRequestId(t.parentRequestId())
                .setRootRequestId(t.rootRequestId())
                .setReservationId(t.reservationId())
                .setSource(source)
                .setMessage(message)
                .setDecidedAt(now)
                .build();
    }
}
