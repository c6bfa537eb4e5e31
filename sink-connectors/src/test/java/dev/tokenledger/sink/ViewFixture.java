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

import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.sink.load.TelemetryLoader;
import java.io.StringReader;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small hand-built month (March 2026, UTC) whose view results are computed by hand in
 * {@link WarehouseViewsTest}. Plans: free $0, pro $49, enterprise $499 per tenant per month.
 *
 * <pre>
 * event  day (UTC)          feature           tenant    plan  model   root   input cache_read cw5m  total   savings
 * e1     2026-03-02 09:00   draft_email       acme      pro   opus    wf-1   3000  1000       0     30.00   6.00
 * e2     2026-03-02 09:01   draft_email       acme      pro   haiku   wf-1   1000  0          0     10.00   0      (attempt 2)
 * e3     2026-03-10         draft_email       globex    pro   sonnet  e3     1000  3000       1000  12.00   2.00
 * e4     2026-03-11         draft_email       initech   pro   sonnet  e4     1000  0          0      5.00   0
 * e5     2026-03-12         draft_email       hooli     free  haiku   e5     1000  0          0      3.00   0
 * e6     2026-03-03         summarize_thread  acme      pro   sonnet  e6     1000  1000       0      4.50   1.50
 * e7     2026-03-20         summarize_thread  umbrella  ent   sonnet  e7     1000  9000       0    100.00  20.00
 * e8     2026-02-28 23:59   draft_email       acme      pro   opus    e8     1000  0          0   1000.00   0      (February)
 * e9     2026-03-31 23:30   draft_email       globex    pro   sonnet  e9     1000  0          0      8.00   0      (still March in UTC)
 * e10    2026-03-15         summarize_thread  umbrella  ent   mystery e10     500  0          0      0      0      UNPRICED
 * </pre>
 * Active users in March: draft_email acme 10, globex 3, initech 5 (pro), hooli 3 (free);
 * summarize_thread acme 2 (pro), globex 0 (pro), umbrella 50 (enterprise).
 */
final class ViewFixture {
    static final String ACTIVE_USERS_CSV = """
            month,feature_id,tenant_id,plan_tier,active_users
            2026-03,draft_email,acme,pro,10
            2026-03,draft_email,globex,pro,3
            2026-03,draft_email,initech,pro,5
            2026-03,draft_email,hooli,free,3
            2026-03,summarize_thread,acme,pro,2
            2026-03,summarize_thread,globex,pro,0
            2026-03-01,summarize_thread,umbrella,enterprise,50
            """;
    static final String PLAN_PRICES_CSV = """
            plan_tier,monthly_price_usd
            free,0
            pro,49.00
            enterprise,$499
            """;

    private ViewFixture() {
    }

    static void load(TestWarehouse w) throws Exception {
        try (Connection c = w.connect()) {
            Warehouse.init(c, w.dialect(), true);
            List<CostedUsage> usage = new ArrayList<>();
            usage.add(u("e1", "2026-03-02T09:00:00Z", "draft_email", "acme", "pro", "claude-opus-4-5", "wf-1", 3000, 1000, 0, "30.00", "6.00"));
            CostedUsage e2 = u("e2", "2026-03-02T09:01:00Z", "draft_email", "acme", "pro", "claude-haiku-4-5", "wf-1", 1000, 0, 0, "10.00", "0");
            e2.getEvent().setAttempt(2);
            usage.add(e2);
            usage.add(u("e3", "2026-03-10T12:00:00Z", "draft_email", "globex", "pro", "claude-sonnet-4-6", null, 1000, 3000, 1000, "12.00", "2.00"));
            usage.add(u("e4", "2026-03-11T12:00:00Z", "draft_email", "initech", "pro", "claude-sonnet-4-6", null, 1000, 0, 0, "5.00", "0"));
            usage.add(u("e5", "2026-03-12T12:00:00Z", "draft_email", "hooli", "free", "claude-haiku-4-5", null, 1000, 0, 0, "3.00", "0"));
            usage.add(u("e6", "2026-03-03T12:00:00Z", "summarize_thread", "acme", "pro", "claude-sonnet-4-6", null, 1000, 1000, 0, "4.50", "1.50"));
            usage.add(u("e7", "2026-03-20T12:00:00Z", "summarize_thread", "umbrella", "enterprise", "claude-sonnet-4-6", null,
                    1000, 9000, 0, "100.00", "20.00"));
            usage.add(u("e8", "2026-02-28T23:59:00Z", "draft_email", "acme", "pro", "claude-opus-4-5", null, 1000, 0, 0, "1000.00", "0"));
            usage.add(u("e9", "2026-03-31T23:30:00Z", "draft_email", "globex", "pro", "claude-sonnet-4-6", null, 1000, 0, 0, "8.00", "0"));
            CostedUsage e10 = u("e10", "2026-03-15T12:00:00Z", "summarize_thread", "umbrella", "enterprise", "mystery-model", null, 500, 0, 0, "0", "0");
            e10.setPricingStatus(PricingStatus.UNPRICED);
            e10.setPriceEntryId(null);
            e10.getEvent().setOutputTokens(100L);
            usage.add(e10);
            List<Map<String, Object>> rows = usage.stream().map(cu -> RowMappers.usageLog(cu, "t", 0, 0L)).toList();
            WarehouseWriter writer = new WarehouseWriter(c, w.dialect(), 100);
            writer.upsertAll(Map.of(
                    WarehouseTables.USAGE_LOG_TABLE, rows,
                    WarehouseTables.BUDGET_ALERTS_TABLE, List.of(
                            RowMappers.budgetAlert(TestData.alert("FEATURE:draft_email", 80, Instant.parse("2026-03-18T09:00:00Z")))),
                    WarehouseTables.BUDGET_DECISIONS_TABLE, List.of(
                            RowMappers.budgetDecision(TestData.decision("d1", Instant.parse("2026-03-19T08:00:00Z"), "FEATURE:draft_email",
                                    BudgetStatus.DENY, true, "GENUINE_BREACH", "0.2")),
                            RowMappers.budgetDecision(TestData.decision("d2", Instant.parse("2026-03-19T09:00:00Z"), "FEATURE:draft_email",
                                    BudgetStatus.DENY, false, "STALE_STATE", "0.1")),
                            RowMappers.budgetDecision(TestData.decision("d3", Instant.parse("2026-03-19T10:00:00Z"), "FEATURE:draft_email",
                                    BudgetStatus.DENY, true, "GENUINE_BREACH", "0.3")),
                            RowMappers.budgetDecision(TestData.decision("d0", Instant.parse("2026-02-27T10:00:00Z"), "FEATURE:draft_email",
                                    BudgetStatus.DENY, true, "GENUINE_BREACH", "9")))));
            TelemetryLoader.loadActiveUsers(c, w.dialect(), new StringReader(ACTIVE_USERS_CSV), "active-users.csv");
            TelemetryLoader.loadPlanPrices(c, w.dialect(), new StringReader(PLAN_PRICES_CSV), "plan-prices.csv");
        }
    }

    private static CostedUsage u(String id, String at, String feature, String tenant, String plan, String model, String root,
                                 long input, long cacheRead, long cacheWrite5m, String total, String savings) {
        return TestData.costedTotal(id, Instant.parse(at), feature, tenant, plan, model, root == null ? id : root,
                input, 0, cacheRead, cacheWrite5m, total, savings);
    }
}
