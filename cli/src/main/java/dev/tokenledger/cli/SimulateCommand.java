package dev.tokenledger.cli;

import java.time.Duration;
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

    @Override
    public Integer call() {
        System.err.println("tokenledger simulate: not wired to the producer agent yet");
        return 2;
    }
}
