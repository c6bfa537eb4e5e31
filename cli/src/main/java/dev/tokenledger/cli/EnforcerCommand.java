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

import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenledger enforcer}: runs the budget enforcer until interrupted. */
@Command(name = "enforcer", mixinStandardHelpOptions = true,
        description = {"Runs the budget enforcer: keeps spend and reservations per budget scope and period and publishes",
                "ALLOW/WARN/DENY state to tokenledger.budget-state.v1 (on every change and every heartbeat), alerts at",
                "each threshold to tokenledger.budget-alerts.v1, and every deny/override/expiry to tokenledger.budget-decisions.v1."})
public final class EnforcerCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: 127.0.0.1:9092).")
    String bootstrap = "127.0.0.1:9092";

    @Option(names = "--registry", description = "Schema registry URL (default: http://127.0.0.1:8081).")
    String registry = "http://127.0.0.1:8081";

    @Option(names = "--state-dir", description = "RocksDB state directory.")
    Path stateDir;

    @Option(names = "--application-id", description = "Kafka Streams application id (default: tokenledger-enforcer).")
    String applicationId;

    @Option(names = "--heartbeat-ms", description = "Heartbeat interval of the budget state (default: 1000).")
    Long heartbeatMs;

    @Option(names = "--commit-interval-ms", description = "Exactly-once commit interval; bounds the deny latency (default: 20).")
    Long commitIntervalMs;

    @Option(names = "--config", description = "Properties file with enforcer settings (see EnforcerConfig).")
    Path configFile;

    @Option(names = "--set", description = {"Any enforcer setting, key=value (repeatable), e.g. --set lease.ttl.ms=60000.",
            "Pass-through prefixes: streams.<key> (Kafka Streams), producer.<key> / consumer.<key>, registry.<key> (Avro serdes)."})
    Map<String, String> settings = new HashMap<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        final Map<String, Object> props = AppSettings.read(configFile, settings);
        props.put(EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
        if (stateDir != null) {
            props.put(EnforcerConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        if (applicationId != null) {
            props.put(EnforcerConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        if (heartbeatMs != null) {
            props.put(EnforcerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, heartbeatMs);
        }
        if (commitIntervalMs != null) {
            props.put(EnforcerConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        }
        final EnforcerConfig config;
        try {
            config = new EnforcerConfig(props);
        } catch (ConfigException e) {
            System.err.println("tokenledger enforcer: " + e.getMessage());
            return 2;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        final EnforcerApp app = EnforcerApp.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "tokenledger-enforcer-shutdown"));
        System.out.println("Budget enforcer running against " + bootstrap + " (registry " + registry + "); Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}
