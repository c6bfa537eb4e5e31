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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger aggregator}: runs the streams aggregator (dedup, pricing, spend windows,
 * output-token stats, interactive queries over HTTP) until interrupted.
 */
@Command(name = "aggregator", mixinStandardHelpOptions = true,
        description = {"Runs the streams aggregator: dedups and prices usage, publishes running spend per feature,",
                "tenant, model, plan and window to tokenledger.spend.v1, and answers HTTP queries",
                "(GET /v1/spend/feature/{id}?window=DAY, /v1/top/feature?n=10; with --set spend.tail.dimensions=true",
                "also workflows and users: /v1/workflows/{root_request_id}, /v1/top/tenant_user?tenant=T)."})
public final class AggregatorCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: 127.0.0.1:9092).")
    String bootstrap;

    @Option(names = "--registry", description = "Schema registry URL (default: http://127.0.0.1:8081).")
    String registry;

    @Option(names = "--http-port", description = "Interactive-query HTTP port; 0 = any free port, -1 = off (default: 7081).")
    Integer httpPort;

    @Option(names = "--state-dir", description = "RocksDB state directory.")
    Path stateDir;

    @Option(names = "--application-id", description = "Kafka Streams application id (default: tokenledger-aggregator).")
    String applicationId;

    @Option(names = "--zone", description = "Time zone of DAY / MONTH windows (default: UTC).")
    String zone;

    @Option(names = "--grace", converter = DurationConverter.class,
            description = "How late an event may arrive and still count (default: 72h).")
    Duration grace;

    @Option(names = "--config", description = "Properties file with aggregator settings (see AggregatorConfig).")
    Path configFile;

    @Option(names = "--set", description = {"Any aggregator setting, key=value (repeatable), e.g. --set dedup.horizon.ms=86400000.",
            "Pass-through prefixes: streams.<key> (Kafka Streams), producer.<key> / consumer.<key>, registry.<key> (Avro serdes)."})
    Map<String, String> settings = new HashMap<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Map<String, Object> props = AppSettings.read(configFile, settings);
        putIfSet(props, AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        putIfSet(props, AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
        putIfSet(props, AggregatorConfig.HTTP_PORT_CONFIG, httpPort);
        putIfSet(props, AggregatorConfig.STATE_DIR_CONFIG, stateDir == null ? null : stateDir.toString());
        putIfSet(props, AggregatorConfig.APPLICATION_ID_CONFIG, applicationId);
        putIfSet(props, AggregatorConfig.TIME_ZONE_CONFIG, zone);
        putIfSet(props, AggregatorConfig.GRACE_CONFIG, grace == null ? null : grace.toMillis());
        AggregatorConfig config;
        try {
            config = new AggregatorConfig(props);
        } catch (ConfigException e) {
            System.err.println("tokenledger aggregator: " + e.getMessage());
            return 2;
        }
        System.out.println("tokenledger aggregator: application.id=" + config.applicationId() + ", Kafka "
                + config.bootstrapServers() + ", registry " + config.schemaRegistryUrl()
                + (config.httpPort() >= 0 ? ", HTTP port " + config.httpPort() : ", HTTP off") + " (Ctrl-C stops)");
        AggregatorApp.runUntilShutdown(config);
        return 0;
    }

    private static void putIfSet(Map<String, Object> props, String key, Object value) {
        if (value != null) {
            props.put(key, value);
        }
    }
}
