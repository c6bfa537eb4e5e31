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

import dev.tokenledger.cli.simulator.CompanyWorkload;
import dev.tokenledger.cli.simulator.SimulationRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger quickstart}: the whole pipeline on this machine in one command. Starts a real
 * broker and registry, the enforcer, the aggregator and a Connect worker with the DuckDB sink, writes
 * example budgets, plays the articles' company through the producer agent and the budget gate with a
 * live progress line, waits for the warehouse to hold every event sent, and prints the report.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Starts a local broker, registry, Connect worker (DuckDB sink), aggregator and enforcer,",
                "runs the simulated company through them and prints the report."})
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long the simulated company runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "15", description = "User actions per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed; the same seed replays the same company (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tenants", defaultValue = "60", description = "Tenants in the long tail (default: ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--data-dir", description = "Where the broker data and the DuckDB warehouse go (default: a new directory ./data/quickstart-<time>).")
    Path dataDir;

    @Option(names = "--keep-running", description = "Leave everything running at the end and print the addresses and example queries; Ctrl-C stops.")
    boolean keepRunning;

    @Option(names = "--dashboard-port", defaultValue = "7090",
            description = "With --keep-running: port of the dashboard on 127.0.0.1; a free one when it is taken (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--verbose", description = "Show Kafka, Streams and Connect logs (quiet by default).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        quietLogs(verbose);
        final Path dir = dataDir != null ? dataDir
                : Path.of("data", "quickstart-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        final long started = System.nanoTime();
        out.println("TokenLedger quickstart: " + format(duration) + " of a SaaS company with 12 AI features, "
                + (long) rate + " user actions/s, seed " + seed);
        final Quickstart.Options options = new Quickstart.Options(duration, rate, seed, tenants, dir, 4);
        final Quickstart quickstart = Quickstart.start(options, step -> out.println("  - " + step));
        boolean closeAtEnd = true;
        try {
            out.println("  - ready in " + seconds(started) + "; simulating (the runaway feature will hit its budget)");
            final ProgressLine line = ProgressLine.forStdout();
            final long simStart = System.nanoTime();
            final SimulationRecord record = quickstart.simulate(r -> line.update(QuickstartSummary.progress(r, quickstart, simStart, duration)));
            line.finish(QuickstartSummary.progress(record, quickstart, simStart, duration));
            out.println("  - waiting for the pipeline to price, count and store all " + record.eventCount() + " usage events");
            long rows = quickstart.awaitWarehouse(record, Duration.ofMinutes(5));
            if (record.denied(CompanyWorkload.RUNAWAY_FEATURE) == 0) {
                // on a busy machine the enforcer may have counted the runaway's spend only after the run
                out.println("  - the runaway job keeps firing until its budget stops it...");
                final boolean denied = quickstart.runawayUntilDenied(record, Duration.ofMinutes(2));
                out.println(denied ? "  - denied: the gate answered HTTP 429" : "  - still not denied after 2 minutes");
                rows = quickstart.awaitWarehouse(record, Duration.ofMinutes(2));
            }
            quickstart.loadTelemetry(record);
            out.println("  - warehouse caught up: " + rows + " usage rows (" + seconds(started) + " since start)");
            out.println();
            out.println(QuickstartSummary.report(quickstart, record));
            out.println("Finished in " + seconds(started) + ".");
            if (keepRunning) {
                startDashboard(quickstart);
                out.println(QuickstartSummary.addresses(quickstart));
                out.println("dashboard=" + quickstart.dashboard().url());
                out.flush();
                closeAtEnd = false;
                final CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    quickstart.close();
                    stopped.countDown();
                }, "tokenledger-quickstart-shutdown"));
                stopped.await();
            }
            return 0;
        } finally {
            if (closeAtEnd) {
                quickstart.close();
            }
        }
    }

    private void startDashboard(Quickstart quickstart) throws java.io.IOException {
        try {
            quickstart.startDashboard(dashboardPort, null, Map.of());
        } catch (java.io.IOException e) {
            // the port is taken (another dashboard, another run): any free port beats no dashboard
            quickstart.startDashboard(0, null, Map.of());
        }
    }

    /** Kafka, Streams, Connect and the agent's own INFO lines stay out of the way unless --verbose. */
    static void quietLogs(boolean verbose) {
        Configurator.setRootLevel(verbose ? Level.INFO : Level.ERROR);
        Configurator.setLevel("dev.tokenledger", verbose ? Level.INFO : Level.WARN);
        // setAllLevels: also the loggers log4j2.xml configures below these (e.g. org.apache.kafka.controller)
        Configurator.setAllLevels("org.apache.kafka", verbose ? Level.INFO : Level.OFF);
        Configurator.setAllLevels("kafka", verbose ? Level.INFO : Level.OFF);
        Configurator.setAllLevels("state.change.logger", verbose ? Level.INFO : Level.OFF);
    }

    private static String seconds(long startNanos) {
        return format(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    static String format(Duration d) {
        final long s = d.toSeconds();
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
