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
package dev.tokenledger.sink.reconcile;

import dev.tokenledger.sink.WarehouseJson;
import dev.tokenledger.sink.WarehouseTables;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers "does the ledger match the invoice?" for one UTC month: the rows of {@code v_reconciliation_daily}
 * for the providers that have an imported cost report in that month (a provider without a report is not
 * compared, rather than shown as 100 % drift), with the drift in percent and whether each is within a threshold.
 *
 * <p>{@code drift_usd = provider_usd - ledger_usd}; {@code drift_pct = drift_usd / provider_usd x 100}, rounded
 * half-up to 2 decimals, against the ledger when the provider billed 0 (so a day missing from the report is
 * -100 %), and 0 when both are 0.
 */
public final class Reconciliation {
    /** The default threshold: every drift within 1 % of what the provider billed passes. */
    public static final BigDecimal DEFAULT_THRESHOLD_PCT = BigDecimal.ONE;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Reconciliation() {
    }

    /** What one row compares: a model family, or a model family in one workspace / project. */
    public enum Breakdown {
        /** Per UTC day, provider and model family ({@code v_reconciliation_daily}). */
        MODEL("v_reconciliation_daily"),
        /** Also per workspace / project ({@code v_reconciliation_scope_daily}). */
        WORKSPACE("v_reconciliation_scope_daily");

        private final String view;

        Breakdown(String view) {
            this.view = view;
        }
    }

    /** One day x provider x model (x workspace / project: {@code scopeId} is null in the per-model breakdown). */
    public record Row(LocalDate day, String provider, String model, String scopeId, BigDecimal ledgerUsd, BigDecimal providerUsd,
                      BigDecimal driftUsd, BigDecimal driftPct, String likelyCause) {
        public boolean within(BigDecimal thresholdPct) {
            return driftPct.abs().compareTo(thresholdPct) <= 0;
        }
    }

    /** One provider's month: totals and the day whose drift is largest in dollars. */
    public record ProviderSummary(String provider, BigDecimal ledgerUsd, BigDecimal providerUsd, BigDecimal driftUsd,
                                  BigDecimal driftPct, LocalDate worstDay, BigDecimal worstDayDriftUsd) {
    }

    /** The month's rows per model family, ordered by day, provider and model. */
    public static List<Row> forMonth(Connection connection, YearMonth month) throws SQLException {
        return forMonth(connection, month, Breakdown.MODEL);
    }

    /** The month's rows in a breakdown, ordered by day, provider, model (and workspace / project). */
    public static List<Row> forMonth(Connection connection, YearMonth month, Breakdown breakdown) throws SQLException {
        boolean byScope = breakdown == Breakdown.WORKSPACE;
        String sql = "SELECT r.day, r.provider, r.model, r.ledger_usd, r.provider_usd, r.drift_usd, r.likely_cause"
                + (byScope ? ", r.scope_id" : "") + "\n"
                + "FROM " + breakdown.view + " r\n"
                + "WHERE r.day >= ? AND r.day < ? AND EXISTS (SELECT 1 FROM " + WarehouseTables.PROVIDER_COSTS + " c\n"
                + "  WHERE c.provider = r.provider AND c.day >= ? AND c.day < ?)\n"
                + "ORDER BY r.day, r.provider, r.model" + (byScope ? ", r.scope_id" : "");
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Date from = Date.valueOf(month.atDay(1));
            Date to = Date.valueOf(month.plusMonths(1).atDay(1));
            ps.setDate(1, from);
            ps.setDate(2, to);
            ps.setDate(3, from);
            ps.setDate(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal ledger = rs.getBigDecimal(4);
                    BigDecimal provider = rs.getBigDecimal(5);
                    BigDecimal drift = rs.getBigDecimal(6);
                    rows.add(new Row(rs.getDate(1).toLocalDate(), rs.getString(2), rs.getString(3), byScope ? rs.getString(8) : null,
                            ledger, provider, drift, pct(drift, provider, ledger), rs.getString(7)));
                }
            }
        }
        return rows;
    }

    /** Whether any provider cost report was imported for the month. */
    public static boolean hasReports(Connection connection, YearMonth month) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM " + WarehouseTables.PROVIDER_COSTS
                + " WHERE day >= ? AND day < ?")) {
            ps.setDate(1, Date.valueOf(month.atDay(1)));
            ps.setDate(2, Date.valueOf(month.plusMonths(1).atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    /** Whether every row is within the threshold (in percent). */
    public static boolean allWithin(List<Row> rows, BigDecimal thresholdPct) {
        return rows.stream().allMatch(r -> r.within(thresholdPct));
    }

    /** Per-provider totals, in provider order. */
    public static List<ProviderSummary> byProvider(List<Row> rows) {
        Map<String, List<Row>> grouped = new LinkedHashMap<>();
        rows.stream().sorted((a, b) -> a.provider().compareTo(b.provider()))
                .forEach(r -> grouped.computeIfAbsent(r.provider(), k -> new ArrayList<>()).add(r));
        List<ProviderSummary> out = new ArrayList<>();
        grouped.forEach((provider, list) -> {
            BigDecimal ledger = list.stream().map(Row::ledgerUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal billed = list.stream().map(Row::providerUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            Map<LocalDate, BigDecimal> perDay = new LinkedHashMap<>();
            list.forEach(r -> perDay.merge(r.day(), r.driftUsd(), BigDecimal::add));
            Map.Entry<LocalDate, BigDecimal> worst = perDay.entrySet().stream()
                    .max((a, b) -> a.getValue().abs().compareTo(b.getValue().abs())).orElseThrow();
            BigDecimal drift = billed.subtract(ledger);
            out.add(new ProviderSummary(provider, ledger, billed, drift, pct(drift, billed, ledger), worst.getKey(), worst.getValue()));
        });
        return out;
    }

    static BigDecimal pct(BigDecimal drift, BigDecimal provider, BigDecimal ledger) {
        BigDecimal base = provider.signum() != 0 ? provider : ledger;
        if (base.signum() == 0) {
            return BigDecimal.ZERO.setScale(2);
        }
        return drift.multiply(HUNDRED).divide(base, 2, RoundingMode.HALF_UP);
    }

    /** An exact amount as a plain decimal string with at least 2 decimals ("12.3456", "0.00"). */
    public static String money(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < 2 ? stripped.setScale(2) : stripped).toPlainString();
    }

    /** {@code --format json}: one object per row, decimals as strings. */
    public static String json(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("day", r.day().toString());
            m.put("provider", r.provider());
            m.put("model", r.model());
            if (r.scopeId() != null) {
                m.put("scope_id", r.scopeId());
            }
            m.put("ledger_usd", money(r.ledgerUsd()));
            m.put("provider_usd", money(r.providerUsd()));
            m.put("drift_usd", money(r.driftUsd()));
            m.put("drift_pct", r.driftPct().toPlainString());
            m.put("likely_cause", r.likelyCause());
            out.add(m);
        }
        return WarehouseJson.write(out) + "\n";
    }

    /** {@code --format text}: a table, a totals line, and the verdict against the threshold. */
    public static String text(YearMonth month, List<Row> rows, BigDecimal thresholdPct) {
        StringBuilder sb = new StringBuilder();
        sb.append("Does it match the invoice? ").append(month).append(" (UTC days; drift = provider - ledger)\n");
        if (rows.isEmpty()) {
            sb.append("No provider cost report imported for ").append(month)
                    .append(": run tokenledger reconcile import --provider anthropic|openai|gemini --file F --warehouse URL\n");
            return sb.toString();
        }
        boolean byScope = rows.get(0).scopeId() != null;
        String fmt = "%-10s  %-9s  %-32s  " + (byScope ? "%-20s  " : "%s") + "%14s  %14s  %14s  %8s  %s%n";
        sb.append(String.format(fmt, "day", "provider", "model", byScope ? "workspace/project" : "", "ledger USD", "provider USD",
                "drift USD", "drift %", "likely cause"));
        for (Row r : rows) {
            sb.append(String.format(fmt, r.day(), r.provider(), r.model(), byScope ? (r.scopeId().isEmpty() ? "-" : r.scopeId()) : "",
                    money(r.ledgerUsd()), money(r.providerUsd()), money(r.driftUsd()), r.driftPct().toPlainString(),
                    r.likelyCause() == null ? "" : r.likelyCause()));
        }
        BigDecimal ledger = rows.stream().map(Row::ledgerUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal billed = rows.stream().map(Row::providerUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal drift = billed.subtract(ledger);
        sb.append(String.format(fmt, "total", "", "", "", money(ledger), money(billed), money(drift),
                pct(drift, billed, ledger).toPlainString(), ""));
        long over = rows.stream().filter(r -> !r.within(thresholdPct)).count();
        sb.append(over == 0 ? "Every drift is within " + thresholdPct.toPlainString() + " %.\n"
                : over + " of " + rows.size() + " rows drift by more than " + thresholdPct.toPlainString() + " %.\n");
        return sb.toString();
    }
}
