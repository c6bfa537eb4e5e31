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
package dev.tokenledger.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every view on the hand-built month of {@link ViewFixture}, against both databases. Expected
 * values are computed by hand in the comments; decimals are compared exactly (trailing zeros aside).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarehouseViewsTest {
    private TestWarehouse duck;
    private TestWarehouse pg;

    @BeforeAll
    void load() throws Exception {
        duck = TestWarehouse.create(Dialect.DUCKDB);
        pg = TestWarehouse.create(Dialect.POSTGRESQL);
        ViewFixture.load(duck);
        ViewFixture.load(pg);
    }

    @AfterAll
    void drop() throws Exception {
        duck.close();
        pg.close();
    }

    private TestWarehouse w(Dialect d) {
        return d == Dialect.DUCKDB ? duck : pg;
    }

    /** Rows as strings: decimals without trailing zeros, so DECIMAL(38,12) and NUMERIC compare alike. */
    private List<String> rows(Dialect d, String sql) throws Exception {
        return w(d).query(sql).stream()
                .map(r -> r.stream().map(v -> v == null ? "null" : v instanceof BigDecimal b
                        ? (b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString()) : v.toString())
                        .collect(Collectors.joining(" ")))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void dailyFeatureCostBucketsByUtcDay(Dialect d) throws Exception {
        assertThat(rows(d, "SELECT day, environment, feature_id, calls, input_tokens, cache_read_tokens, cost_usd, cache_savings_usd "
                + "FROM v_daily_feature_cost WHERE feature_id = 'draft_email' ORDER BY day"))
                .containsExactly(
                        "2026-02-28 production draft_email 1 1000 0 1000 0",   // e8, 23:59 UTC on the 28th
                        "2026-03-02 production draft_email 2 4000 1000 40 6",  // e1 + e2: 30 + 10
                        "2026-03-10 production draft_email 1 1000 3000 12 2",
                        "2026-03-11 production draft_email 1 1000 0 5 0",
                        "2026-03-12 production draft_email 1 1000 0 3 0",
                        "2026-03-31 production draft_email 1 1000 0 8 0");     // e9, 23:30 UTC: still March 31
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void topFeaturesRankTheMonthsSpend(Dialect d) throws Exception {
        // March: summarize_thread 4.50 + 100 + 0 = 104.50; draft_email 30+10+12+5+3+8 = 68; total 172.50
        // shares 104.5/172.5 = 0.60579... -> 0.6058; 68/172.5 = 0.39420... -> 0.3942
        assertThat(rows(d, "SELECT spend_rank, feature_id, calls, cost_usd, share_of_spend FROM v_top_features "
                + "WHERE month = DATE '2026-03-01' ORDER BY spend_rank"))
                .containsExactly("1 summarize_thread 3 104.5 0.6058", "2 draft_email 6 68 0.3942");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void tenantFeatureCostIsCostPerCustomer(Dialect d) throws Exception {
        // acme: draft 30 + 10 (one user action wf-1) and summarize 4.50
        assertThat(rows(d, "SELECT feature_id, plan_tier, calls, user_actions, cost_usd FROM v_tenant_feature_cost "
                + "WHERE month = DATE '2026-03-01' AND tenant_id = 'acme' ORDER BY feature_id"))
                .containsExactly("draft_email pro 2 1 40", "summarize_thread pro 1 1 4.5");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void costPerActiveUserWithTheSpreadAcrossTenants(Dialect d) throws Exception {
        // draft_email / pro: acme 40/10 = 4.00, globex (12+8)/3 = 6.666666666667 (half-up at 1e-12), initech 5/5 = 1.00
        //   pooled (40+20+5)/(10+3+5) = 65/18 = 3.6111... -> 3.611111111111
        //   sorted 1.00, 4.00, 6.666666666667; n = 3
        //   median: pos 0.5*2 = 1 -> the 2nd = 4.00
        //   p90: pos 0.9*2 = 1.8 -> 4.00*0.2 + 6.666666666667*0.8 = 0.8 + 5.3333333333336 = 6.1333333333336 -> 6.133333333334
        // draft_email / free: hooli 3/3 = 1.00 (one tenant: median = p90 = max = 1)
        // summarize_thread / pro: acme 4.50/2 = 2.25; globex has 0 active users and is left out
        // summarize_thread / enterprise: umbrella (100 + 0 unpriced)/50 = 2.00
        assertThat(rows(d, "SELECT feature_id, plan_tier, tenants, active_users, cost_usd, cost_per_active_user_usd, "
                + "median_tenant_cost_per_active_user_usd, p90_tenant_cost_per_active_user_usd, max_tenant_cost_per_active_user_usd "
                + "FROM v_cost_per_active_user WHERE month = DATE '2026-03-01' ORDER BY feature_id, plan_tier"))
                .containsExactly(
                        "draft_email free 1 3 3 1 1 1 1",
                        "draft_email pro 3 18 65 3.611111111111 4 6.133333333334 6.666666666667",
                        "summarize_thread enterprise 1 50 100 2 2 2 2",
                        "summarize_thread pro 1 2 4.5 2.25 2.25 2.25 2.25");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void tenantMarginIsPlanPriceMinusAiCost(Dialect d) throws Exception {
        // acme pro: 49 - (40 + 4.50) = 4.50; 4.5/49 = 0.091836... -> 0.0918 (thin)
        // globex pro: 49 - 20 = 29; 29/49 = 0.591836... -> 0.5918
        // hooli free: 0 - 3 = -3; margin % undefined on a free plan -> NULL
        // initech pro: 49 - 5 = 44; 44/49 = 0.897959... -> 0.8980
        // umbrella enterprise: 499 - 100 = 399; 399/499 = 0.799599... -> 0.7996
        assertThat(rows(d, "SELECT tenant_id, plan_tier, calls, revenue_usd, ai_cost_usd, margin_usd, margin_pct FROM v_tenant_margin "
                + "WHERE month = DATE '2026-03-01' ORDER BY tenant_id"))
                .containsExactly(
                        "acme pro 3 49 44.5 4.5 0.0918",
                        "globex pro 2 49 20 29 0.5918",
                        "hooli free 1 0 3 -3 null",
                        "initech pro 1 49 5 44 0.898",
                        "umbrella enterprise 2 499 100 399 0.7996");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void cacheHitRateAndSavings(Dialect d) throws Exception {
        // draft_email: input 3000+1000+1000+1000+1000+1000 = 8000, cache read 1000+3000 = 4000, writes 1000
        //   hit rate 4000/13000 = 0.30769 -> 0.3077; cost 68, saved 6+2 = 8, without cache 76; 8/76 = 0.10526 -> 0.1053
        // summarize_thread: input 1000+1000+500 = 2500, cache read 1000+9000 = 10000 -> 10000/12500 = 0.8
        //   cost 104.50, saved 1.50+20 = 21.50, without cache 126; 21.5/126 = 0.17063 -> 0.1706
        assertThat(rows(d, "SELECT feature_id, calls, input_tokens, cache_read_tokens, cache_write_tokens, cache_hit_rate, cost_usd, "
                + "cache_savings_usd, cost_without_cache_usd, savings_pct FROM v_cache_savings WHERE month = DATE '2026-03-01' "
                + "ORDER BY feature_id"))
                .containsExactly(
                        "draft_email 6 8000 4000 1000 0.3077 68 8 76 0.1053",
                        "summarize_thread 3 2500 10000 0 0.8 104.5 21.5 126 0.1706");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void modelMixShowsTheShareOfCallsAndCost(Dialect d) throws Exception {
        // 2026-03-02 draft_email: opus 1 call $30, haiku 1 call $10 -> calls 0.5/0.5, cost 30/40 = 0.75, 10/40 = 0.25
        assertThat(rows(d, "SELECT model, calls, cost_usd, share_of_calls, share_of_cost FROM v_model_mix_daily "
                + "WHERE day = DATE '2026-03-02' AND feature_id = 'draft_email' ORDER BY model"))
                .containsExactly("claude-haiku-4-5 1 10 0.5 0.25", "claude-opus-4-5 1 30 0.5 0.75");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void workflowCostCountsOneUserActionOnce(Dialect d) throws Exception {
        assertThat(rows(d, "SELECT root_request_id, feature_id, calls, retries, models, cost_usd FROM v_workflow_cost "
                + "WHERE root_request_id = 'wf-1'"))
                .containsExactly("wf-1 draft_email 2 1 2 40");
        // March draft_email actions: wf-1 40, e3 12, e4 5, e5 3, e9 8 -> 5 actions, 6 calls, $68
        //   average 68/5 = 13.60, calls per action 6/5 = 1.2, max 40
        // March summarize_thread: e6 4.50, e7 100, e10 0 -> 3 actions, 104.50/3 = 34.8333... -> 34.833333333333
        assertThat(rows(d, "SELECT feature_id, user_actions, calls, cost_usd, avg_calls_per_action, avg_cost_per_action_usd, "
                + "max_cost_per_action_usd FROM v_workflow_cost_per_feature WHERE month = DATE '2026-03-01' ORDER BY feature_id"))
                .containsExactly("draft_email 5 6 68 1.2 13.6 40", "summarize_thread 3 3 104.5 1 34.833333333333 100");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void unpricedUsageIsListed(Dialect d) throws Exception {
        assertThat(rows(d, "SELECT day, provider, model, feature_id, calls, input_tokens, output_tokens FROM v_unpriced_usage"))
                .containsExactly("2026-03-15 anthropic mystery-model summarize_thread 1 500 100");
    }
}
