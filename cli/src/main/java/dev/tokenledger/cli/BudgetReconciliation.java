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

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.enforcer.BudgetPolicy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reconciles the enforcer's spend with the warehouse's, per budget scope and period. The enforcer
 * prices raw usage itself; the aggregator prices the same usage for the warehouse. Both use the same
 * validator, pricer and prices topic, so for every scope the period's {@code spent_usd} in the
 * enforcer's state must equal the sum of {@code usage_log.total_cost_usd} over the same period, routed
 * to scopes by the enforcer's own rule ({@link BudgetPolicy#scopesFor}: carve-outs leave the shared
 * pool). A difference means a price reached one and not the other, a record one refused, or a lagging
 * pipe (the warehouse trails the enforcer by the sink's flush).
 */
final class BudgetReconciliation {

    /** One scope's period: what the enforcer counted and what the warehouse holds. */
    record Row(String scopeKey, Instant periodStart, Instant periodEnd, BigDecimal enforcer, BigDecimal warehouse) {
        BigDecimal difference() {
            return enforcer.subtract(warehouse);
        }
    }

    private BudgetReconciliation() {
    }

    /** Compares every state of a budget that still exists with the warehouse, scope by scope. */
    static List<Row> compare(Map<String, BudgetState> states, Map<String, Budget> budgets, Connection warehouse) throws SQLException {
        final Map<String, Map<String, BigDecimal>> byPeriod = new HashMap<>();
        final List<Row> rows = new ArrayList<>();
        for (BudgetState s : states.values()) {
            final Instant start = s.getPeriodStart();
            final Instant end = s.getPeriodEnd();
            final Map<String, BigDecimal> perScope = byPeriod.computeIfAbsent(start + "/" + end, k -> {
                try {
                    return warehouseSpendPerScope(warehouse, start, end, budgets);
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot read usage_log for " + start + " .. " + end + ": " + e.getMessage(), e);
                }
            });
            rows.add(new Row(s.getScopeKey(), start, end, s.getSpentUsd(), perScope.getOrDefault(s.getScopeKey(), BigDecimal.ZERO)));
        }
        rows.sort(java.util.Comparator.comparing(Row::scopeKey));
        return rows;
    }

    private static Map<String, BigDecimal> warehouseSpendPerScope(Connection warehouse, Instant start, Instant end,
                                                                  Map<String, Budget> budgets) throws SQLException {
        final Map<String, BigDecimal> perScope = new HashMap<>();
        final String sql = "SELECT feature_id, tenant_id, SUM(total_cost_usd) FROM usage_log"
                + " WHERE \"timestamp\" >= CAST(? AS TIMESTAMPTZ) AND \"timestamp\" < CAST(? AS TIMESTAMPTZ) GROUP BY feature_id, tenant_id";
        try (PreparedStatement ps = warehouse.prepareStatement(sql)) {
            ps.setString(1, start.toString());
            ps.setString(2, end.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    final BigDecimal cost = rs.getBigDecimal(3) == null ? BigDecimal.ZERO : rs.getBigDecimal(3);
                    for (String scope : BudgetPolicy.scopesFor(rs.getString(1), rs.getString(2), budgets::get)) {
                        perScope.merge(scope, cost, BigDecimal::add);
                    }
                }
            }
        }
        return perScope;
    }
}
