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

import dev.tokenledger.dashboard.DashboardServer;
import dev.tokenledger.schemas.config.BearerTokens;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger dashboard}: serves the web dashboard over a warehouse (and the live budget state
 * when given a broker) until Ctrl-C. Thin: parses the flags, starts {@link DashboardServer} and prints
 * its address.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serves the web dashboard (spend, budgets live, unit economics, workflows, unpriced usage) over the warehouse.",
                "Prints one line, dashboard=http://HOST:PORT, once it serves; Ctrl-C stops it."})
public final class DashboardCommand implements Callable<Integer> {
    @Mixin
    WarehouseOptions warehouse;

    @Option(names = "--bootstrap", paramLabel = "B",
            description = "Kafka bootstrap servers: the Budgets page follows tokenledger.budget-state.v1 live. Without it the page says so.")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "R", description = "Schema registry URL (with --bootstrap).")
    String registry;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7090", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require Authorization: Bearer TOKEN on the API (full access); or set TOKENLEDGER_DASHBOARD_TOKEN.")
    String token;

    @Option(names = "--tenant-tokens", paramLabel = "TOKEN=TENANT,...",
            description = "Tokens that read only one tenant's figures (a page of another tenant answers 403).")
    String tenantTokens;

    @Override
    public Integer call() throws InterruptedException {
        final PrintStream out = System.out;
        final Map<String, String> scoped;
        try {
            scoped = BearerTokens.parseTenantTokens(tenantTokens);
        } catch (IllegalArgumentException e) {
            System.err.println("tokenledger dashboard: --tenant-tokens: " + e.getMessage());
            return 2;
        }
        final String fullToken = token != null ? token : System.getenv("TOKENLEDGER_DASHBOARD_TOKEN");
        final DashboardServer server;
        try {
            server = DashboardServer.start(new DashboardServer.Options(host, port, warehouse.url, warehouse.user, warehouse.password(),
                    fullToken, scoped), bootstrap, registry, Map.of());
        } catch (Exception e) {
            System.err.println("tokenledger dashboard: cannot start on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tokenledger-dashboard-shutdown"));
        out.println("dashboard=" + server.url());
        out.flush();
        System.err.println("tokenledger dashboard: warehouse " + warehouse.redactedUrl()
                + (bootstrap == null ? "; no --bootstrap: the live budget panel is off" : "; live budget state from " + bootstrap)
                + "; Ctrl-C to stop");
        stopped.await();
        return 0;
    }
}
