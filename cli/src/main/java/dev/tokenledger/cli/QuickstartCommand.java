package dev.tokenledger.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger quickstart}: the whole pipeline on this machine, one command.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Starts a local broker, registry, Connect worker (DuckDB sink), aggregator and enforcer,",
                "runs the simulated company through them and prints the report."})
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long the simulated company runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "20", description = "User actions per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", description = "Where the broker data and the DuckDB warehouse go (default: a new directory under ./data/quickstart-*).")
    Path dataDir;

    @Option(names = "--keep-running", description = "Leave everything running at the end and print the addresses and example queries.")
    boolean keepRunning;

    @Option(names = "--verbose", description = "Show Kafka, Streams and Connect logs (quiet by default).")
    boolean verbose;

    @Override
    public Integer call() {
        System.err.println("tokenledger quickstart: not wired yet");
        return 2;
    }
}
