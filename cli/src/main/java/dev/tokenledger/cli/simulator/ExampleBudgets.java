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
package dev.tokenledger.cli.simulator;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.TenantCarveOut;
import dev.tokenledger.enforcer.ScopeKeys;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * The budgets the quickstart and {@code simulate --example-budgets} write, the way the first article
 * recommends them ("observed baseline + 20 % buffer", alerts at 50/80/100 %): a company-wide monthly
 * budget, monthly feature budgets with a carve-out for the largest enterprise tenant, a shadow
 * (ALERT_ONLY) budget on the chatbot, and a daily budget on the runaway feature sized so the run
 * crosses it: 50 %, 80 %, 100 % alerts, then 429s.
 */
public final class ExampleBudgets {
    /** Budget id of the runaway feature's budget (a budget's id is the scope key it governs). */
    public static final String RUNAWAY_BUDGET_ID = ScopeKeys.feature(CompanyWorkload.RUNAWAY_FEATURE);

    private ExampleBudgets() {
    }

    /**
     * @param runawayDailyLimit the runaway feature's daily limit (the quickstart sizes it from the
     *                          run's expected spend so the run crosses it about halfway through)
     * @param largestTenant     the tenant that gets a carve-out on summarize_thread
     * @param now               updated_at of every budget
     */
    public static List<Budget> forRun(BigDecimal runawayDailyLimit, String largestTenant, Instant now) {
        return List.of(
                budget(BudgetScope.GLOBAL, null, "48000.00", BudgetPeriod.MONTH, BudgetMode.ENFORCE, List.of(), now),
                budget(BudgetScope.FEATURE, "summarize_thread", "6000.00", BudgetPeriod.MONTH,
                        BudgetMode.ENFORCE, List.of(TenantCarveOut.newBuilder().setTenantId(largestTenant)
                                .setLimitUsd(Money.of("9000.00")).build()), now),
                budget(BudgetScope.FEATURE, "draft_email", "5000.00", BudgetPeriod.MONTH,
                        BudgetMode.ENFORCE, List.of(), now),
                budget(BudgetScope.FEATURE, "demo", "3000.00", BudgetPeriod.MONTH,
                        BudgetMode.ALERT_ONLY, List.of(), now),
                budget(BudgetScope.FEATURE, CompanyWorkload.RUNAWAY_FEATURE,
                        runawayDailyLimit.setScale(2, RoundingMode.HALF_EVEN).toPlainString(), BudgetPeriod.DAY,
                        BudgetMode.ENFORCE, List.of(), now));
    }

    private static Budget budget(BudgetScope scope, String feature, String limit, BudgetPeriod period,
                                 BudgetMode mode, List<TenantCarveOut> carveOuts, Instant now) {
        return Budget.newBuilder()
                .setBudgetId(ScopeKeys.of(scope, feature, null))
                .setScope(scope)
                .setFeatureId(feature)
                .setTenantId(null)
                .setLimitUsd(Money.of(limit))
                .setPeriod(period)
                .setTimeZone("UTC")
                .setThresholdsPct(List.of(50, 80, 100))
                .setBurstTolerancePct(110)
                .setMode(mode)
                .setStalePolicy(StalePolicy.OPEN)
                .setCarveOuts(carveOuts)
                .setOverride(null)
                .setUpdatedAt(now)
                .setUpdatedBy("tokenledger-quickstart")
                .build();
    }
}
