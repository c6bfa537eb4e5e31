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

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.cli.simulator.CompanyWorkload;
import dev.tokenledger.cli.simulator.ExampleBudgets;
import dev.tokenledger.cli.simulator.RecordPricer;
import dev.tokenledger.cli.simulator.SentEvent;
import dev.tokenledger.cli.simulator.SimulationRecord;
import dev.tokenledger.cli.simulator.TokenUsage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart path on the real stack (KRaft broker, registry, enforcer, aggregator, Connect worker
 * with the DuckDB sink, producer agent and budget gate), for a short run. Checks the outcome a user
 * sees against the simulator's own record of what it sent: every event in the warehouse exactly once,
 * tokens per class to the token, cost to the pico-dollar against an independent pricing of the record,
 * and the runaway feature alerted once per threshold and denied.
 */
class QuickstartIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 7, unit = TimeUnit.MINUTES)
    void theRunawayFeatureIsAlertedAndDeniedAndTheWarehouseEqualsWhatWasSent() throws Exception {
        QuickstartCommand.quietLogs(false);
        final Quickstart.Options options = new Quickstart.Options(Duration.ofSeconds(30), 12, 42, 60, dir, 3);
        try (Quickstart q = Quickstart.start(options, step -> { })) {
            final SimulationRecord record = q.simulate(r -> { });
            q.awaitWarehouse(record, Duration.ofMinutes(3));
            assertThat(q.runawayUntilDenied(record, Duration.ofSeconds(90))).as("the runaway feature is denied").isTrue();
            q.awaitWarehouse(record, Duration.ofMinutes(2));
            q.loadTelemetry(record);

            try (Connection c = q.warehouse()) {
                warehouseEqualsTheRecord(c, record);
                runawayWasAlertedOncePerThresholdAndDenied(c, q, record);
                assertThat(longValue(c, "SELECT count(*) FROM product_active_users")).isEqualTo(record.activeUserRows().size());
            }
        }
    }

    private static void warehouseEqualsTheRecord(Connection c, SimulationRecord record) throws SQLException {
        final List<SentEvent> sent = record.events();
        assertThat(longValue(c, "SELECT count(*) FROM usage_log")).isEqualTo(sent.size());
        assertThat(longValue(c, "SELECT count(DISTINCT event_id) FROM usage_log")).as("no row duplicated").isEqualTo(sent.size());
        assertThat(longValue(c, "SELECT count(DISTINCT request_id) FROM usage_log")).isEqualTo(sent.size());

        final Map<String, Row> rows = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT request_id, feature_id, kind, input_tokens, "
                + "output_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_cost_usd "
                + "FROM usage_log")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Row(rs.getString(2), rs.getString(3), new TokenUsage(rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)), rs.getBigDecimal(10)));
            }
        }
        final RecordPricer pricer = RecordPricer.withDefaultCatalog();
        final Map<String, BigDecimal> expectedCost = new TreeMap<>();
        final Map<String, BigDecimal> warehouseCost = new TreeMap<>();
        for (SentEvent e : sent) {
            final Row row = rows.get(e.eventId());
            assertThat(row).as("warehouse row for request " + e.eventId()).isNotNull();
            assertThat(row.feature()).isEqualTo(e.featureId());
            assertThat(row.kind()).isEqualTo(e.kind());
            assertThat(row.usage()).as("tokens per class of " + e.eventId()).isEqualTo(e.usage());
            final BigDecimal cost = pricer.cost(e);
            assertThat(row.cost()).as("cost of " + e.eventId()).isEqualByComparingTo(cost);
            expectedCost.merge(e.featureId(), cost, BigDecimal::add);
            warehouseCost.merge(e.featureId(), row.cost(), BigDecimal::add);
        }
        assertThat(warehouseCost.keySet()).isEqualTo(expectedCost.keySet());
        expectedCost.forEach((f, cost) -> assertThat(warehouseCost.get(f)).as("cost of " + f).isEqualByComparingTo(cost));
        final Map<String, TokenUsage> warehouseTokens = rows.values().stream()
                .collect(Collectors.toMap(Row::feature, Row::usage, TokenUsage::plus, TreeMap::new));
        assertThat(warehouseTokens).isEqualTo(record.usageByFeature());
        assertThat(warehouseTokens).hasSize(12);
    }

    private static void runawayWasAlertedOncePerThresholdAndDenied(Connection c, Quickstart q, SimulationRecord record)
            throws SQLException {
        final RecordPricer pricer = RecordPricer.withDefaultCatalog();
        final BigDecimal runawaySpend = record.events().stream()
                .filter(e -> e.featureId().equals(CompanyWorkload.RUNAWAY_FEATURE))
                .map(pricer::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        final BigDecimal limit = q.runawayLimit();
        assertThat(runawaySpend).as("the runaway feature spent past 80 % of its budget").isGreaterThanOrEqualTo(limit.multiply(new BigDecimal("0.8")));

        // on the topic: each threshold crossed exactly once (the enforcer never re-fires an alert)
        final Map<Integer, Long> onTopic = q.watcher().alerts().stream()
                .filter(a -> a.getBudgetId().toString().equals(ExampleBudgets.RUNAWAY_BUDGET_ID))
                .collect(Collectors.groupingBy(BudgetAlert::getThresholdPct, TreeMap::new, Collectors.counting()));
        final Map<Integer, Long> expected = new TreeMap<>(Map.of(50, 1L, 80, 1L));
        if (runawaySpend.compareTo(limit) >= 0) {
            expected.put(100, 1L);
        }
        assertThat(onTopic).as("alerts of the runaway budget (spent %s of %s)", runawaySpend, limit).isEqualTo(expected);
        // in the warehouse too
        assertThat(longValue(c, "SELECT count(*) FROM budget_alerts WHERE budget_id = '" + ExampleBudgets.RUNAWAY_BUDGET_ID + "'"))
                .isEqualTo(expected.size());

        assertThat(record.denied(CompanyWorkload.RUNAWAY_FEATURE)).isPositive();
        assertThat(record.firstDenyBody()).contains("\"error\":\"budget_exceeded\"")
                .contains("\"feature_id\":\"" + CompanyWorkload.RUNAWAY_FEATURE + "\"");
        assertThat(longValue(c, "SELECT count(*) FROM budget_decisions WHERE feature_id = '" + CompanyWorkload.RUNAWAY_FEATURE
                + "' AND decision = 'DENY'")).isPositive();
        // no other feature was denied: their budgets are far from their limits
        assertThat(record.deniedTotal()).isEqualTo(record.denied(CompanyWorkload.RUNAWAY_FEATURE));
    }

    private record Row(String feature, String kind, TokenUsage usage, BigDecimal cost) {
    }

    private static long longValue(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
