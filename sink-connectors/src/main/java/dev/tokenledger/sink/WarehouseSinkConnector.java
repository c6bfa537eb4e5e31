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
package dev.tokenledger.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sinks the TokenLedger topics into a DuckDB or PostgreSQL warehouse, idempotently.
 *
 * <ul>
 *   <li>input: {@code tokenledger.usage-costed.v1} (CostedUsage) to {@code usage_log}, upsert on event_id;
 *       {@code tokenledger.spend.v1} (SpendAggregate) to {@code spend_rollup}, upsert on the window key,
 *       newest updated_at wins; {@code tokenledger.budget-decisions.v1} to {@code budget_decisions} (decision_id);
 *       {@code tokenledger.budget-alerts.v1} to {@code budget_alerts} (alert_id).</li>
 *   <li>format: configure {@code key.converter} and {@code value.converter} as
 *       {@code org.apache.kafka.connect.converters.ByteArrayConverter}; the task decodes the Confluent wire format
 *       itself with the registry in {@code schema.registry.url}, so the plugin needs no Confluent converter.</li>
 *   <li>failures: a record that cannot be decoded or written goes to the worker's dead-letter topic
 *       ({@code errors.tolerance=all}, {@code errors.deadletterqueue.topic.name}) with the reason; transient database
 *       errors are retried {@code max.retries} times, {@code retry.backoff.ms} apart.</li>
 * </ul>
 * At start it creates missing tables, migrates them forward and recreates the views (auto.create, create.views).
 */
public final class WarehouseSinkConnector extends SinkConnector {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSinkConnector.class);
    static final String TOPICS_CONFIG = "topics";
    /** Tries after the first to create the tables and views, 200 ms then 400 ms apart. */
    static final int PREPARE_RETRIES = 2;
    static final Duration PREPARE_BACKOFF_STEP = Duration.ofMillis(200);

    private final Retry.Sleeper sleeper;
    private Map<String, String> props;

    /** The connector Connect instantiates. */
    public WarehouseSinkConnector() {
        this(Retry.Sleeper.THREAD);
    }

    /** A connector that waits between attempts to prepare the warehouse with {@code sleeper} (tests record the waits). */
    WarehouseSinkConnector(Retry.Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        WarehouseSinkConfig config = new WarehouseSinkConfig(props);
        if (config.autoCreate()) {
            prepareWarehouse(config);
        }
        LOG.info("Warehouse sink started on {} ({})", Dialect.redact(config.connectionUrl()), config.dialect());
    }

    /**
     * Creates/migrates tables and views. Two connectors starting at once on one warehouse can race on
     * DDL (PostgreSQL "tuple concurrently updated", a DuckDB catalog write conflict): a few bounded
     * attempts, then the last error, naming connection.url.
     */
    private void prepareWarehouse(WarehouseSinkConfig config) {
        Retry retry = new Retry("Preparing the warehouse at " + Dialect.redact(config.connectionUrl()) + " (connection.url)", "",
                PREPARE_RETRIES, Retry.Backoff.linear(PREPARE_BACKOFF_STEP), e -> e instanceof SQLException, sleeper);
        try {
            retry.call(() -> {
                try (Connection connection = Warehouse.connect(config.connectionUrl(), config.connectionUser(),
                        config.connectionPassword())) {
                    Warehouse.init(connection, config.dialect(), config.createViews());
                }
                return null;
            });
        } catch (Retry.GaveUpException e) {
            throw new ConnectException(e.getMessage(), e.getCause());
        } catch (SQLException e) {
            // every SQLException is retried above; kept for the compiler
            throw new ConnectException(e.getMessage(), e);
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WarehouseSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return WarehouseSinkConfig.CONFIG_DEF;
    }

    /**
     * Field-level validation, plus the cross-field rule: every subscribed topic must be one of
     * usage.topic, spend.topic, decisions.topic, alerts.topic, reconciliation.alerts.topic (the error is attached to {@code topics}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean fieldErrors = config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
        if (!fieldErrors) {
            // two tables on one topic: named on the later key, before a task would fail at start
            WarehouseSinkConfig parsed = new WarehouseSinkConfig(connectorConfigs);
            List<String> keys = List.of(WarehouseSinkConfig.USAGE_TOPIC_CONFIG, WarehouseSinkConfig.SPEND_TOPIC_CONFIG,
                    WarehouseSinkConfig.DECISIONS_TOPIC_CONFIG, WarehouseSinkConfig.ALERTS_TOPIC_CONFIG,
                    WarehouseSinkConfig.RECONCILIATION_ALERTS_TOPIC_CONFIG);
            List<String> mapped = parsed.mappedTopics();
            for (int i = 1; i < mapped.size(); i++) {
                final int first = mapped.indexOf(mapped.get(i));
                if (first < i) {
                    final String key = keys.get(i);
                    final String message = "Topic '" + mapped.get(i) + "' is already " + keys.get(first)
                            + ": each table needs its own topic";
                    config.configValues().stream().filter(v -> v.name().equals(key)).findFirst()
                            .ifPresent(v -> v.addErrorMessage(message));
                }
            }
        }
        String topics = connectorConfigs.get(TOPICS_CONFIG);
        if (!fieldErrors && topics != null && !topics.isBlank()) {
            List<String> mapped = new WarehouseSinkConfig(connectorConfigs).mappedTopics();
            // The worker merges this with its own "topics" value, a List: keep the same type.
            List<String> topicList = java.util.Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
            ConfigValue topicsValue = config.configValues().stream().filter(v -> v.name().equals(TOPICS_CONFIG)).findFirst()
                    .orElseGet(() -> {
                        ConfigValue v = new ConfigValue(TOPICS_CONFIG, topicList, List.of(), new ArrayList<>());
                        config.configValues().add(v);
                        return v;
                    });
            for (String t : topicList) {
                if (!mapped.contains(t)) {
                    topicsValue.addErrorMessage("Topic '" + t + "' has no warehouse table: subscribe only to " + mapped
                            + " (or point usage.topic / spend.topic / decisions.topic / alerts.topic / reconciliation.alerts.topic / "
                            + "adjustments.topic at it)");
                }
            }
        }
        return config;
    }
}
