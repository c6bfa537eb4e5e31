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

import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.cli.simulator.CompanySimulator;
import dev.tokenledger.cli.simulator.CompanyWorkload;
import dev.tokenledger.cli.simulator.ExampleBudgets;
import dev.tokenledger.cli.simulator.GateAdmission;
import dev.tokenledger.cli.simulator.RecordPricer;
import dev.tokenledger.cli.simulator.SimulatedLedger;
import dev.tokenledger.cli.simulator.SimulationRecord;
import dev.tokenledger.cli.simulator.WorkloadGenerator;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.sink.Dialect;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger simulate}: plays the articles' company against any TokenLedger cluster, through
 * the producer agent and the budget gate exactly as a service would.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Plays a SaaS company with 12 AI features against a TokenLedger cluster, through the producer agent and the budget gate."})
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092.")
    String bootstrap;

    @Option(names = "--registry", required = true, description = "Schema registry URL, e.g. http://127.0.0.1:8081.")
    String registry;

    @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to run (90s, 2m, 1h; 0 = until Ctrl-C; default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "20", description = "User actions per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the workload; the same seed replays the same run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tenants", defaultValue = "60", description = "Number of tenants in the long tail (default: ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--load-prices", description = "Publish the shipped price catalog to tokenledger.prices.v1 first.")
    boolean loadPrices;

    @Option(names = "--example-budgets", description = "Write the example budgets (including the runaway feature's) first.")
    boolean exampleBudgets;

    @Option(names = "--warehouse", description = "JDBC URL of the warehouse to load product_active_users and plan_prices into at the end.")
    String warehouse;

    @Option(names = "--threads", defaultValue = "4", description = "Worker threads playing user actions (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--spool-dir", description = "The producer agent's spool directory (default: a new temporary directory).")
    Path spoolDir;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        QuickstartCommand.quietLogs(false);
        if (loadPrices) {
            out.println("simulate: published " + RunSetup.publishDefaultCatalog(bootstrap, registry) + " price entries to "
                    + Topics.PRICES_TOPIC);
        }
        if (exampleBudgets) {
            final BigDecimal limit = RunawayBudget.dailyLimit(new Quickstart.Options(duration, rate, seed, tenants, Path.of("."), threads));
            RunSetup.publishBudgets(bootstrap, registry, ExampleBudgets.forRun(limit,
                    CompanyWorkload.standard(tenants, seed).tenants().tenants().get(0).id(), Instant.now()));
            out.println("simulate: wrote the example budgets (" + CompanyWorkload.RUNAWAY_FEATURE + ": $" + limit.toPlainString() + " a day)");
        }
        final Path spool = spoolDir != null ? spoolDir : Files.createTempDirectory("tokenledger-simulate-spool");
        final SimulationRecord record = new SimulationRecord();
        try (TokenLedger ledger = SimulatedLedger.builder(spool, bootstrap, registry).build();
             BudgetGate gate = KafkaBudgetGates.builder(bootstrap, registry).gateId("simulator").connect()) {
            final CompanySimulator simulator = new CompanySimulator(
                    new WorkloadGenerator(CompanyWorkload.standard(tenants, seed), seed), ledger,
                    new GateAdmission(gate, PriceCatalog.loadDefault(), RecordPricer.withDefaultCatalog()), record);
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "tokenledger-simulate-stop"));
            final ProgressLine line = ProgressLine.forStdout();
            final long start = System.nanoTime();
            try (AutoCloseable ticker = line.every(Duration.ofMillis(500), () -> progress(record, start))) {
                simulator.run(duration, rate, threads);
            }
            line.finish(progress(record, start));
        }
        out.printf("simulate: %,d user actions, %,d usage events (%,d retried attempts, %,d streams cut), %,d actions denied by the gate%n",
                record.actionsTotal(), record.eventCount(), record.retries(), record.streamsCut(), record.deniedTotal());
        if (warehouse != null) {
            RunSetup.loadTelemetry(warehouse, record);
            out.println("simulate: loaded " + record.activeUserRows().size() + " product_active_users rows and the plan prices into "
                    + Dialect.redact(warehouse));
        }
        return 0;
    }

    private static String progress(SimulationRecord record, long startNanos) {
        return String.format("  %s  actions %,d  events sent %,d  denied %,d",
                QuickstartCommand.format(Duration.ofNanos(System.nanoTime() - startNanos)), record.actionsTotal(),
                record.eventCount(), record.deniedTotal());
    }
}
