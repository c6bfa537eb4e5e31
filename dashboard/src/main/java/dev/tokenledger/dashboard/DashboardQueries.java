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
package dev.tokenledger.dashboard;

import dev.tokenledger.sink.DailyRollup;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.WarehouseViews;
import dev.tokenledger.sink.report.WarehouseReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The dashboard's questions to the warehouse, one named SQL query per chart or table: what was spent
 * today and this month against the period before, per feature per day, the top features / tenants /
 * models, alerts, overrides and denials, cost per active user with its spread across tenants, tenant
 * margin, cache savings, model mix, one workflow's calls, and unpriced usage. Every number a page
 * shows is computed here, in SQL, in exact DECIMAL (the browser only formats the strings). Each query
 * applies the page's filters ({@link DashboardFilters}) with bind parameters; the same SQL runs on
 * DuckDB and PostgreSQL, through {@link Dialect}'s helpers where the two differ.
 */
public final class DashboardQueries {

    /** One query: its name (the API path and CSV file name), what it answers, and its SQL for a dialect and filters. */
    public record Query(String name, String doc, BiFunction<Dialect, DashboardFilters, Sql> sql) {
    }

    /** A statement and its bind values (strings: the SQL casts them, so both drivers bind the same way). */
    public record Sql(String text, List<String> params) {
    }

    static final String MONEY = "DECIMAL(38,12)";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final int TOP_N = 10;
    private static final int WORKFLOW_LIST = 50;

    public static final Map<String, Query> ALL = new LinkedHashMap<>();

    static {
        add("summary", "Spend today and month to date (UTC, up to 'at'), against yesterday and the same days of last month.",
                DashboardQueries::summary);
        add("daily_feature", "Spend per feature per UTC day in the range (the stacked chart).", (d, f) -> daily(f,
                "SELECT u.day, " + tag("feature_id") + ", SUM(u.calls) AS calls, CAST(SUM(u.total_cost_usd) AS " + MONEY + ") AS cost_usd",
                "GROUP BY u.day, u.feature_id ORDER BY u.day, feature_id"));
        add("top_features", "Features ranked by spend in the range, with their share.", (d, f) -> top(d, f, "feature_id"));
        add("top_tenants", "Tenants ranked by spend in the range, with their share.", (d, f) -> top(d, f, "tenant_id"));
        add("top_models", "Models ranked by spend in the range, with their share.", (d, f) -> top(d, f, "provider", "model"));
        add("alerts", "Budget alerts (threshold crossings) raised in the range: the alert timeline.", DashboardQueries::alerts);
        add("overrides", "Overrides applied or expired, budgets lowered or cleared in the range: who and why (source, message).",
                DashboardQueries::overrides);
        add("denials", "Denials in the range per budget scope and reason code.", DashboardQueries::denials);
        add("cost_per_active_user", "Cost per active user per feature, month and plan with the median and p90 across tenants "
                + "(v_cost_per_active_user; with a tenant filter, that tenant's own figure).", DashboardQueries::costPerActiveUser);
        add("tenant_margin", "Tenant margin per month (v_tenant_margin): plan revenue minus AI cost.", DashboardQueries::tenantMargin);
        add("cache_savings", "Prompt-cache hit rate and savings per feature in the range.", DashboardQueries::cacheSavings);
        add("model_mix", "Calls and spend per feature, model and UTC day, with the model's share of the feature's day.",
                DashboardQueries::modelMix);
        add("workflows", "The costliest user actions (root requests) started in the range.", DashboardQueries::workflows);
        add("workflow", "Every call of one user action (filter 'root'): parent, model, tokens per class and cost.",
                DashboardQueries::workflow);
        add("unpriced", "Calls no price entry covered in the range, by provider and model.", (d, f) -> usage(f,
                "SELECT u.provider, u.model, COUNT(*) AS calls, SUM(u.input_tokens) AS input_tokens, SUM(u.output_tokens) AS output_tokens,"
                        + " MIN(u.timestamp) AS first_seen, MAX(u.timestamp) AS last_seen",
                "AND u.pricing_status = 'UNPRICED' GROUP BY u.provider, u.model ORDER BY calls DESC, u.provider, u.model"));
    }

    private DashboardQueries() {
    }

    private static void add(String name, String doc, BiFunction<Dialect, DashboardFilters, Sql> sql) {
        ALL.put(name, new Query(name, doc, sql));
    }

    /** The query called {@code name}, or IllegalArgumentException naming it and the known ones. */
    public static Query query(String name) {
        Query q = ALL.get(name);
        if (q == null) {
            throw new IllegalArgumentException("unknown query '" + name + "'; known: " + String.join(", ", ALL.keySet()));
        }
        return q;
    }

    /** Runs {@code query} for {@code filters} on {@code connection}. */
    public static ResultTable run(Connection connection, Dialect dialect, Query query, DashboardFilters filters) throws SQLException {
        Sql sql = query.sql().apply(dialect, filters);
        try (PreparedStatement ps = connection.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) {
                ps.setString(i + 1, sql.params().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(normalise(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return new ResultTable(query.name(), columns, rows);
            }
        }
    }

    /**
     * Exact types only, one per kind whatever the driver ({@link WarehouseReport#normalize}: integer sums
     * become long), then dates and instants as ISO text; DECIMAL stays BigDecimal.
     */
    static Object normalise(Object value) {
        Object v = WarehouseReport.normalize(value);
        if (v instanceof OffsetDateTime o) {
            return o.toInstant().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof Double || v instanceof Float) {
            // a float must never carry money: fail loudly rather than show an inexact amount
            throw new IllegalStateException("a query answered a binary float (" + v + "); cast it to DECIMAL");
        }
        return v;
    }

    /** usage_log rows of the range and the filters: SELECT {@code select} ... WHERE ... {@code tail}. */
    static Sql usage(DashboardFilters f, String select, String tail) {
        List<String> params = new ArrayList<>();
        return new Sql(select + "\nFROM usage_log u\nWHERE " + usageWhere(f, params, true) + "\n" + tail, params);
    }

    /**
     * usage_daily rows (the sink's exact daily rollup of usage_log, a few per thousand calls) of the range and the filters:
     * SELECT {@code select} ... WHERE ... {@code tail}. Its tags are '' where usage_log has NULL: {@link #tag} turns them back.
     */
    static Sql daily(DashboardFilters f, String select, String tail) {
        List<String> params = new ArrayList<>();
        // a group every call left (rows moved by a replay) keeps zeros: not a row of any figure
        StringBuilder w = new StringBuilder("u.calls <> 0 AND u.day >= CAST(? AS DATE) AND u.day <= CAST(? AS DATE)");
        params.add(f.from().toString());
        params.add(f.to().toString());
        tags(w, params, f, "u.feature_id", "u.tenant_id", "u.plan_tier", "u.environment");
        return new Sql(select + "\nFROM " + DailyRollup.USAGE_DAILY + " u\nWHERE " + w + "\n" + tail, params);
    }

    /** A tag column of usage_daily u as usage_log has it (NULL, not ''), under its own name. */
    private static String tag(String column) {
        return "NULLIF(u." + column + ", '') AS " + column;
    }

    /** The WHERE clause of the filters on usage_log u (the date range only when {@code range}). */
    static String usageWhere(DashboardFilters f, List<String> params, boolean range) {
        StringBuilder w = new StringBuilder("1 = 1");
        if (range) {
            w.append(" AND u.timestamp >= CAST(? AS TIMESTAMPTZ) AND u.timestamp < CAST(? AS TIMESTAMPTZ)");
            params.add(ts(f.fromInstant()));
            params.add(ts(f.toExclusive()));
        }
        tags(w, params, f, "u.feature_id", "u.tenant_id", "u.plan_tier", "u.environment");
        return w.toString();
    }

    private static void tags(StringBuilder w, List<String> params, DashboardFilters f, String feature, String tenant, String plan,
                             String env) {
        eq(w, params, feature, f.feature());
        eq(w, params, tenant, f.tenant());
        eq(w, params, plan, f.plan());
        eq(w, params, env, f.environment());
    }

    private static void eq(StringBuilder w, List<String> params, String column, String value) {
        if (column != null && value != null) {
            w.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    /** An instant as text both DuckDB and PostgreSQL cast to TIMESTAMPTZ. */
    static String ts(Instant i) {
        return TS.format(i) + "+00";
    }

    private static Sql summary(Dialect d, DashboardFilters f) {
        LocalDate today = f.today();
        LocalDate monthStart = today.withDayOfMonth(1);
        LocalDate lastMonthStart = monthStart.minusMonths(1);
        // last month up to the same day of the month (or its end, when it is shorter)
        LocalDate lastMonthSameDay = lastMonthStart.plusDays(Math.min(today.getDayOfMonth(), lastMonthStart.lengthOfMonth()));
        List<String> params = new ArrayList<>();
        // usage_daily: whole UTC days, so [from, to) of instants at midnight is [from, to) of days
        String t0 = today.toString();
        String t1 = today.plusDays(1).toString();
        String y0 = today.minusDays(1).toString();
        String m0 = monthStart.toString();
        String lm0 = lastMonthStart.toString();
        String lm1 = lastMonthSameDay.toString();
        String today1 = sumBetween(params, t0, t1);
        String yesterday = sumBetween(params, y0, t0);
        String month = sumBetween(params, m0, t1);
        String lastMonth = sumBetween(params, lm0, lm1);
        String calls = "SUM(CASE WHEN u.day >= CAST(? AS DATE) AND u.day < CAST(? AS DATE) THEN u.calls ELSE 0 END)";
        params.add(t0);
        params.add(t1);
        params.add(m0);
        params.add(t1);
        String lower = lm0.compareTo(y0) < 0 ? lm0 : y0;
        params.add(lower);
        params.add(t1);
        String where = usageWhere(f, params, false);
        String inner = "SELECT " + today1 + " AS today_usd, " + yesterday + " AS yesterday_usd, " + month + " AS month_usd, "
                + lastMonth + " AS last_month_same_days_usd, " + calls + " AS today_calls, " + calls + " AS month_calls\n"
                + "FROM " + DailyRollup.USAGE_DAILY + " u WHERE u.day >= CAST(? AS DATE) AND u.day < CAST(? AS DATE) AND " + where;
        return new Sql("SELECT CAST(s.today_usd AS " + MONEY + ") AS today_usd, CAST(s.yesterday_usd AS " + MONEY + ") AS yesterday_usd,\n"
                + "  " + d.ratio("s.today_usd - s.yesterday_usd", "s.yesterday_usd") + " AS today_trend,\n"
                + "  CAST(s.month_usd AS " + MONEY + ") AS month_usd, CAST(s.last_month_same_days_usd AS " + MONEY + ") AS last_month_same_days_usd,\n"
                + "  " + d.ratio("s.month_usd - s.last_month_same_days_usd", "s.last_month_same_days_usd") + " AS month_trend,\n"
                + "  s.today_calls, s.month_calls\n"
                + "FROM (" + inner + ") s", params);
    }

    private static String sumBetween(List<String> params, String from, String to) {
        params.add(from);
        params.add(to);
        return "COALESCE(SUM(CASE WHEN u.day >= CAST(? AS DATE) AND u.day < CAST(? AS DATE) "
                + "THEN u.total_cost_usd ELSE 0 END), 0)";
    }

    private static Sql top(Dialect d, DashboardFilters f, String... keys) {
        Sql inner = daily(f, "SELECT " + Arrays.stream(keys).map(DashboardQueries::tag).collect(Collectors.joining(", "))
                + ", SUM(u.calls) AS calls, SUM(u.total_cost_usd) AS cost", "GROUP BY " + Arrays.stream(keys).map(k -> "u." + k)
                .collect(Collectors.joining(", ")));
        String cols = Arrays.stream(keys).map(k -> "t." + k).collect(Collectors.joining(", "));
        return new Sql("SELECT " + cols + ", t.calls, CAST(t.cost AS " + MONEY + ") AS cost_usd,\n"
                + "  " + d.ratio("t.cost", "SUM(t.cost) OVER ()") + " AS share_of_spend\n"
                + "FROM (" + inner.text() + ") t ORDER BY t.cost DESC, " + cols + " LIMIT " + TOP_N, inner.params());
    }

    /** Budget events of the range (column {@code at}) and the feature / tenant filters. */
    private static String budgetWhere(DashboardFilters f, List<String> params, String at) {
        StringBuilder w = new StringBuilder(at + " >= CAST(? AS TIMESTAMPTZ) AND " + at + " < CAST(? AS TIMESTAMPTZ)");
        params.add(ts(f.fromInstant()));
        params.add(ts(f.toExclusive()));
        eq(w, params, "feature_id", f.feature());
        eq(w, params, "tenant_id", f.tenant());
        return w.toString();
    }

    private static Sql alerts(Dialect d, DashboardFilters f) {
        List<String> params = new ArrayList<>();
        return new Sql("SELECT raised_at, scope_key, threshold_pct, CAST(spent_usd AS " + MONEY + ") AS spent_usd, CAST(limit_usd AS "
                + MONEY + ") AS limit_usd, status, mode, message\nFROM budget_alerts WHERE " + budgetWhere(f, params, "raised_at")
                + "\nORDER BY raised_at, scope_key, threshold_pct", params);
    }

    private static Sql overrides(Dialect d, DashboardFilters f) {
        List<String> params = new ArrayList<>();
        return new Sql("SELECT decided_at, scope_key, reason_code, CAST(limit_usd AS " + MONEY + ") AS limit_usd, source, message\n"
                + "FROM budget_decisions WHERE reason_code IN ('OVERRIDE_APPLIED', 'OVERRIDE_EXPIRED', 'BUDGET_LOWERED', 'BUDGET_CLEARED')"
                + " AND " + budgetWhere(f, params, "decided_at") + "\nORDER BY decided_at, scope_key", params);
    }

    private static Sql denials(Dialect d, DashboardFilters f) {
        List<String> params = new ArrayList<>();
        return new Sql("SELECT scope_key, reason_code, enforced, COUNT(*) AS denials, CAST(SUM(reserve_delta_usd) AS " + MONEY
                + ") AS asked_usd, MIN(decided_at) AS first_at, MAX(decided_at) AS last_at\n"
                + "FROM budget_decisions WHERE decision = 'DENY' AND " + budgetWhere(f, params, "decided_at")
                + "\nGROUP BY scope_key, reason_code, enforced ORDER BY denials DESC, scope_key, reason_code", params);
    }

    /** The calendar months the range touches, as a condition on usage_daily u (params added) for the monthly views. */
    private static String monthsWhere(DashboardFilters f, List<String> params, boolean feature) {
        StringBuilder w = new StringBuilder("u.day >= CAST(? AS DATE) AND u.day < CAST(? AS DATE)");
        params.add(f.from().withDayOfMonth(1).toString());
        params.add(f.to().withDayOfMonth(1).plusMonths(1).toString());
        if (feature) {
            eq(w, params, "u.feature_id", f.feature());
        }
        eq(w, params, "u.environment", f.environment());
        eq(w, params, "u.tenant_id", f.tenant());
        return w.toString();
    }

    private static Sql costPerActiveUser(Dialect d, DashboardFilters f) {
        // the view's own SQL over usage_daily, with the range and the filters pushed into it (a tenant filter leaves one tenant: its own figure)
        List<String> params = new ArrayList<>();
        String usage = monthsWhere(f, params, true);
        StringBuilder users = new StringBuilder("p.month >= CAST(? AS DATE) AND p.month <= CAST(? AS DATE)");
        params.add(f.from().withDayOfMonth(1).toString());
        params.add(f.to().withDayOfMonth(1).toString());
        eq(users, params, "p.feature_id", f.feature());
        eq(users, params, "p.plan_tier", f.plan());
        eq(users, params, "p.tenant_id", f.tenant());
        return new Sql("SELECT v.* FROM (" + WarehouseViews.costPerActiveUserFromDaily(d, usage, users.toString()) + ") v\n"
                + "ORDER BY v.month, v.feature_id, v.plan_tier", params);
    }

    private static Sql tenantMargin(Dialect d, DashboardFilters f) {
        // margin is per tenant across every feature: the feature filter does not apply
        List<String> params = new ArrayList<>();
        String usage = monthsWhere(f, params, false);
        StringBuilder w = new StringBuilder("1 = 1");
        eq(w, params, "v.plan_tier", f.plan());
        return new Sql("SELECT v.month, v.tenant_id, v.plan_tier, v.calls, v.revenue_usd, v.ai_cost_usd, v.margin_usd, v.margin_pct\n"
                + "FROM (" + WarehouseViews.tenantMarginFromDaily(d, usage) + ") v WHERE " + w + "\nORDER BY v.month, v.margin_usd, v.tenant_id",
                params);
    }

    private static Sql cacheSavings(Dialect d, DashboardFilters f) {
        String writes = "u.cache_write_5m_tokens + u.cache_write_1h_tokens + u.cache_write_other_tokens";
        Sql inner = daily(f, "SELECT " + tag("feature_id") + ", SUM(u.calls) AS calls, SUM(u.input_tokens) AS input_tokens, SUM(u.cache_read_tokens) AS "
                + "cache_read_tokens, SUM(" + writes + ") AS cache_write_tokens, SUM(u.total_cost_usd) AS cost, SUM(u.cache_savings_usd) AS "
                + "savings", "GROUP BY u.feature_id");
        return new Sql("SELECT c.feature_id, c.calls, c.cache_read_tokens,\n"
                + "  " + d.ratio("c.cache_read_tokens", "c.input_tokens + c.cache_read_tokens + c.cache_write_tokens") + " AS cache_hit_rate,\n"
                + "  CAST(c.cost AS " + MONEY + ") AS cost_usd, CAST(c.savings AS " + MONEY + ") AS cache_savings_usd,\n"
                + "  CAST(c.cost + c.savings AS " + MONEY + ") AS cost_without_cache_usd\n"
                + "FROM (" + inner.text() + ") c ORDER BY c.savings DESC, c.feature_id", inner.params());
    }

    private static Sql modelMix(Dialect d, DashboardFilters f) {
        Sql inner = daily(f, "SELECT u.day, " + tag("feature_id") + ", " + tag("model") + ", SUM(u.calls) AS calls, SUM(u.total_cost_usd) AS cost",
                "GROUP BY u.day, u.feature_id, u.model");
        return new Sql("SELECT m.day, m.feature_id, m.model, m.calls, CAST(m.cost AS " + MONEY + ") AS cost_usd,\n"
                + "  " + d.ratio("m.cost", "SUM(m.cost) OVER (PARTITION BY m.day, m.feature_id)") + " AS share_of_cost\n"
                + "FROM (" + inner.text() + ") m ORDER BY m.day, m.feature_id, m.model", inner.params());
    }

    private static Sql workflows(Dialect d, DashboardFilters f) {
        Sql inner = usage(f, "SELECT COALESCE(u.root_request_id, u.request_id) AS root_request_id, MIN(u.feature_id) AS feature_id,"
                + " MIN(u.tenant_id) AS tenant_id, MIN(u.timestamp) AS started_at, COUNT(*) AS calls,"
                + " SUM(CASE WHEN u.attempt > 1 THEN 1 ELSE 0 END) AS retries, COUNT(DISTINCT u.model) AS models,"
                + " CAST(SUM(u.total_cost_usd) AS " + MONEY + ") AS cost_usd",
                "GROUP BY COALESCE(u.root_request_id, u.request_id) ORDER BY cost_usd DESC, root_request_id LIMIT " + WORKFLOW_LIST);
        return inner;
    }

    private static Sql workflow(Dialect d, DashboardFilters f) {
        if (f.root() == null) {
            throw new IllegalArgumentException("filter 'root': missing; give the root_request_id of the user action");
        }
        List<String> params = new ArrayList<>();
        params.add(f.root());
        params.add(f.root());
        StringBuilder w = new StringBuilder("(u.root_request_id = ? OR (u.root_request_id IS NULL AND u.request_id = ?))");
        tags(w, params, f, "u.feature_id", "u.tenant_id", "u.plan_tier", "u.environment");
        return new Sql("SELECT u.request_id, u.parent_request_id, u.attempt, u.kind, u.feature_id, u.provider, u.model, u.timestamp,\n"
                + "  u.input_tokens, u.output_tokens, u.reasoning_tokens, u.cache_read_tokens,\n"
                + "  " + WarehouseViews.CACHE_WRITE_TOKENS + " AS cache_write_tokens,\n"
                + "  CAST(u.total_cost_usd AS " + MONEY + ") AS cost_usd, u.pricing_status,\n"
                + "  CAST(SUM(u.total_cost_usd) OVER () AS " + MONEY + ") AS workflow_cost_usd\n"
                + "FROM usage_log u WHERE " + w + "\nORDER BY u.timestamp, u.request_id", params);
    }
}
