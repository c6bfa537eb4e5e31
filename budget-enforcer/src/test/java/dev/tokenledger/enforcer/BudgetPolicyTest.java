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

import static dev.tokenledger.enforcer.Fixtures.featureBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.TenantCarveOut;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetPolicyTest {

    @Test
    void carvedOutTenantGetsItsOwnScopeAndLeavesTheSharedPool() {
        final Budget feature = featureBudget("draft_email", "500", BudgetPeriod.MONTH)
                .setCarveOuts(List.of(new TenantCarveOut("bigcorp", Money.of("2000")))).build();
        final Map<String, Budget> budgets = new HashMap<>(Map.of(feature.getBudgetId(), feature));
        assertThat(BudgetPolicy.scopesFor("draft_email", "bigcorp", budgets::get)).containsExactly("feature_tenant:draft_email|bigcorp");
        assertThat(BudgetPolicy.scopesFor("draft_email", "smallco", budgets::get)).containsExactly("feature:draft_email");
        final BudgetPolicy carve = BudgetPolicy.forScope("feature_tenant:draft_email|bigcorp", budgets::get);
        assertThat(carve.isCarveOut()).isTrue();
        assertThat(carve.budgetId()).isEqualTo("feature:draft_email");
        assertThat(carve.scope()).isEqualTo(BudgetScope.FEATURE_TENANT);
        assertThat(carve.tenantId()).isEqualTo("bigcorp");
        assertThat(carve.effectiveLimit(Instant.now())).isEqualByComparingTo("2000");
        assertThat(BudgetPolicy.forScope("feature_tenant:draft_email|smallco", budgets::get)).isNull();
    }

    @Test
    void aCarveOutMovesWithAnOverrideNeverAgainstIt() {
        final Instant until = Instant.now().plusSeconds(3600);
        final java.util.function.Function<String, BigDecimal> carveOutLimitUnder = limit -> {
            final Budget b = featureBudget("draft_email", "500", BudgetPeriod.MONTH)
                    .setCarveOuts(List.of(new TenantCarveOut("bigcorp", Money.of("2000"))))
                    .setOverride(new dev.tokenledger.avro.BudgetOverride(limit == null ? null : Money.of(limit), until, "launch", "pm"))
                    .build();
            final Map<String, Budget> budgets = Map.of(b.getBudgetId(), b);
            assertThat(BudgetPolicy.forScope("feature:draft_email", budgets::get).effectiveLimit(Instant.now()))
                    .as("the shared pool takes the override").isEqualTo(limit == null ? null : Money.of(limit));
            return BudgetPolicy.forScope("feature_tenant:draft_email|bigcorp", budgets::get).effectiveLimit(Instant.now());
        };
        // raising the pool 500 -> 1,000 keeps bigcorp's 2,000 (it used to drop to 1,000)
        assertThat(carveOutLimitUnder.apply("1000")).isEqualByComparingTo("2000");
        // raising it past the carve-out lifts the carve-out too
        assertThat(carveOutLimitUnder.apply("3000")).isEqualByComparingTo("3000");
        // lowering it caps the carve-out: a kill switch at 0 stops every tenant
        assertThat(carveOutLimitUnder.apply("100")).isEqualByComparingTo("100");
        assertThat(carveOutLimitUnder.apply("0")).isEqualByComparingTo("0");
        // unlimited lifts both
        assertThat(carveOutLimitUnder.apply(null)).isNull();
    }

    @Test
    void callCountsAgainstEveryScopeWithABudget() {
        final Map<String, Budget> budgets = new HashMap<>();
        budgets.put("global", Budget.newBuilder(featureBudget("x", "1", BudgetPeriod.DAY).build())
                .setBudgetId("global").setScope(BudgetScope.GLOBAL).setFeatureId(null).build());
        budgets.put("tenant:acme", Budget.newBuilder(featureBudget("x", "1", BudgetPeriod.DAY).build())
                .setBudgetId("tenant:acme").setScope(BudgetScope.TENANT).setFeatureId(null).setTenantId("acme").build());
        budgets.put("feature:f", featureBudget("f", "1", BudgetPeriod.DAY).build());
        assertThat(BudgetPolicy.scopesFor("f", "acme", budgets::get)).containsExactly("global", "tenant:acme", "feature:f");
        assertThat(BudgetPolicy.scopesFor("g", "other", budgets::get)).containsExactly("global");
    }

    @Test
    void rejectsBudgetsThatCannotBeEnforcedNamingTheField() {
        assertThatThrownBy(() -> BudgetPolicy.of(featureBudget("f", "1", BudgetPeriod.DAY).setBudgetId("my-budget").build()))
                .hasMessageContaining("budget_id 'my-budget'").hasMessageContaining("feature:f");
        assertThatThrownBy(() -> BudgetPolicy.of(featureBudget("f", "1", BudgetPeriod.DAY).setTimeZone("Mars/Base").build()))
                .hasMessageContaining("time_zone 'Mars/Base'");
        assertThatThrownBy(() -> BudgetPolicy.of(featureBudget("f", "-1", BudgetPeriod.DAY).build()))
                .hasMessageContaining("limit_usd");
        assertThatThrownBy(() -> BudgetPolicy.of(featureBudget("f", "1", BudgetPeriod.DAY).setBurstTolerancePct(90).build()))
                .hasMessageContaining("burst_tolerance_pct");
    }

    @Test
    void periodsAreComputedInTheZone() {
        final Instant t = Instant.parse("2026-03-08T12:00:00Z"); // US DST starts that day
        final PeriodWindow day = PeriodWindow.of(BudgetPeriod.DAY, java.time.ZoneId.of("America/New_York"), t);
        assertThat(day.start()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z")); // 23-hour day
        final PeriodWindow hour = PeriodWindow.of(BudgetPeriod.HOUR, java.time.ZoneId.of("Asia/Kolkata"), Instant.parse("2026-11-23T01:10:00Z"));
        assertThat(hour.start()).isEqualTo(Instant.parse("2026-11-23T00:30:00Z"));
        assertThat(hour.end()).isEqualTo(Instant.parse("2026-11-23T01:30:00Z"));
    }

    @Test
    void aSafeStalePolicyNeedsItsAllowance() {
        final Budget.Builder b = featureBudget("draft_email", "500", BudgetPeriod.MONTH).setStalePolicy(dev.tokenledger.avro.StalePolicy.SAFE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BudgetPolicy.validate(b.build()))
                .hasMessageContaining("safe_allowance_usd").hasMessageContaining("feature:draft_email");
        BudgetPolicy.validate(b.setSafeAllowanceUsd(Money.of("2.50")).build());
    }
}
