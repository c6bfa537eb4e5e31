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

import dev.tokenledger.aggregator.AggregatorApp;
import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.cli.simulator.ActionGate;
import dev.tokenledger.cli.simulator.CompanySimulator;
import dev.tokenledger.cli.simulator.CompanyWorkload;
import dev.tokenledger.cli.simulator.ExampleBudgets;
import dev.tokenledger.cli.simulator.SimulatedLedger;
import dev.tokenledger.cli.simulator.SimulationRecord;
import dev.tokenledger.cli.simulator.WorkloadGenerator;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.dashboard.DashboardServer;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.cli.simulator.GateAdmission;
import dev.tokenledger.cli.simulator.RecordPricer;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.localstack.ConnectWorker;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.WarehouseSinkConfig;
import dev.tokenledger.sink.WarehouseSinkConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole TokenLedger pipeline on this machine, in this JVM: a real KRaft broker and schema
 * registry ({@link LocalStack}), every contract topic, the example budgets, the budget enforcer and
 * the aggregator (Kafka Streams, exactly-once), a Kafka Connect worker running the warehouse sink into
 * a DuckDB file, and the producer agent plus budget gate the simulated company calls through.
 * {@code tokenledger quickstart} and {@code QuickstartIT} both drive it.
 */
public final class Quickstart implements AutoCloseable {
    /** Name of the warehouse connector (usage, decisions, alerts) on the local Connect worker. */
    public static final String CONNECTOR_NAME = "tokenledger-warehouse";
    /**
     * Name of the second instance of the same connector, for the spend rollups: the aggregator
     * re-emits running totals (several per usage event), so they get their own task and never
     * delay the usage rows the report reads.
     */
    public static final String ROLLUP_CONNECTOR_NAME = "tokenledger-warehouse-rollups";
    /**
     * The topics the warehouse sink writes. A regex rather than a {@code topics} list: the
     * connector's validate() currently breaks Connect's validation of a {@code topics} list
     * (ClassCastException String -> List), see the report.
     */
    public static final String SINK_TOPICS_REGEX =
            "tokenledger\\.(usage-costed|spend|budget-decisions|budget-alerts|reconciliation-alerts|price-adjustments)\\.v1";
    /** The quickstart's main connector: every sink topic but the rollups. */
    public static final String EVENTS_TOPICS_REGEX =
            "tokenledger\\.(usage-costed|budget-decisions|budget-alerts|reconciliation-alerts|price-adjustments)\\.v1";
    /** The quickstart's rollup connector. */
    public static final String ROLLUP_TOPICS_REGEX = "tokenledger\\.spend\\.v1";
    /** Topic partitions: enough to show parallelism, few enough for a laptop with 2 cores. */
    public static final int PARTITIONS = 2;

    /** Run options. */
    public record Options(Duration duration, double rate, long seed, int tenants, Path dataDir, int threads) {
    }

    private final Options options;
    private final Path dataDir;
    private final Path duckdbFile;
    private LocalStack stack;
    private EnforcerApp enforcer;
    private AggregatorApp aggregator;
    private ConnectWorker connect;
    private TokenLedger ledger;
    private ActionGate gate = ActionGate.ALLOW_ALL;
    private AutoCloseable gateResource;
    private PipelineWatcher watcher;
    private BigDecimal runawayLimit;
    private CompanySimulator simulator;
    private DashboardServer dashboard;

    private Quickstart(Options options) {
        this.options = options;
        this.dataDir = options.dataDir().toAbsolutePath();
        this.duckdbFile = dataDir.resolve("tokenledger.duckdb");
    }

    /** Starts every component; on failure, stops what was started and rethrows. */
    public static Quickstart start(Options options, java.util.function.Consumer<String> step) {
        final Quickstart q = new Quickstart(options);
        try {
            q.startAll(step);
            return q;
        } catch (RuntimeException | Error e) {
            q.close();
            throw e;
        }
    }

    private void startAll(java.util.function.Consumer<String> step) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir, e);
        }
        step.accept("starting Kafka (KRaft) and the schema registry");
        stack = LocalStack.builder().dataDir(dataDir.resolve("kafka")).start();
        stack.createTopics(Topics.ALL, PARTITIONS);

        runawayLimit = RunawayBudget.dailyLimit(options);
        step.accept("writing example budgets (" + CompanyWorkload.RUNAWAY_FEATURE + ": $" + runawayLimit.toPlainString() + " a day)");
        RunSetup.publishBudgets(stack.bootstrapServers(), stack.registryUrl(),
                ExampleBudgets.forRun(runawayLimit, largestTenant(), Instant.now()));
        step.accept("loading the shipped price catalog (" + RunSetup.publishDefaultCatalog(stack.bootstrapServers(),
                stack.registryUrl()) + " entries) to " + Topics.PRICES_TOPIC);

        step.accept("starting the budget enforcer");
        final Map<String, Object> enforcerProps = new HashMap<>();
        enforcerProps.put(EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        enforcerProps.put(EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        enforcerProps.put(EnforcerConfig.STATE_DIR_CONFIG, dataDir.resolve("state").toString());
        enforcerProps.put(EnforcerConfig.SCOPE_PARTITIONS_CONFIG, PARTITIONS);
        enforcer = EnforcerApp.start(new EnforcerConfig(enforcerProps));

        step.accept("starting the aggregator");
        final Map<String, Object> aggregatorProps = new HashMap<>();
        aggregatorProps.put(AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        aggregatorProps.put(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        aggregatorProps.put(AggregatorConfig.STATE_DIR_CONFIG, dataDir.resolve("state").toString());
        aggregatorProps.put(AggregatorConfig.HTTP_PORT_CONFIG, 0);
        aggregatorProps.put(AggregatorConfig.DEFAULT_CATALOG_CONFIG, true);
        aggregator = AggregatorApp.start(new AggregatorConfig(aggregatorProps));

        step.accept("starting Kafka Connect with the DuckDB warehouse sink (" + duckdbFile + ")");
        connect = ConnectWorker.start(stack.bootstrapServers(), dataDir.resolve("connect.offsets"), Map.of(
                "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "offset.flush.interval.ms", "1000",
                // sink tasks read only what the exactly-once Streams apps committed
                "consumer.isolation.level", "read_committed"));
        connect.addConnector(CONNECTOR_NAME, connectorConfig(EVENTS_TOPICS_REGEX), Duration.ofMinutes(2));
        // the rollups get their own connector (own offsets, own batch sizes); views are the events connector's job
        final Map<String, String> rollups = connectorConfig(ROLLUP_TOPICS_REGEX);
        rollups.put(WarehouseSinkConfig.CREATE_VIEWS_CONFIG, "false");
        connect.addConnector(ROLLUP_CONNECTOR_NAME, rollups, Duration.ofMinutes(2));

        watcher = new PipelineWatcher(stack.bootstrapServers(), stack.registryUrl());
        ledger = SimulatedLedger.builder(dataDir.resolve("agent-spool"), stack.bootstrapServers(), stack.registryUrl()).build();

        step.accept("connecting the budget gate");
        final BudgetGate budgetGate = KafkaBudgetGates.builder(stack.bootstrapServers(), stack.registryUrl())
                .gateId("quickstart").connect();
        useGate(new GateAdmission(budgetGate, PriceCatalog.loadDefault(), RecordPricer.withDefaultCatalog()), budgetGate);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (budgetGate.state(ExampleBudgets.RUNAWAY_BUDGET_ID) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The budget gate saw no state for " + ExampleBudgets.RUNAWAY_BUDGET_ID
                        + " within 120 s: is the enforcer running? (data in " + dataDir + ")");
            }
            sleep(200);
        }
    }

    /** The warehouse sink's settings for the DuckDB file (every key a WarehouseSinkConfig or Connect key). */
    public Map<String, String> connectorConfig(String topicsRegex) {
        final Map<String, String> c = new HashMap<>();
        c.put("connector.class", WarehouseSinkConnector.class.getName());
        c.put("tasks.max", "1");
        c.put("topics.regex", topicsRegex);
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put(WarehouseSinkConfig.CONNECTION_URL_CONFIG, jdbcUrl());
        c.put("schema.registry.url", stack.registryUrl());
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", Topics.SINK_DLQ_TOPIC);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    private String largestTenant() {
        return CompanyWorkload.standard(options.tenants(), options.seed()).tenants().tenants().get(0).id();
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Uses {@code gate} for admission (and closes {@code resource} on close). */
    void useGate(ActionGate actionGate, AutoCloseable resource) {
        this.gate = actionGate;
        this.gateResource = resource;
    }

    /** Plays the company for the configured duration; {@code progress} is called about once a second. */
    public SimulationRecord simulate(java.util.function.Consumer<SimulationRecord> progress) throws InterruptedException {
        final SimulationRecord record = new SimulationRecord();
        simulator = new CompanySimulator(
                new WorkloadGenerator(CompanyWorkload.standard(options.tenants(), options.seed()), options.seed()),
                ledger, gate, record);
        final Thread ticker = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                progress.accept(record);
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tokenledger-quickstart-progress");
        ticker.setDaemon(true);
        ticker.start();
        try {
            simulator.run(options.duration(), options.rate(), options.threads());
        } finally {
            ticker.interrupt();
            ticker.join(2_000);
        }
        return record;
    }

    /**
     * After the run: the runaway feature's scheduled job keeps firing (about one action a second) until
     * the gate denies it or {@code timeout} passes; on a busy machine the pipeline may still be pricing
     * the run's last calls when the run ends. Returns true once a denial happened.
     */
    public boolean runawayUntilDenied(SimulationRecord record, Duration timeout) throws InterruptedException {
        if (record.denied(CompanyWorkload.RUNAWAY_FEATURE) > 0) {
            return true;
        }
        return simulator.runFeatureUntil(CompanyWorkload.RUNAWAY_FEATURE,
                () -> record.denied(CompanyWorkload.RUNAWAY_FEATURE) > 0, timeout, 1.0);
    }

    /**
     * Waits until the warehouse holds a row for every usage event the simulator sent (and the
     * rollups and budget events caught up); returns the row count. Throws if it does not within
     * {@code timeout}.
     */
    public long awaitWarehouse(SimulationRecord record, Duration timeout) throws InterruptedException, SQLException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long rows = countRows("usage_log");
        while (rows < record.eventCount()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The warehouse has " + rows + " usage rows after " + timeout
                        + " but the simulator sent " + record.eventCount() + " events; see " + dataDir);
            }
            TimeUnit.MILLISECONDS.sleep(500);
            rows = countRows("usage_log");
        }
        // the enforcer has counted the runaway feature's whole spend (so every alert it will raise is out) ...
        final BigDecimal runawaySpend = runawaySpendInWarehouse();
        while (!enforcerCaughtUp(runawaySpend)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The enforcer's state for " + ExampleBudgets.RUNAWAY_BUDGET_ID
                        + " did not reach the warehouse's spend " + runawaySpend + " within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        // ... and the sink has written every alert and decision the watcher saw
        while (countRows("budget_alerts") < watcher.alerts().size() || countRows("budget_decisions") < watcher.decisions().size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The warehouse is missing budget alerts or decisions after " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return rows;
    }

    private boolean enforcerCaughtUp(BigDecimal runawaySpend) {
        final dev.tokenledger.avro.BudgetState state = watcher.state(ExampleBudgets.RUNAWAY_BUDGET_ID);
        return state != null && state.getSpentUsd().compareTo(runawaySpend) >= 0;
    }

    /** What the warehouse says the runaway feature spent. */
    public BigDecimal runawaySpendInWarehouse() throws SQLException {
        try (Connection c = warehouse(); java.sql.PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(sum(total_cost_usd), 0) FROM usage_log WHERE feature_id = ?")) {
            s.setString(1, CompanyWorkload.RUNAWAY_FEATURE);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    private long countRows(String table) throws SQLException {
        try (Connection c = warehouse(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                return 0;
            }
            throw e;
        }
    }

    /** Loads the simulator's product_active_users rows and the plan prices into the warehouse. */
    public void loadTelemetry(SimulationRecord record) throws SQLException, IOException {
        RunSetup.loadTelemetry(jdbcUrl(), record);
    }

    /**
     * Starts the dashboard over this run's warehouse (in this process, which holds the DuckDB file) with the
     * live budget state; {@code port} 0 picks a free one. Stopped by {@link #close()}.
     */
    public DashboardServer startDashboard(int port, String token, Map<String, String> tenantTokens) throws IOException {
        dashboard = DashboardServer.start(new DashboardServer.Options("127.0.0.1", port, jdbcUrl(), null, null, token, tenantTokens),
                stack.bootstrapServers(), stack.registryUrl(), Map.of());
        return dashboard;
    }

    /** The dashboard started by {@link #startDashboard}, or null. */
    public DashboardServer dashboard() {
        return dashboard;
    }

    /** A connection to the DuckDB warehouse (shares the sink's in-process database instance). */
    public Connection warehouse() throws SQLException {
        return Warehouse.connect(jdbcUrl(), null, null);
    }

    public String jdbcUrl() {
        return "jdbc:duckdb:" + duckdbFile;
    }

    public Path duckdbFile() {
        return duckdbFile;
    }

    public Path dataDir() {
        return dataDir;
    }

    public LocalStack stack() {
        return stack;
    }

    public ConnectWorker connect() {
        return connect;
    }

    public AggregatorApp aggregator() {
        return aggregator;
    }

    public PipelineWatcher watcher() {
        return watcher;
    }

    public TokenLedger ledger() {
        return ledger;
    }

    /** The runaway feature's daily limit written to its budget. */
    public BigDecimal runawayLimit() {
        return runawayLimit;
    }

    /** Stops everything, newest first; never throws. */
    @Override
    public void close() {
        closeQuietly(dashboard);
        closeQuietly(ledger);
        closeQuietly(gateResource);
        closeQuietly(watcher);
        closeQuietly(connect);
        closeQuietly(aggregator);
        closeQuietly(enforcer);
        closeQuietly(stack);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("tokenledger quickstart: error while stopping " + c.getClass().getSimpleName() + ": " + e);
        }
    }
}
