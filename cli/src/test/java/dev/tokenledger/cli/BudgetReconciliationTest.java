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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.TenantCarveOut;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.Warehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The enforcer's spend per scope against the warehouse's usage_log, routed by the enforcer's own rule (real DuckDB). */
class BudgetReconciliationTest {
    private static final Instant START = Instant.parse("2026-12-04T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-05T00:00:00Z");

    private static BudgetState state(String scopeKey, String spent) {
        return BudgetState.newBuilder().setScopeKey(scopeKey).setBudgetId(scopeKey).setScope(BudgetScope.FEATURE)
                .setStatus(BudgetStatus.ALLOW).setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.OPEN)
                .setLimitUsd(Money.of("100")).setSpentUsd(Money.of(spent)).setReservedUsd(Money.ZERO).setRemainingUsd(Money.ZERO)
                .setPeriodStart(START).setPeriodEnd(END).setReasonCode("WITHIN_BUDGET").setVersion(1)
                .setUpdatedAt(START).setHeartbeatAt(START).build();
    }

    private static Budget budget(String id, BudgetScope scope, String feature, List<TenantCarveOut> carveOuts) {
        return Budget.newBuilder().setBudgetId(id).setScope(scope).setFeatureId(feature).setLimitUsd(Money.of("100"))
                .setPeriod(BudgetPeriod.DAY).setCarveOuts(carveOuts).setUpdatedAt(START).build();
    }

    @Test
    void everyScopeAgreesWhenBothCountedTheSameUsageAndADifferenceIsShown() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            Warehouse.init(db, Dialect.fromUrl("jdbc:duckdb:"), false);
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO usage_log (event_id, \"timestamp\", feature_id, tenant_id, total_cost_usd) VALUES (?, CAST(? AS TIMESTAMPTZ), ?, ?, ?)")) {
                final Object[][] rows = {
                        {"e1", "2026-12-04T01:00:00Z", "draft_email", "acme", "3"},
                        {"e2", "2026-12-04T02:00:00Z", "draft_email", "globex", "1"},
                        {"e3", "2026-12-04T03:00:00Z", "draft_email", "bigcorp", "2"},
                        {"e4", "2026-12-03T23:59:59Z", "draft_email", "acme", "50"},   // the day before: another period
                };
                for (Object[] r : rows) {
                    ps.setString(1, (String) r[0]);
                    ps.setString(2, (String) r[1]);
                    ps.setString(3, (String) r[2]);
                    ps.setString(4, (String) r[3]);
                    ps.setBigDecimal(5, Money.of((String) r[4]));
                    ps.executeUpdate();
                }
            }
            final Map<String, Budget> budgets = new TreeMap<>(Map.of(
                    "global", budget("global", BudgetScope.GLOBAL, null, List.of()),
                    "feature:draft_email", budget("feature:draft_email", BudgetScope.FEATURE, "draft_email",
                            List.of(new TenantCarveOut("bigcorp", Money.of("500"))))));
            final Map<String, BudgetState> states = new TreeMap<>(Map.of(
                    "global", state("global", "6"),
                    "feature:draft_email", state("feature:draft_email", "4"),
                    "feature_tenant:draft_email|bigcorp", state("feature_tenant:draft_email|bigcorp", "2")));
            assertThat(BudgetReconciliation.compare(states, budgets, db)).allSatisfy(r ->
                    assertThat(r.difference()).as(r.scopeKey()).isEqualByComparingTo("0"));

            // the enforcer charged half a dollar the warehouse never saw (say, a price only it had)
            states.put("feature:draft_email", state("feature:draft_email", "4.5"));
            final List<BudgetReconciliation.Row> rows = BudgetReconciliation.compare(states, budgets, db);
            assertThat(rows).filteredOn(r -> r.difference().signum() != 0).singleElement().satisfies(r -> {
                assertThat(r.scopeKey()).isEqualTo("feature:draft_email");
                assertThat(r.warehouse()).isEqualByComparingTo("4");
                assertThat(r.difference()).isEqualByComparingTo("0.5");
            });
        }
    }
}
