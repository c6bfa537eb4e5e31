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
package dev.tokenledger.sink.report;

import static dev.tokenledger.sink.report.ReportTable.Kind.COUNT;
import static dev.tokenledger.sink.report.ReportTable.Kind.MONEY;
import static dev.tokenledger.sink.report.ReportTable.Kind.PERCENT;
import static dev.tokenledger.sink.report.ReportTable.Kind.SIGNED_PERCENT;
import static dev.tokenledger.sink.report.ReportTable.Kind.TEXT;
import static dev.tokenledger.sink.report.ReportTable.Kind.UNIT_MONEY;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.sink.WarehouseTables;
import dev.tokenledger.sink.reconcile.Reconciliation;
import dev.tokenledger.sink.report.ReportTable.ReportColumn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one-screen answer to the articles' questions for one UTC month, read from the warehouse
 * views: what each feature costs (month to date, last 7 days, trend), the top 3, cost per active
 * user per feature and plan, tenants whose margin is negative or thin, what caching saved,
 * cache-write spend by retention, budget alerts and denials, unpriced usage and calls priced only in part. All
 * arithmetic is exact BigDecimal.
 */
public final class WarehouseReport {
    /** The text screen lists the worst tenants only; a long tail of free tenants would bury the rest. */
    static final int THIN_MARGIN_ROWS_SHOWN = 15;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Margin below this share of revenue is "thin". */
    public static final BigDecimal THIN_MARGIN = new BigDecimal("0.20");

    private final YearMonth month;
    private final LocalDate asOf;
    private final List<ReportTable> sections;

    WarehouseReport(YearMonth month, LocalDate asOf, List<ReportTable> sections) {
        this.month = month;
        this.asOf = asOf;
        this.sections = List.copyOf(sections);
    }

    public YearMonth month() {
        return month;
    }

    /** The last day the 7-day figures include: today for the current month, the month's last day for a past one. */
    public LocalDate asOf() {
        return asOf;
    }

    public List<ReportTable> sections() {
        return sections;
    }

    public ReportTable section(String id) {
        return sections.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No report section '" + id + "'"));
    }

    /** Builds the report for {@code month}; {@code today} bounds the 7-day windows. */
    public static WarehouseReport build(Connection connection, YearMonth month, LocalDate today) throws SQLException {
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        LocalDate asOf = today.isBefore(last) ? (today.isBefore(first) ? first : today) : last;
        List<ReportTable> sections = new ArrayList<>();
        sections.add(spendPerFeature(connection, first, asOf));
        sections.add(topFeatures(connection, first));
        sections.add(costPerActiveUser(connection, first));
        sections.add(thinMargins(connection, first));
        sections.add(cacheSavings(connection, first));
        sections.add(cacheWritesByRetention(connection, first, month.plusMonths(1).atDay(1)));
        sections.add(budgetAlerts(connection, first, month.plusMonths(1).atDay(1)));
        sections.add(budgetDenials(connection, first, month.plusMonths(1).atDay(1)));
        sections.add(unpriced(connection, first, last));
        sections.add(notFullyPriced(connection, first, month.plusMonths(1).atDay(1)));
        sections.add(invoiceMatch(connection, month));
        sections.add(reconciliationAlerts(connection, month));
        return new WarehouseReport(month, asOf, sections);
    }

    private static ReportTable spendPerFeature(Connection c, LocalDate first, LocalDate asOf) throws SQLException {
        LocalDate last7From = asOf.minusDays(6);
        LocalDate prev7From = asOf.minusDays(13);
        LocalDate from = prev7From.isBefore(first) ? prev7From : first;
        Map<String, BigDecimal[]> byFeature = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT feature_id, day, SUM(cost_usd) FROM v_daily_feature_cost "
                + "WHERE day >= ? AND day <= ? GROUP BY feature_id, day")) {
            ps.setObject(1, from);
            ps.setObject(2, asOf);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal[] sums = byFeature.computeIfAbsent(rs.getString(1),
                            f -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                    LocalDate day = date(rs.getObject(2));
                    BigDecimal cost = rs.getBigDecimal(3);
                    if (!day.isBefore(first)) {
                        sums[0] = sums[0].add(cost);
                    }
                    if (!day.isBefore(last7From)) {
                        sums[1] = sums[1].add(cost);
                    } else if (!day.isBefore(prev7From)) {
                        sums[2] = sums[2].add(cost);
                    }
                }
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        BigDecimal[] total = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        byFeature.entrySet().stream()
                .sorted((a, b) -> b.getValue()[0].compareTo(a.getValue()[0]))
                .forEach(e -> {
                    BigDecimal[] s = e.getValue();
                    rows.add(List.of(e.getKey(), s[0], s[1], s[2], trend(s[1], s[2])));
                    for (int i = 0; i < 3; i++) {
                        total[i] = total[i].add(s[i]);
                    }
                });
        if (!rows.isEmpty()) {
            rows.add(List.of("TOTAL", total[0], total[1], total[2], trend(total[1], total[2])));
        }
        return new ReportTable("spend_per_feature", "Spend per feature",
                "What each AI feature cost this month, in the last 7 days to " + asOf + ", and the change against the 7 days before.",
                List.of(ReportColumn.of("feature_id", "feature", TEXT), ReportColumn.of("month_to_date_usd", "this month", MONEY),
                        ReportColumn.of("last_7_days_usd", "last 7 days", MONEY), ReportColumn.of("previous_7_days_usd", "7 days before", MONEY),
                        ReportColumn.of("trend", "trend", SIGNED_PERCENT)),
                rows, "No usage this month.");
    }

    private static Object trend(BigDecimal last, BigDecimal previous) {
        if (previous.signum() == 0) {
            return last.signum() == 0 ? (Object) BigDecimal.ZERO : "new";
        }
        return last.subtract(previous).divide(previous, 4, RoundingMode.HALF_EVEN);
    }

    private static ReportTable topFeatures(Connection c, LocalDate first) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT spend_rank, feature_id, cost_usd, share_of_spend, calls FROM v_top_features "
                + "WHERE month = ? AND spend_rank <= 3 ORDER BY spend_rank, feature_id", first);
        return new ReportTable("top_features", "Top 3 features by spend",
                "Where to look first: the features that cost the most this month and their share of all AI spend.",
                List.of(ReportColumn.of("rank", "#", COUNT), ReportColumn.of("feature_id", "feature", TEXT),
                        ReportColumn.of("cost_usd", "cost", MONEY), ReportColumn.of("share_of_spend", "share", PERCENT),
                        ReportColumn.of("calls", "calls", COUNT)),
                rows, "No usage this month.");
    }

    private static ReportTable costPerActiveUser(Connection c, LocalDate first) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT feature_id, plan_tier, tenants, active_users, cost_usd, cost_per_active_user_usd, "
                + "median_tenant_cost_per_active_user_usd, p90_tenant_cost_per_active_user_usd FROM v_cost_per_active_user "
                + "WHERE month = ? ORDER BY feature_id, plan_tier", first);
        return new ReportTable("cost_per_active_user", "Cost per active user",
                "AI cost of each feature divided by its monthly active users, per plan; median and p90 across tenants show the long tail.",
                List.of(ReportColumn.of("feature_id", "feature", TEXT), ReportColumn.of("plan_tier", "plan", TEXT),
                        ReportColumn.of("tenants", "tenants", COUNT), ReportColumn.of("active_users", "active users", COUNT),
                        ReportColumn.of("cost_usd", "cost", MONEY), ReportColumn.of("cost_per_active_user_usd", "per user", UNIT_MONEY),
                        ReportColumn.of("median_tenant_cost_per_active_user_usd", "median tenant", UNIT_MONEY),
                        ReportColumn.of("p90_tenant_cost_per_active_user_usd", "p90 tenant", UNIT_MONEY)),
                rows, "No active-user data for this month (load it with: tokenledger warehouse load-active-users FILE.csv).");
    }

    private static ReportTable thinMargins(Connection c, LocalDate first) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT tenant_id, plan_tier, revenue_usd, ai_cost_usd, margin_usd, margin_pct FROM v_tenant_margin "
                + "WHERE month = ? AND revenue_usd IS NOT NULL AND (margin_pct IS NULL OR margin_pct < ?) ORDER BY margin_usd, tenant_id",
                first, THIN_MARGIN);
        return new ReportTable("thin_margins", "Tenants with negative or thin margin",
                "Tenants whose AI cost eats more than " + THIN_MARGIN.movePointRight(2).stripTrailingZeros().toPlainString()
                        + " % of their plan's monthly price (free plans: any cost is a loss).",
                List.of(ReportColumn.of("tenant_id", "tenant", TEXT), ReportColumn.of("plan_tier", "plan", TEXT),
                        ReportColumn.of("revenue_usd", "plan price", MONEY), ReportColumn.of("ai_cost_usd", "AI cost", MONEY),
                        ReportColumn.of("margin_usd", "margin", MONEY), ReportColumn.of("margin_pct", "margin %", PERCENT)),
                rows, "Every tenant with a priced plan keeps at least "
                        + THIN_MARGIN.movePointRight(2).stripTrailingZeros().toPlainString() + " % margin.", THIN_MARGIN_ROWS_SHOWN);
    }

    private static ReportTable cacheSavings(Connection c, LocalDate first) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT feature_id, cache_hit_rate, cost_usd, cache_savings_usd, cost_without_cache_usd, savings_pct "
                + "FROM v_cache_savings WHERE month = ? ORDER BY cache_savings_usd DESC, feature_id", first);
        return new ReportTable("cache_savings", "Prompt-cache savings",
                "What caching saved: cached tokens priced at the uncached rate minus what they cost. Costs above are already net of it.",
                List.of(ReportColumn.of("feature_id", "feature", TEXT), ReportColumn.of("cache_hit_rate", "hit rate", PERCENT),
                        ReportColumn.of("cost_usd", "cost", MONEY), ReportColumn.of("cache_savings_usd", "saved", MONEY),
                        ReportColumn.of("cost_without_cache_usd", "without cache", MONEY), ReportColumn.of("savings_pct", "saved %", PERCENT)),
                rows, "No usage this month.");
    }

    private static ReportTable budgetAlerts(Connection c, LocalDate first, LocalDate next) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT raised_at, scope_key, threshold_pct, spent_usd, limit_usd, status, mode FROM budget_alerts "
                + "WHERE raised_at >= ? AND raised_at < ? ORDER BY raised_at, alert_id", utc(first), utc(next));
        rows.forEach(r -> r.set(0, ((OffsetDateTime) r.get(0)).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                .toString().replace('T', ' ')));
        return new ReportTable("budget_alerts", "Budget alerts",
                "Budgets that crossed a threshold this month (UTC).",
                List.of(ReportColumn.of("raised_at", "when (UTC)", TEXT), ReportColumn.of("scope_key", "budget scope", TEXT),
                        ReportColumn.of("threshold_pct", "threshold %", COUNT), ReportColumn.of("spent_usd", "spent", MONEY),
                        ReportColumn.of("limit_usd", "limit", MONEY), ReportColumn.of("status", "status", TEXT),
                        ReportColumn.of("mode", "mode", TEXT)),
                rows, "No budget crossed a threshold this month.");
    }

    private static ReportTable budgetDenials(Connection c, LocalDate first, LocalDate next) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT scope_key, reason_code, CASE WHEN enforced THEN 'enforced' ELSE 'shadow' END, "
                + "COUNT(*), CAST(SUM(reserve_delta_usd) AS DECIMAL(38,12)) FROM budget_decisions "
                + "WHERE decision = 'DENY' AND decided_at >= ? AND decided_at < ? "
                + "GROUP BY scope_key, reason_code, CASE WHEN enforced THEN 'enforced' ELSE 'shadow' END ORDER BY COUNT(*) DESC, scope_key",
                utc(first), utc(next));
        return new ReportTable("budget_denials", "Budget denials",
                "Calls a budget refused this month (shadow = would have been refused by an ALERT_ONLY budget).",
                List.of(ReportColumn.of("scope_key", "budget scope", TEXT), ReportColumn.of("reason_code", "reason", TEXT),
                        ReportColumn.of("mode", "mode", TEXT), ReportColumn.of("denials", "denials", COUNT),
                        ReportColumn.of("requested_usd", "asked to hold", MONEY)),
                rows, "No call was denied this month.");
    }

    private static ReportTable unpriced(Connection c, LocalDate first, LocalDate last) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT provider, model, SUM(calls), SUM(input_tokens), SUM(output_tokens) FROM v_unpriced_usage "
                + "WHERE day >= ? AND day <= ? GROUP BY provider, model ORDER BY SUM(calls) DESC, provider, model", first, last);
        return new ReportTable("unpriced_usage", "Unpriced usage",
                "Calls to models with no price entry: counted at $0 above, so spend is understated until the catalog is fixed.",
                List.of(ReportColumn.of("provider", "provider", TEXT), ReportColumn.of("model", "model", TEXT),
                        ReportColumn.of("calls", "calls", COUNT), ReportColumn.of("input_tokens", "input tokens", COUNT),
                        ReportColumn.of("output_tokens", "output tokens", COUNT)),
                rows, "Every call was priced.");
    }

    /**
     * Does it match the invoice? Per provider with an imported cost report this month: the ledger's total, the
     * provider's, the drift (provider - ledger, also as a share of the provider's total) and the day that drifted most.
     */
    private static ReportTable invoiceMatch(Connection c, YearMonth month) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        for (Reconciliation.ProviderSummary p : Reconciliation.byProvider(Reconciliation.forMonth(c, month))) {
            rows.add(List.of(p.provider(), p.ledgerUsd(), p.providerUsd(), p.driftUsd(), p.driftPct().movePointLeft(2),
                    p.worstDay().toString(), p.worstDayDriftUsd()));
        }
        return new ReportTable("invoice_match", "Does it match the invoice?",
                "The ledger against each provider's own cost report, per UTC day and model (drift = provider - ledger); "
                        + "details: tokenledger reconcile --month " + month + ".",
                List.of(ReportColumn.of("provider", "provider", TEXT), ReportColumn.of("ledger_usd", "ledger", MONEY),
                        ReportColumn.of("provider_usd", "provider report", MONEY), ReportColumn.of("drift_usd", "drift", MONEY),
                        ReportColumn.of("drift_pct", "drift %", SIGNED_PERCENT), ReportColumn.of("worst_day", "worst day", TEXT),
                        ReportColumn.of("worst_day_drift_usd", "its drift", MONEY)),
                rows, "No provider cost report imported for this month: run tokenledger reconcile import --provider anthropic|openai|gemini "
                        + "--file REPORT (or --url U --admin-key-env VAR) --warehouse URL.");
    }

    /**
     * The drift alerts the last check of this month published (tokenledger reconcile --bootstrap), as the sink wrote
     * them to reconciliation_alerts: one per day, provider and model over the threshold.
     */
    private static ReportTable reconciliationAlerts(Connection c, YearMonth month) throws SQLException {
        List<List<Object>> rows = query(c, "SELECT CAST(day AS VARCHAR), provider, model, drift_usd, drift_pct, threshold_pct, likely_cause "
                + "FROM " + WarehouseTables.RECONCILIATION_ALERTS + " WHERE month = ? AND NOT resolved ORDER BY day, provider, model", month.toString());
        // stored in percent (60.00); the report's percent columns take ratios
        rows.forEach(r -> {
            r.set(4, ((BigDecimal) r.get(4)).movePointLeft(2));
            r.set(5, ((BigDecimal) r.get(5)).movePointLeft(2));
        });
        return new ReportTable("reconciliation_alerts", "Reconciliation alerts",
                "Days whose drift from the provider's report exceeds the threshold, as the last check of the month with "
                        + "tokenledger reconcile --bootstrap found them (topic " + Topics.RECONCILIATION_ALERTS_TOPIC + "; resolved ones left out).",
                List.of(ReportColumn.of("day", "day", TEXT), ReportColumn.of("provider", "provider", TEXT), ReportColumn.of("model", "model", TEXT),
                        ReportColumn.of("drift_usd", "drift", MONEY), ReportColumn.of("drift_pct", "drift %", SIGNED_PERCENT),
                        ReportColumn.of("threshold_pct", "threshold", PERCENT), ReportColumn.of("likely_cause", "likely cause", TEXT)),
                rows, "No reconciliation alert for this month.");
    }

    /** Shown reasons of the "not fully priced" section; the JSON and CSV carry every reason. */
    static final int TOP_REASONS_SHOWN = 3;

    /**
     * Cache-write tokens and cost of the month by retention: 5m and 1h from their columns, the other retentions
     * (30m, 12h, ...) summed exactly from each call's per-retention JSON.
     */
    private static ReportTable cacheWritesByRetention(Connection c, LocalDate first, LocalDate next) throws SQLException {
        Map<String, Object[]> byRetention = new TreeMap<>(WarehouseReport::compareRetentions);
        try (PreparedStatement ps = c.prepareStatement("SELECT SUM(cache_write_5m_tokens), CAST(SUM(cost_cache_write_5m_usd) AS DECIMAL(38,12)), "
                + "SUM(cache_write_1h_tokens), CAST(SUM(cost_cache_write_1h_usd) AS DECIMAL(38,12)) FROM usage_log "
                + "WHERE timestamp >= ? AND timestamp < ?")) {
            ps.setObject(1, utc(first));
            ps.setObject(2, utc(next));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    addRetention(byRetention, "5m", count(rs.getObject(1)), rs.getBigDecimal(2));
                    addRetention(byRetention, "1h", count(rs.getObject(3)), rs.getBigDecimal(4));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT cache_write_tokens_json, cache_write_costs_json FROM usage_log "
                + "WHERE timestamp >= ? AND timestamp < ? AND (cache_write_other_tokens > 0 OR cost_cache_write_other_usd <> 0)")) {
            ps.setObject(1, utc(first));
            ps.setObject(2, utc(next));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode tokens = json(rs.getString(1));
                    JsonNode costs = json(rs.getString(2));
                    java.util.Set<String> keys = new java.util.TreeSet<>();
                    tokens.fieldNames().forEachRemaining(keys::add);
                    costs.fieldNames().forEachRemaining(keys::add);
                    for (String k : keys) {
                        addRetention(byRetention, k, tokens.path(k).asLong(0),
                                costs.has(k) ? costs.get(k).decimalValue() : BigDecimal.ZERO);
                    }
                }
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        long totalTokens = 0;
        BigDecimal totalCost = BigDecimal.ZERO;
        for (Map.Entry<String, Object[]> e : byRetention.entrySet()) {
            long tokens = (Long) e.getValue()[0];
            BigDecimal cost = (BigDecimal) e.getValue()[1];
            if (tokens == 0 && cost.signum() == 0) {
                continue;
            }
            rows.add(new ArrayList<>(List.of(e.getKey(), tokens, cost)));
            totalTokens += tokens;
            totalCost = totalCost.add(cost);
        }
        if (!rows.isEmpty()) {
            rows.add(new ArrayList<>(List.of("TOTAL", totalTokens, totalCost)));
        }
        return new ReportTable("cache_writes_by_retention", "Cache-write spend by retention",
                "Input tokens written to a prompt cache this month and what the writes cost, by how long the cache keeps them "
                        + "(5m, 1h for Anthropic; 30m, 12h for OpenAI). Included in the costs above.",
                List.of(ReportColumn.of("retention", "retention", TEXT), ReportColumn.of("tokens", "tokens written", COUNT),
                        ReportColumn.of("cost_usd", "cost", MONEY)),
                rows, "No cache writes this month.");
    }

    /** PARTIALLY_PRICED calls of the month: how many, their (lower-bound) cost, and the most frequent notes. */
    private static ReportTable notFullyPriced(Connection c, LocalDate first, LocalDate next) throws SQLException {
        Map<String, long[]> byNote = new java.util.HashMap<>();
        Map<String, BigDecimal> costByNote = new java.util.HashMap<>();
        long calls = 0;
        BigDecimal cost = BigDecimal.ZERO;
        try (PreparedStatement ps = c.prepareStatement("SELECT pricing_notes, total_cost_usd FROM usage_log "
                + "WHERE pricing_status = 'PARTIALLY_PRICED' AND timestamp >= ? AND timestamp < ?")) {
            ps.setObject(1, utc(first));
            ps.setObject(2, utc(next));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    calls++;
                    BigDecimal callCost = rs.getBigDecimal(2);
                    cost = cost.add(callCost);
                    java.util.Set<String> notes = new java.util.LinkedHashSet<>();
                    json(rs.getString(1)).forEach(n -> notes.add(n.asText()));
                    if (notes.isEmpty()) {
                        notes.add("(no note recorded)");
                    }
                    for (String note : notes) {
                        byNote.computeIfAbsent(note, k -> new long[1])[0]++;
                        costByNote.merge(note, callCost, BigDecimal::add);
                    }
                }
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        byNote.entrySet().stream()
                .sorted(Map.Entry.<String, long[]>comparingByValue((a, b) -> Long.compare(b[0], a[0])).thenComparing(Map.Entry::getKey))
                .forEach(e -> rows.add(new ArrayList<>(List.of(e.getKey(), e.getValue()[0], costByNote.get(e.getKey())))));
        String explanation = calls == 0 ? "Calls a price entry covered only in part (a token class, region or service tier with no rate)."
                : calls + " call" + (calls == 1 ? " was" : "s were") + " not fully priced this month (" + ReportRenderer.formatCell(MONEY, cost)
                        + " counted, a lower bound): a token class, region or service tier had no rate on the entry and cost nothing "
                        + "there. Top reasons:";
        return new ReportTable("not_fully_priced", "Not fully priced", explanation,
                List.of(ReportColumn.of("reason", "reason (pricing note)", TEXT), ReportColumn.of("calls", "calls", COUNT),
                        ReportColumn.of("cost_usd", "counted", MONEY)),
                rows, "Every priced call had a rate for each of its token classes, regions and tiers.", TOP_REASONS_SHOWN);
    }

    private static void addRetention(Map<String, Object[]> byRetention, String retention, long tokens, BigDecimal cost) {
        Object[] sums = byRetention.computeIfAbsent(retention, k -> new Object[] {0L, BigDecimal.ZERO});
        sums[0] = Math.addExact((Long) sums[0], tokens);
        sums[1] = ((BigDecimal) sums[1]).add(cost == null ? BigDecimal.ZERO : cost);
    }

    /** Shortest retention first: 5m, 30m, 1h, 12h, 1d (unit then count); anything else after, by name. */
    static int compareRetentions(String a, String b) {
        return Long.compare(minutes(a), minutes(b)) != 0 ? Long.compare(minutes(a), minutes(b)) : a.compareTo(b);
    }

    private static long minutes(String retention) {
        if (!retention.matches("[1-9][0-9]{0,8}[mhd]")) {
            return Long.MAX_VALUE;
        }
        long n = Long.parseLong(retention.substring(0, retention.length() - 1));
        return switch (retention.charAt(retention.length() - 1)) {
            case 'm' -> n;
            case 'h' -> n * 60;
            default -> n * 1440;
        };
    }

    private static long count(Object value) {
        Object v = normalize(value);
        return v == null ? 0L : ((Number) v).longValue();
    }

    private static JsonNode json(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("usage_log holds malformed JSON: " + text, e);
        }
    }

    private static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    private static List<List<Object>> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(normalize(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    /** Drivers differ: HUGEINT vs numeric vs bigint, java.sql.Date vs LocalDate; give the report one type per kind. */
    public static Object normalize(Object value) {
        if (value instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof BigDecimal d && d.scale() <= 0 && d.precision() - d.scale() <= 18 && d.scale() == 0) {
            return d.longValueExact();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        return value;
    }

    private static LocalDate date(Object value) {
        Object v = normalize(value);
        return v instanceof LocalDate d ? d : LocalDate.parse(v.toString().substring(0, 10));
    }
}
