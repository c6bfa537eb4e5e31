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

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.TenantCarveOut;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A budget as it applies to one scope key: the budget's own scope, or one of its tenant
 * carve-outs.
 *
 * <p>Rules (the whole contract, tested in {@code BudgetPolicyTest} and {@code ScopeAccountantTest}):
 * <ul>
 *   <li><b>budget_id is the scope key</b> ({@code global}, {@code feature:F}, {@code tenant:T},
 *       {@code feature_tenant:F|T}): one budget per scope, so a scope's budget is found in O(1).
 *       A budget whose id is not its scope key is rejected with an error naming both.</li>
 *   <li><b>Carve-outs</b>: a FEATURE budget {@code feature:F} may give tenant T its own limit. T's
 *       calls on F then count against their own scope state {@code feature_tenant:F|T} (limit =
 *       the carve-out's) and <i>not</i> against the shared {@code feature:F} pool: the enterprise
 *       tenant that paid for more neither starves nor is starved by the others. An explicit
 *       FEATURE_TENANT budget with the same key takes precedence over a carve-out.</li>
 *   <li><b>Thresholds</b> (default 50/80/100): each fires one alert per scope, threshold and period
 *       when <i>spent</i> reaches it. The WARN threshold is the highest threshold below 100.</li>
 *   <li><b>Override</b> {limit or unlimited, until, reason, by}: while {@code now < until} it
 *       replaces the budget's limit (unlimited = never deny); it expires by itself, with no one
 *       clearing it. A carve-out moves with it, never against it: an override that raises the
 *       shared limit leaves a larger carve-out as it is, one that lowers it (a kill switch at 0)
 *       caps the carve-out too, and an unlimited one lifts both.</li>
 *   <li><b>Mode</b>: ENFORCE denies; ALERT_ONLY computes the same decisions but never denies
 *       (shadow); OFF publishes ALLOW and raises nothing.</li>
 * </ul>
 */
public final class BudgetPolicy {
    private final Budget budget;
    private final String scopeKey;
    private final BigDecimal baseLimit;
    private final boolean carveOut;
    private final ZoneId zone;
    private final int[] thresholds;
    private final int warnThreshold;

    private BudgetPolicy(Budget budget, String scopeKey, BigDecimal baseLimit, boolean carveOut) {
        this.budget = budget;
        this.scopeKey = scopeKey;
        this.baseLimit = baseLimit;
        this.carveOut = carveOut;
        try {
            this.zone = ZoneId.of(budget.getTimeZone());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Budget " + budget.getBudgetId() + ": time_zone '" + budget.getTimeZone()
                    + "' is not an IANA zone id (e.g. UTC, Europe/Paris)", e);
        }
        this.thresholds = budget.getThresholdsPct().stream().mapToInt(Integer::intValue).filter(t -> t > 0).sorted().distinct().toArray();
        int warn = -1;
        for (int t : thresholds) {
            if (t < 100) {
                warn = t;
            }
        }
        this.warnThreshold = warn;
    }

    /** The policy of the budget's own scope; validates the budget. */
    public static BudgetPolicy of(Budget budget) {
        validate(budget);
        return new BudgetPolicy(budget, ScopeKeys.of(budget), budget.getLimitUsd(), false);
    }

    /** Throws IllegalArgumentException naming the field when the budget cannot be enforced. */
    public static void validate(Budget budget) {
        final String key = ScopeKeys.of(budget);
        if (!key.equals(budget.getBudgetId())) {
            throw new IllegalArgumentException("budget_id '" + budget.getBudgetId() + "' must equal its scope key '" + key + "'");
        }
        if (budget.getLimitUsd() == null || budget.getLimitUsd().signum() < 0) {
            throw new IllegalArgumentException("Budget " + key + ": limit_usd must be >= 0 (got " + budget.getLimitUsd() + ")");
        }
        for (Integer t : budget.getThresholdsPct()) {
            if (t == null || t <= 0 || t > 1000) {
                throw new IllegalArgumentException("Budget " + key + ": thresholds_pct must be in 1..1000 (got " + t + ")");
            }
        }
        if (budget.getBurstTolerancePct() != 0 && budget.getBurstTolerancePct() < 100) {
            throw new IllegalArgumentException("Budget " + key + ": burst_tolerance_pct must be 0 (off) or >= 100 (got "
                    + budget.getBurstTolerancePct() + ")");
        }
        for (TenantCarveOut c : budget.getCarveOuts()) {
            if (budget.getScope() != BudgetScope.FEATURE) {
                throw new IllegalArgumentException("Budget " + key + ": carve_outs only apply to FEATURE budgets (scope is " + budget.getScope() + ")");
            }
            ScopeKeys.featureTenant(budget.getFeatureId(), c.getTenantId());
            if (c.getLimitUsd() == null || c.getLimitUsd().signum() < 0) {
                throw new IllegalArgumentException("Budget " + key + ": carve-out limit for tenant " + c.getTenantId() + " must be >= 0");
            }
        }
        if (budget.getStalePolicy() == StalePolicy.SAFE
                && (budget.getSafeAllowanceUsd() == null || budget.getSafeAllowanceUsd().signum() < 0)) {
            throw new IllegalArgumentException("Budget " + key + ": stale_policy SAFE needs safe_allowance_usd >= 0 (got "
                    + budget.getSafeAllowanceUsd() + "): what one gate may spend per outage");
        }
        try {
            ZoneId.of(budget.getTimeZone());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Budget " + key + ": time_zone '" + budget.getTimeZone() + "' is not an IANA zone id", e);
        }
    }

    /**
     * The policy governing {@code scopeKey}, or null when no budget applies. {@code budgets} looks a
     * budget up by id (= scope key).
     */
    public static BudgetPolicy forScope(String scopeKey, Function<String, Budget> budgets) {
        final Budget own = budgets.apply(scopeKey);
        if (own != null) {
            return of(own);
        }
        if (scopeKey.startsWith(ScopeKeys.FEATURE_TENANT_PREFIX)) {
            final Budget feature = budgets.apply(ScopeKeys.feature(ScopeKeys.featureOf(scopeKey)));
            if (feature != null) {
                final String tenant = ScopeKeys.tenantOf(scopeKey);
                for (TenantCarveOut c : feature.getCarveOuts()) {
                    if (c.getTenantId().equals(tenant)) {
                        validate(feature);
                        return new BudgetPolicy(feature, scopeKey, c.getLimitUsd(), true);
                    }
                }
            }
        }
        return null;
    }

    /**
     * The scope keys a call by (feature, tenant) counts against, given the budgets that exist:
     * global, tenant:T, feature_tenant:F|T (explicit budget or carve-out) and feature:F unless T
     * is carved out of it.
     */
    public static List<String> scopesFor(String featureId, String tenantId, Function<String, Budget> budgets) {
        final List<String> keys = new ArrayList<>(4);
        if (budgets.apply(ScopeKeys.GLOBAL) != null) {
            keys.add(ScopeKeys.GLOBAL);
        }
        if (tenantId != null && budgets.apply(ScopeKeys.tenant(tenantId)) != null) {
            keys.add(ScopeKeys.tenant(tenantId));
        }
        if (featureId == null) {
            return keys;
        }
        final Budget feature = budgets.apply(ScopeKeys.feature(featureId));
        boolean carved = false;
        if (tenantId != null && feature != null) {
            for (TenantCarveOut c : feature.getCarveOuts()) {
                carved |= c.getTenantId().equals(tenantId);
            }
        }
        if (tenantId != null && (carved || budgets.apply(ScopeKeys.featureTenant(featureId, tenantId)) != null)) {
            keys.add(ScopeKeys.featureTenant(featureId, tenantId));
        }
        if (feature != null && !carved) {
            keys.add(ScopeKeys.feature(featureId));
        }
        return keys;
    }

    public Budget budget() {
        return budget;
    }

    public String scopeKey() {
        return scopeKey;
    }

    public String budgetId() {
        return budget.getBudgetId();
    }

    public boolean isCarveOut() {
        return carveOut;
    }

    public BudgetScope scope() {
        return carveOut ? BudgetScope.FEATURE_TENANT : budget.getScope();
    }

    public String featureId() {
        return carveOut ? ScopeKeys.featureOf(scopeKey) : budget.getFeatureId();
    }

    public String tenantId() {
        return carveOut ? ScopeKeys.tenantOf(scopeKey) : budget.getTenantId();
    }

    public BudgetPeriod period() {
        return budget.getPeriod();
    }

    public ZoneId zone() {
        return zone;
    }

    public BudgetMode mode() {
        return budget.getMode();
    }

    public StalePolicy stalePolicy() {
        return budget.getStalePolicy();
    }

    public int[] thresholds() {
        return thresholds.clone();
    }

    /** Highest threshold below 100, or -1 when there is none (no WARN state). */
    public int warnThreshold() {
        return warnThreshold;
    }

    public int burstTolerancePct() {
        return budget.getBurstTolerancePct();
    }

    public PeriodWindow window(Instant at) {
        return PeriodWindow.of(budget.getPeriod(), zone, at);
    }

    /** The override in force at {@code now}, or null. */
    public BudgetOverride activeOverride(Instant now) {
        final BudgetOverride o = budget.getOverride();
        return o != null && now.isBefore(o.getUntil()) ? o : null;
    }

    /** Identity of the budget's override (whether active or not), or null: used to audit it once. */
    public String overrideKey() {
        final BudgetOverride o = budget.getOverride();
        return o == null ? null : o.getUntil().toEpochMilli() + "|" + o.getBy() + "|" + o.getReason() + "|" + o.getLimitUsd();
    }

    /** The base limit of this scope (carve-out limit for a carve-out), overrides aside. */
    public BigDecimal baseLimit() {
        return baseLimit;
    }

    /** The limit in force at {@code now}; null means unlimited (an unlimited override). */
    public BigDecimal effectiveLimit(Instant now) {
        final BudgetOverride o = activeOverride(now);
        if (o == null) {
            return baseLimit;
        }
        if (!carveOut || o.getLimitUsd() == null) {
            return o.getLimitUsd();
        }
        // A carve-out moves with the override, never against it: raising the shared pool keeps a larger
        // carve-out as it is (the enterprise tenant is not cut to the pool's new limit), lowering it (a
        // kill switch at 0) lowers the carve-out too.
        final boolean raises = o.getLimitUsd().compareTo(budget.getLimitUsd()) >= 0;
        return raises ? o.getLimitUsd().max(baseLimit) : o.getLimitUsd().min(baseLimit);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BudgetPolicy p && p.scopeKey.equals(scopeKey) && p.budget.equals(budget) && p.carveOut == carveOut
                && Objects.equals(p.baseLimit, baseLimit);
    }

    @Override
    public int hashCode() {
        return scopeKey.hashCode();
    }
}
