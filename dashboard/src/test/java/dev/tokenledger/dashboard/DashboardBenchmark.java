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

import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.TestWarehouse;
import dev.tokenledger.sink.Warehouse;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * How fast the dashboard answers over a large warehouse: N usage rows (default 1,000,000) generated
 * with SQL into DuckDB and PostgreSQL (tables, indexes and views created by the connector's
 * auto.create path, {@link Warehouse#init}), then per dialect: p50 / p99 of every API query over
 * HTTP against the same SQL run straight on JDBC (the same-run baseline), the time to the first
 * chart on the overview in Chromium (when node and /usr/bin/chromium are present), and the delay of
 * a budget state change through the server-sent event stream. Prints the figures; asserts nothing.
 *
 * <p>Arguments: rows (1000000), one dialect (DUCKDB or POSTGRESQL; default both), rounds per query (30).
 * <pre>cd dashboard &amp;&amp; mvn -B -q dependency:build-classpath -Dmdep.outputFile=/tmp/dash.cp -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/dash.cp):target/classes:target/test-classes" dev.tokenledger.dashboard.DashboardBenchmark 1000000</pre>
 */
public final class DashboardBenchmark {
    private static int rounds = 30;
    private static final List<String> OVERVIEW = List.of("summary", "daily_feature", "top_features", "top_tenants", "top_models");
    private static final String AT = "2026-12-05T12:00:00Z";
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        final long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        final List<Dialect> dialects = args.length > 1 ? List.of(Dialect.valueOf(args[1])) : List.of(Dialect.values());
        rounds = args.length > 2 ? Integer.parseInt(args[2]) : rounds;
        for (Dialect dialect : dialects) {
            try (TestWarehouse w = TestWarehouse.create(dialect)) {
                final long t0 = System.nanoTime();
                fill(w, rows);
                System.out.printf("%n== %s: %,d usage rows generated in %.1f s%n", dialect, rows, (System.nanoTime() - t0) / 1e9);
                final LiveBudgets live = LiveBudgets.unavailable("benchmark: states are fed directly");
                try (DashboardServer server = DashboardServer.start(new DashboardServer.Options("127.0.0.1", 0, w.url(), w.user(), "",
                        null, Map.of()), live)) {
                    apiLatencies(w, server);
                    firstChart(server);
                    liveUpdates();
                }
            }
        }
    }

    /**
     * Rows 2.5 s apart over the 29 days before {@link #AT}, so every row is inside the overview's default 30-day range (the
     * worst case for it): 12 features, 200 tenants, 3 plans, 6 models, workflows of 3 calls.
     */
    static void fill(TestWarehouse w, long rows) throws Exception {
        final Dialect d = w.dialect();
        try (Connection c = w.connect(); Statement s = c.createStatement()) {
            Warehouse.init(c, d, true);
            final String series = d == Dialect.DUCKDB ? "range(" + rows + ") t(i)" : "generate_series(0, " + (rows - 1) + ") AS t(i)";
            final String id = "CAST(i AS VARCHAR)";
            s.execute("INSERT INTO usage_log (event_id, timestamp, kind, feature_id, tenant_id, user_id, plan_tier, request_id, "
                    + "root_request_id, parent_request_id, attempt, environment, provider, model, input_tokens, output_tokens, "
                    + "reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_cost_usd, cache_savings_usd, "
                    + "pricing_status)\nSELECT 'b' || " + id + ", TIMESTAMPTZ '" + AT.replace('T', ' ').replace("Z", "+00")
                    + "' - CAST(CAST(CAST(i AS BIGINT) * 2500 AS VARCHAR) || ' milliseconds' AS INTERVAL), 'COMPLETED', 'feature_' || CAST(i % 12 AS VARCHAR), "
                    + "'tenant_' || CAST(i % 200 AS VARCHAR), 'u' || CAST(i % 5000 AS VARCHAR), "
                    + "CASE i % 3 WHEN 0 THEN 'free' WHEN 1 THEN 'pro' ELSE 'enterprise' END, 'b' || " + id + ", "
                    + "'root' || CAST(i - i % 3 AS VARCHAR), CASE WHEN i % 3 = 0 THEN NULL ELSE 'b' || CAST(i - i % 3 AS VARCHAR) END, 1, "
                    + "CASE WHEN i % 10 = 0 THEN 'staging' ELSE 'production' END, 'anthropic', 'model_' || CAST(i % 6 AS VARCHAR), "
                    + "1000 + i % 500, 100 + i % 50, 0, 0, 0, i % 700, CAST((i % 997) * 0.000123 AS DECIMAL(38,12)), "
                    + "CAST((i % 7) * 0.00001 AS DECIMAL(38,12)), CASE WHEN i % 5000 = 0 THEN 'UNPRICED' ELSE 'PRICED' END\nFROM " + series);
            s.execute("INSERT INTO plan_prices (plan_tier, monthly_price_usd) VALUES ('free', 0), ('pro', 19), ('enterprise', 99)");
            final String grid = d == Dialect.DUCKDB ? "range(12) f(x), range(200) t(y)"
                    : "generate_series(0, 11) AS f(x), generate_series(0, 199) AS t(y)";
            s.execute("INSERT INTO product_active_users (month, feature_id, tenant_id, plan_tier, active_users) SELECT DATE '2026-12-01', "
                    + "'feature_' || CAST(x AS VARCHAR), 'tenant_' || CAST(y AS VARCHAR), 'pro', 10 + (x * 7 + y) % 40 FROM " + grid);
            // usage_daily, as the connector's auto.create fills it on a warehouse whose usage_log predates it (one INSERT ... SELECT)
            final long r0 = System.nanoTime();
            Warehouse.init(c, d, true);
            System.out.printf("%s: usage_daily rebuilt from usage_log (Warehouse.init) in %.1f s%n", d, (System.nanoTime() - r0) / 1e9);
            if (d == Dialect.POSTGRESQL) {
                s.execute("ANALYZE");
            }
        }
    }

    private static void apiLatencies(TestWarehouse w, DashboardServer server) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final Histogram all = new Histogram(3);
        final Histogram allBaseline = new Histogram(3);
        final Histogram overview = new Histogram(3); // the queries the overview page waits for before its first chart and tiles
        final Histogram overviewBaseline = new Histogram(3);
        final DashboardFilters filters = DashboardFilters.parse(Map.of("at", AT, "root", "root300"), Instant.parse(AT));
        System.out.println("query                 API p50 ms  API p99 ms  JDBC p50 ms  JDBC p99 ms  (30 days to " + AT + ", " + rounds + " rounds)");
        for (DashboardQueries.Query q : DashboardQueries.ALL.values()) {
            final Histogram api = new Histogram(3);
            final Histogram jdbc = new Histogram(3);
            final URI uri = URI.create(server.url() + "/api/v1/query/" + q.name() + "?at=" + AT + "&root=root300");
            try (Connection c = w.connect()) {
                for (int i = 0; i < rounds + 3; i++) {
                    long t = System.nanoTime();
                    DashboardQueries.run(c, w.dialect(), q, filters);
                    final long sql = System.nanoTime() - t;
                    t = System.nanoTime();
                    final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                    final long viaApi = System.nanoTime() - t;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(q.name() + ": HTTP " + r.statusCode() + " " + r.body());
                    }
                    if (i >= 3) { // the first rounds warm the JIT, the caches and the connection pool
                        jdbc.recordValue(sql / 1000);
                        api.recordValue(viaApi / 1000);
                    }
                }
            }
            all.add(api);
            allBaseline.add(jdbc);
            if (OVERVIEW.contains(q.name())) {
                overview.add(api);
                overviewBaseline.add(jdbc);
            }
            System.out.printf("%-20s %11.1f %11.1f %12.1f %12.1f%n", q.name(), ms(api, 50), ms(api, 99), ms(jdbc, 50), ms(jdbc, 99));
        }
        System.out.printf("ALL QUERIES          %11.1f %11.1f %12.1f %12.1f   API p99 / JDBC p99 = %.2f; goal API p99 <= 200 ms: %s%n",
                ms(all, 50), ms(all, 99), ms(allBaseline, 50), ms(allBaseline, 99), ms(all, 99) / ms(allBaseline, 99),
                ms(all, 99) <= 200 ? "met" : "NOT met");
        System.out.printf("OVERVIEW QUERIES     %11.1f %11.1f %12.1f %12.1f   (%s); goal API p99 <= 200 ms: %s%n", ms(overview, 50),
                ms(overview, 99), ms(overviewBaseline, 50), ms(overviewBaseline, 99), String.join(", ", OVERVIEW),
                ms(overview, 99) <= 200 ? "met" : "NOT met");
    }

    private static double ms(Histogram h, double pct) {
        return h.getValueAtPercentile(pct) / 1000.0;
    }

    private static void firstChart(DashboardServer server) throws Exception {
        if (!Path.of("/usr/bin/chromium").toFile().canExecute() || !NODE_DIR.resolve("node_modules").toFile().isDirectory()) {
            System.out.println("time to first chart: skipped (needs /usr/bin/chromium and npm install in " + NODE_DIR + ")");
            return;
        }
        final Process p = new ProcessBuilder("node", "dashboard-check.js", "firstchart", server.url(), "-", "6")
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        final List<Long> times = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("FIRSTCHART ")) {
                    times.add(Long.parseLong(line.substring(11).trim()));
                } else {
                    System.out.println("  browser: " + line);
                }
            }
        }
        p.waitFor(120, TimeUnit.SECONDS);
        if (times.isEmpty()) {
            System.out.println("time to first chart: no figure (see the browser's output above)");
            return;
        }
        final long cold = times.get(0);
        final long warmMax = times.stream().skip(1).mapToLong(Long::longValue).max().orElse(cold);
        System.out.printf("time to first chart (overview, Chromium): cold cache %d ms, warm %s ms (max %d); goal <= 1000 ms: %s%n",
                cold, times.subList(1, times.size()), warmMax, Math.max(cold, warmMax) <= 1000 ? "met" : "NOT met");
    }

    /** A state change handed to the live feed, to its arrival on an open event stream (the dashboard's share of the live path). */
    private static void liveUpdates() throws Exception {
        final LiveBudgets live = LiveBudgets.fedByCaller();
        try (DashboardServer sse = DashboardServer.start(new DashboardServer.Options("127.0.0.1", 0, "jdbc:duckdb:", null, null, null,
                Map.of()), live)) {
            final HttpClient http = HttpClient.newHttpClient();
            final HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(sse.url() + "/api/v1/budgets/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            final BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(1000);
            final Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("event: state")) {
                            arrivals.add(System.nanoTime());
                        }
                    }
                } catch (java.io.IOException e) {
                    // the stream ends when the server closes
                }
            });
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(500); // let the snapshot go by before the first change is timed
            final Histogram h = new Histogram(3);
            for (int i = 1; i <= 200; i++) {
                final long t = System.nanoTime();
                live.accept("feature:bench", state(i));
                final Long arrived = arrivals.poll(5, TimeUnit.SECONDS);
                if (arrived == null) {
                    throw new IllegalStateException("state change " + i + " never reached the event stream");
                }
                h.recordValue((arrived - t) / 1000);
            }
            System.out.printf("live update, state change -> event stream (200 changes): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    ms(h, 50), ms(h, 99), h.getMaxValue() / 1000.0);
        }
    }

    private static BudgetState state(long version) {
        final Instant now = Instant.now();
        return BudgetState.newBuilder().setScopeKey("feature:bench").setBudgetId("feature:bench").setScope(BudgetScope.FEATURE)
                .setFeatureId("bench").setTenantId(null).setStatus(version % 2 == 0 ? BudgetStatus.DENY : BudgetStatus.ALLOW)
                .setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.OPEN).setLimitUsd(new BigDecimal("1.000000000000"))
                .setSpentUsd(new BigDecimal("0.500000000000")).setReservedUsd(new BigDecimal("0.000000000000"))
                .setRemainingUsd(new BigDecimal("0.500000000000")).setPeriodStart(now.minusSeconds(3600)).setPeriodEnd(now.plusSeconds(3600))
                .setReasonCode("WITHIN_BUDGET").setVersion(version).setUpdatedAt(now).setHeartbeatAt(now).setLeasedUsd(null)
                .setSafeAllowanceUsd(null).setInputLagMs(null).build();
    }
}
