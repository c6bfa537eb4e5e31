package dev.tokenledger.e2e;

import dev.tokenledger.aggregator.AggregatorApp;

/**
 * Runs {@link AggregatorApp} in a child JVM for {@link AggregatorKillIT} (key=value arguments, as the
 * app's own main), so the test can kill it with SIGKILL and start it again on the same state dir.
 */
public final class AggregatorChild {
    private AggregatorChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("aggregator child pid " + ProcessHandle.current().pid());
        AggregatorApp.main(args);
    }
}
