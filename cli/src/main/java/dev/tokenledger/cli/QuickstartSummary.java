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

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.cli.simulator.CompanyWorkload;
import dev.tokenledger.cli.simulator.ExampleBudgets;
import dev.tokenledger.cli.simulator.SimulationRecord;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.sink.report.ReportRenderer;
import dev.tokenledger.sink.report.WarehouseReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

/** What the quickstart prints: the live line, the end-of-run report and the addresses. */
final class QuickstartSummary {
    /** The query the quickstart suggests pasting into DuckDB. */
    static final String EXAMPLE_QUERY = "SELECT feature_id, count(*) AS calls, round(sum(total_cost_usd), 4) AS cost_usd "
            + "FROM usage_log GROUP BY feature_id ORDER BY cost_usd DESC;";

    private QuickstartSummary() {
    }

    static String progress(SimulationRecord record, Quickstart q, long simStartNanos, Duration duration) {
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - simStartNanos);
        final PipelineWatcher w = q.watcher();
        return String.format("  %s/%s  events sent %,d  priced %,d  spend %s  alerts %d  denied %,d",
                QuickstartCommand.format(elapsed.compareTo(duration) > 0 ? duration : elapsed), QuickstartCommand.format(duration),
                record.eventCount(), w.costedCount(), Money.format(w.spend(), 2), w.alerts().size(), record.deniedTotal());
    }

    static String report(Quickstart q, SimulationRecord record) throws SQLException {
        final StringBuilder out = new StringBuilder();
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = q.warehouse()) {
            out.append(ReportRenderer.render(WarehouseReport.build(c, YearMonth.from(today), today),
                    ReportRenderer.Format.TEXT, q.duckdbFile().toString()));
            out.append('\n').append(runaway(c, q, record));
            out.append('\n').append(costPerActiveUserByPlan(c));
        }
        out.append('\n').append("WHAT THE SIMULATOR SENT\n")
                .append(String.format("  %,d user actions, %,d usage events (%,d retried attempts, %,d streams cut by the guard),"
                                + " %,d actions denied by the gate%n", record.actionsTotal(), record.eventCount(), record.retries(),
                        record.streamsCut(), record.deniedTotal()));
        out.append('\n').append("YOUR WAREHOUSE\n")
                .append("  DuckDB file: ").append(q.duckdbFile()).append('\n')
                .append("  Try:  duckdb ").append(q.duckdbFile()).append(" \"").append(EXAMPLE_QUERY).append("\"\n")
                .append("  Views: v_daily_feature_cost, v_cost_per_active_user, v_tenant_margin, v_cache_savings, ...\n");
        return out.toString();
    }

    private static String runaway(Connection c, Quickstart q, SimulationRecord record) throws SQLException {
        final StringBuilder out = new StringBuilder("THE RUNAWAY FEATURE: ").append(CompanyWorkload.RUNAWAY_FEATURE).append('\n')
                .append("  Shipped with a ").append(String.format("%,d", CompanyWorkload.RUNAWAY_SYSTEM_PROMPT_TOKENS))
                .append("-token system prompt and no prompt cache; daily budget ").append(Money.format(q.runawayLimit(), 2))
                .append(" (budget ").append(ExampleBudgets.RUNAWAY_BUDGET_ID).append(").\n");
        try (PreparedStatement s = c.prepareStatement("SELECT threshold_pct, spent_usd, limit_usd, status, raised_at FROM budget_alerts "
                + "WHERE feature_id = ? AND budget_id = ? ORDER BY threshold_pct")) {
            s.setString(1, CompanyWorkload.RUNAWAY_FEATURE);
            s.setString(2, ExampleBudgets.RUNAWAY_BUDGET_ID);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.append(String.format("  alert %3d %%  at %s  spent %s of %s -> %s%n", rs.getInt(1),
                            rs.getObject(5).toString(), Money.format(rs.getBigDecimal(2), 2), Money.format(rs.getBigDecimal(3), 2),
                            rs.getString(4)));
                }
            }
        }
        long denied = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM budget_decisions WHERE feature_id = ? AND decision = 'DENY'")) {
            s.setString(1, CompanyWorkload.RUNAWAY_FEATURE);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                denied = rs.getLong(1);
            }
        }
        out.append(String.format("  denied with HTTP 429: %,d of its %,d user actions (gate); %,d deny decisions in the warehouse%n",
                record.denied(CompanyWorkload.RUNAWAY_FEATURE), record.actions(CompanyWorkload.RUNAWAY_FEATURE), denied));
        final List<BudgetAlert> alerts = q.watcher().alerts().stream()
                .filter(a -> a.getBudgetId().toString().equals(ExampleBudgets.RUNAWAY_BUDGET_ID))
                .sorted(Comparator.comparing(BudgetAlert::getThresholdPct)).toList();
        if (alerts.isEmpty()) {
            out.append("  (no alert yet: run longer, e.g. --duration 3m)\n");
        }
        return out.toString();
    }

    private static String costPerActiveUserByPlan(Connection c) throws SQLException {
        final StringBuilder out = new StringBuilder("COST PER ACTIVE USER BY PLAN (all features; users counted per feature, product_active_users)\n");
        final String sql = "WITH cost AS (SELECT plan_tier, sum(total_cost_usd) AS cost FROM usage_log GROUP BY plan_tier), "
                + "users AS (SELECT plan_tier, sum(active_users) AS users FROM product_active_users GROUP BY plan_tier) "
                + "SELECT cost.plan_tier, cost.cost, users.users FROM cost JOIN users ON cost.plan_tier = users.plan_tier ORDER BY cost.cost DESC";
        out.append(String.format("  %-12s %12s %14s %16s%n", "plan", "cost", "feature-users", "cost per user"));
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                final BigDecimal cost = rs.getBigDecimal(2);
                final long users = rs.getLong(3);
                final BigDecimal perUser = users == 0 ? BigDecimal.ZERO : cost.divide(BigDecimal.valueOf(users), 12, RoundingMode.HALF_EVEN);
                out.append(String.format("  %-12s %12s %,14d %16s%n", rs.getString(1), Money.format(cost, 2), users, Money.format(perUser, 4)));
            }
        }
        return out.toString();
    }

    static String addresses(Quickstart q) {
        return "\nEverything is still running (Ctrl-C stops it):\n"
                + "  Kafka bootstrap   " + q.stack().bootstrapServers() + "\n"
                + "  Schema registry   " + q.stack().registryUrl() + "\n"
                + "  Connect REST      " + q.connect().restUrl() + "\n"
                + "  Aggregator HTTP   http://127.0.0.1:" + q.aggregator().httpPort() + "/v1/top/feature?window=DAY&n=10\n"
                + "  DuckDB warehouse  " + q.duckdbFile() + "\n"
                + (q.dashboard() == null ? "" : "  Dashboard         " + q.dashboard().url() + "  (open it in a browser)\n")
                + "  Keep simulating:  ./tokenledger simulate --bootstrap " + q.stack().bootstrapServers()
                + " --registry " + q.stack().registryUrl() + " --duration 5m\n"
                + "  The DuckDB file is locked by this process while it runs: stop it (Ctrl-C), then query it with\n"
                + "    duckdb " + q.duckdbFile() + " \"" + EXAMPLE_QUERY + "\"\n";
    }
}
