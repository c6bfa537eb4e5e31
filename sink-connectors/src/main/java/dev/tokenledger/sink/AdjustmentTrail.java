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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "What does this call cost now that it was re-priced?" Keeps each {@code usage_log} row at the cost of its event's
 * latest adjustment in {@code usage_adjustments}: run in the same transaction as every write that touches either
 * table, for the event ids it touched. The usage row and its adjustments can arrive in any order, and a replayed
 * usage row (first price again) is corrected in the same transaction, so the outcome never depends on the order.
 * long_context_applied follows the adjustment too (the reconciliation's "missing long-context tier" reads it), unless the
 * adjustment predates the flag (null). The other per-line detail columns (other_costs_json, cache_write_costs_json,
 * multiplier, price_effective_from, price_source_url) keep describing the first pricing; original_cost_usd keeps its total.
 */
final class AdjustmentTrail {
    /** Event ids per UPDATE: a bounded IN list both warehouses plan well. */
    private static final int CHUNK = 500;
    private static final String[][] CORRECTED = {
        {"cost_input_usd", "new_cost_input_usd"}, {"cost_output_usd", "new_cost_output_usd"},
        {"cost_cache_write_5m_usd", "new_cost_cache_write_5m_usd"}, {"cost_cache_write_1h_usd", "new_cost_cache_write_1h_usd"},
        {"cost_cache_read_usd", "new_cost_cache_read_usd"}, {"cost_other_usd", "new_cost_other_usd"},
        {"cost_cache_write_other_usd", "new_cost_cache_write_other_usd"}, {"total_cost_usd", "new_cost_usd"},
        {"cache_savings_usd", "new_cache_savings_usd"}, {"pricing_status", "new_pricing_status"},
        {"pricing_notes", "new_pricing_notes"}, {"price_entry_id", "new_price_entry_id"}, {"adjusted_by", "adjustment_id"},
        {"long_context_applied", "new_long_context_applied"}};
    /** Columns an adjustment may leave unset (null: written before the field existed); the usage row then keeps its value. */
    private static final Set<String> KEPT_WHEN_NULL = Set.of("new_long_context_applied");

    private AdjustmentTrail() {
    }

    /** The event ids of the usage_log and usage_adjustments rows of one write. */
    static Set<String> eventIds(Map<TableSpec, List<Map<String, Object>>> rowsByTable) {
        final Set<String> ids = new LinkedHashSet<>();
        rowsByTable.forEach((table, rows) -> {
            if (table.name().equals(WarehouseTables.USAGE_LOG) || table.name().equals(WarehouseTables.USAGE_ADJUSTMENTS)) {
                rows.forEach(r -> ids.add((String) r.get("event_id")));
            }
        });
        return ids;
    }

    /** Sets the usage_log rows of {@code eventIds} to the cost of their latest adjustment (no-op for events without one). */
    static void applyLatest(Connection connection, Set<String> eventIds) throws SQLException {
        if (eventIds.isEmpty() || !anyAdjustment(connection)) {
            return;
        }
        final List<String> ids = new ArrayList<>(eventIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            final List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            try (PreparedStatement ps = connection.prepareStatement(updateSql(chunk.size()))) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    /** Most warehouses never re-price: one cheap probe spares them the UPDATE on every write. */
    private static boolean anyAdjustment(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM " + WarehouseTables.USAGE_ADJUSTMENTS + " LIMIT 1")) {
            return rs.next();
        }
    }

    static String updateSql(int ids) {
        final StringBuilder set = new StringBuilder();
        for (String[] c : CORRECTED) {
            set.append(set.length() == 0 ? "" : ", ").append(c[0]).append(" = ")
                    .append(KEPT_WHEN_NULL.contains(c[1])
                            ? "COALESCE(a." + c[1] + ", " + WarehouseTables.USAGE_LOG + "." + c[0] + ")"
                            : "a." + c[1]);
        }
        final String in = String.join(", ", Collections.nCopies(ids, "?"));
        return "UPDATE " + WarehouseTables.USAGE_LOG + " SET " + set
                + " FROM (SELECT x.* FROM " + WarehouseTables.USAGE_ADJUSTMENTS + " x WHERE x.event_id IN (" + in + ")"
                + " AND x.adjustment_seq = (SELECT max(y.adjustment_seq) FROM " + WarehouseTables.USAGE_ADJUSTMENTS
                + " y WHERE y.event_id = x.event_id)) a"
                + " WHERE " + WarehouseTables.USAGE_LOG + ".event_id = a.event_id";
    }
}
