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

import static dev.tokenledger.sink.ColumnType.BIGINT;
import static dev.tokenledger.sink.ColumnType.DATE;
import static dev.tokenledger.sink.ColumnType.MONEY;
import static dev.tokenledger.sink.ColumnType.TEXT;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How much each feature, tenant and model cost per UTC day, without scanning every call: the {@code usage_daily}
 * rollup of {@code usage_log}, kept exact by the sink in the same transaction as the usage_log writes.
 *
 * <p>A write snapshots the group and the measures of the usage_log rows it touches (by event_id) before and after,
 * and adds {@code SUM(after) - SUM(before)} per group: a replayed batch adds zero, a re-pricing adjustment adds
 * exactly its delta, and a row moved to another group (a replay with other tags) leaves one and enters the other.
 * Group columns are never NULL (a primary key): a NULL tag is stored as the empty string.
 */
public final class DailyRollup {
    public static final String USAGE_DAILY = "usage_daily";
    private static final String DELTA = "tl_daily_delta";
    /** Event ids per snapshot statement: a bounded IN list both warehouses plan well. */
    private static final int CHUNK = 500;

    /** A column of the rollup and what it is over one usage_log row {@code u}. */
    private record Part(Column column, String perRow) {
    }

    private static final List<String> KEYS = List.of("day", "environment", "feature_id", "tenant_id", "plan_tier", "provider", "model");
    private static final String UNPRICED = "u.pricing_status = 'UNPRICED'";

    private static final List<Part> MEASURES = List.of(
            new Part(Column.of("calls", BIGINT, "calls"), "1"),
            new Part(Column.of("errors", BIGINT, "FAILED calls"), "CASE WHEN u.kind = 'FAILED' THEN 1 ELSE 0 END"),
            new Part(Column.of("unpriced_calls", BIGINT, "UNPRICED calls (cost zero)"), "CASE WHEN " + UNPRICED + " THEN 1 ELSE 0 END"),
            new Part(Column.of("unpriced_input_tokens", BIGINT, "uncached input tokens of the UNPRICED calls"),
                    "CASE WHEN " + UNPRICED + " THEN COALESCE(u.input_tokens, 0) ELSE 0 END"),
            new Part(Column.of("unpriced_output_tokens", BIGINT, "output tokens of the UNPRICED calls"),
                    "CASE WHEN " + UNPRICED + " THEN COALESCE(u.output_tokens, 0) ELSE 0 END"),
            sum("input_tokens", BIGINT, "uncached input tokens"),
            sum("output_tokens", BIGINT, "output tokens, reasoning included"),
            sum("reasoning_tokens", BIGINT, "reasoning tokens"),
            sum("cache_write_5m_tokens", BIGINT, "5-minute cache writes"),
            sum("cache_write_1h_tokens", BIGINT, "1-hour cache writes"),
            sum("cache_write_other_tokens", BIGINT, "cache writes of other retentions"),
            sum("cache_read_tokens", BIGINT, "cache reads"),
            sum("other_tokens", BIGINT, "other token classes"),
            sum("cost_input_usd", MONEY, "cost of uncached input"),
            sum("cost_output_usd", MONEY, "cost of output"),
            sum("cost_cache_write_5m_usd", MONEY, "cost of 5-minute cache writes"),
            sum("cost_cache_write_1h_usd", MONEY, "cost of 1-hour cache writes"),
            sum("cost_cache_write_other_usd", MONEY, "cost of cache writes of other retentions"),
            sum("cost_cache_read_usd", MONEY, "cost of cache reads"),
            sum("cost_other_usd", MONEY, "cost of the other classes"),
            sum("total_cost_usd", MONEY, "what the provider bills"),
            sum("cache_savings_usd", MONEY, "what the cache saved"));

    /** The rollup table: one row per UTC day, environment, feature, tenant, plan, provider and model. */
    public static final TableSpec TABLE = new TableSpec(USAGE_DAILY, Stream.concat(Stream.of(
            Column.of("day", DATE, "UTC day of the calls"),
            Column.of("environment", TEXT, "production, staging, ... ('' when the calls had none)"),
            Column.of("feature_id", TEXT, "feature ('' when none)"),
            Column.of("tenant_id", TEXT, "tenant ('' when none)"),
            Column.of("plan_tier", TEXT, "plan ('' when none)"),
            Column.of("provider", TEXT, "provider ('' when none)"),
            Column.of("model", TEXT, "model as answered ('' when none)")), MEASURES.stream().map(Part::column)).toList(),
            KEYS, Optional.empty());

    private DailyRollup() {
    }

    private static Part sum(String usageColumn, ColumnType type, String doc) {
        return new Part(Column.of(usageColumn, type, "sum of usage_log." + usageColumn + ": " + doc), "COALESCE(u." + usageColumn + ", 0)");
    }

    /** The group of a usage_log row {@code u}, in {@link #KEYS} order. */
    private static String groupOf(Dialect dialect) {
        return dialect.utcDay("u.timestamp") + ", " + KEYS.stream().skip(1).map(k -> "COALESCE(u." + k + ", '')")
                .collect(Collectors.joining(", "));
    }

    private static String columnList() {
        return String.join(", ", TABLE.columnNames());
    }

    /**
     * Fills an empty rollup from usage_log with one INSERT ... SELECT ... GROUP BY: a warehouse made before the rollup
     * existed (or loaded behind the connector's back) gets it at auto.create time. Returns the rows written (0 when the
     * rollup already had rows or usage_log has none).
     */
    public static int rebuildIfEmpty(Connection connection, Dialect dialect) throws SQLException {
        if (any(connection, USAGE_DAILY) || !any(connection, WarehouseTables.USAGE_LOG)) {
            return 0;
        }
        try (Statement st = connection.createStatement()) {
            return st.executeUpdate("INSERT INTO " + USAGE_DAILY + " (" + columnList() + ")\n" + fromUsageLog(dialect));
        }
    }

    /** What usage_daily must hold: the rollup's columns computed from every usage_log row, one row per group. */
    static String fromUsageLog(Dialect dialect) {
        String sums = MEASURES.stream().map(m -> "SUM(" + m.perRow() + ")").collect(Collectors.joining(", "));
        return "SELECT " + groupOf(dialect) + ", " + sums + "\nFROM " + WarehouseTables.USAGE_LOG + " u GROUP BY " + ordinals(KEYS.size());
    }

    private static boolean any(Connection connection, String table) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            return rs.next();
        }
    }

    private static String ordinals(int n) {
        List<String> o = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            o.add(Integer.toString(i));
        }
        return String.join(", ", o);
    }

    /** Starts a delta: an empty per-connection TEMP table (made on first use; a rolled-back one is made again). */
    static void begin(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + DELTA + " AS SELECT " + columnList() + " FROM " + USAGE_DAILY + " LIMIT 0");
            st.execute("DELETE FROM " + DELTA);
        }
    }

    /** Adds the rows of {@code eventIds} as usage_log has them now to the delta, negated when {@code before}. */
    static void snapshot(Connection connection, Dialect dialect, Set<String> eventIds, boolean before) throws SQLException {
        String measures = MEASURES.stream().map(m -> before ? "-(" + m.perRow() + ")" : m.perRow()).collect(Collectors.joining(", "));
        List<String> ids = new ArrayList<>(eventIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String in = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + DELTA + " (" + columnList() + ") SELECT "
                    + groupOf(dialect) + ", " + measures + " FROM " + WarehouseTables.USAGE_LOG + " u WHERE u.event_id IN (" + in + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    /** Upsert-adds the delta's sum per group to the rollup; groups whose delta is all zero (a replay) are left alone. */
    static void apply(Connection connection) throws SQLException {
        String keys = String.join(", ", KEYS);
        String sums = MEASURES.stream().map(m -> "SUM(" + m.column().name() + ")").collect(Collectors.joining(", "));
        String nonZero = MEASURES.stream().map(m -> "SUM(" + m.column().name() + ") <> 0").collect(Collectors.joining(" OR "));
        String add = MEASURES.stream().map(m -> m.column().name() + " = " + USAGE_DAILY + "." + m.column().name() + " + excluded."
                + m.column().name()).collect(Collectors.joining(", "));
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("INSERT INTO " + USAGE_DAILY + " (" + columnList() + ") SELECT " + keys + ", " + sums + " FROM " + DELTA
                    + " GROUP BY " + keys + " HAVING " + nonZero + " ON CONFLICT (" + keys + ") DO UPDATE SET " + add);
        }
    }
}
