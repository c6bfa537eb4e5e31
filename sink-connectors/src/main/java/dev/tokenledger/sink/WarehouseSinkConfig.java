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

import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.AvroSerdeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of {@link WarehouseSinkConnector}, declared one group at a time: connection,
 * tables and topics, writes, retries, schema registry. Every key has a doc, a default where one
 * makes sense, and a validator whose error names the key and the bad value.
 */
public final class WarehouseSinkConfig extends AbstractConfig {
    public static final String CONNECTION_GROUP = "Connection";
    public static final String CONNECTION_URL_CONFIG = "connection.url";
    private static final String CONNECTION_URL_DOC = "JDBC URL of the warehouse: jdbc:duckdb:/path/to/file.duckdb (embedded, "
            + "one writer process per file) or jdbc:postgresql://host:5432/database (add ?currentSchema=name to write into a schema).";
    public static final String CONNECTION_USER_CONFIG = "connection.user";
    private static final String CONNECTION_USER_DOC = "Database user (PostgreSQL). Empty: none, or the one in the URL.";
    public static final String CONNECTION_PASSWORD_CONFIG = "connection.password";
    private static final String CONNECTION_PASSWORD_DOC = "Database password (PostgreSQL). Empty: none.";

    public static final String TABLES_GROUP = "Tables and topics";
    public static final String USAGE_TOPIC_CONFIG = "usage.topic";
    private static final String USAGE_TOPIC_DOC = "Topic of priced usage (CostedUsage), written to usage_log keyed by event_id.";
    public static final String SPEND_TOPIC_CONFIG = "spend.topic";
    private static final String SPEND_TOPIC_DOC = "Topic of spend rollups (SpendAggregate), written to spend_rollup keyed by "
            + "(dimension, dimension_key, window_kind, window_start); an older total never overwrites a newer one.";
    public static final String DECISIONS_TOPIC_CONFIG = "decisions.topic";
    private static final String DECISIONS_TOPIC_DOC = "Topic of budget decisions (BudgetDecision), written to budget_decisions keyed by decision_id.";
    public static final String ADJUSTMENTS_TOPIC_CONFIG = "adjustments.topic";
    private static final String ADJUSTMENTS_TOPIC_DOC = "Topic of re-pricing adjustments (PriceAdjustment, tokenledger reprice), written to "
            + "usage_adjustments keyed by adjustment_id; each event's usage_log row then shows the cost after its latest adjustment "
            + "(original_cost_usd keeps the first price, adjusted_by names the adjustment).";
    public static final String ALERTS_TOPIC_CONFIG = "alerts.topic";
    private static final String ALERTS_TOPIC_DOC = "Topic of budget alerts (BudgetAlert), written to budget_alerts keyed by alert_id.";
    public static final String RECONCILIATION_ALERTS_TOPIC_CONFIG = "reconciliation.alerts.topic";
    private static final String RECONCILIATION_ALERTS_TOPIC_DOC = "Topic of reconciliation alerts (ReconciliationAlert, published by "
            + "tokenledger reconcile --bootstrap), written to reconciliation_alerts keyed by alert_id (provider|model|day).";
    public static final String AUTO_CREATE_CONFIG = "auto.create";
    private static final String AUTO_CREATE_DOC = "Create missing tables and indexes at start, and add columns a newer TokenLedger "
            + "schema introduced (ALTER TABLE ADD COLUMN). When false the tables must exist.";
    public static final String CREATE_VIEWS_CONFIG = "create.views";
    private static final String CREATE_VIEWS_DOC = "Recreate the analyst views (v_daily_feature_cost, v_cost_per_active_user, ...) at start.";

    public static final String WRITES_GROUP = "Writes";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    private static final String BATCH_SIZE_DOC = "Rows sent per JDBC batch. Each put() is one transaction whatever its size; "
            + "the consumer's max.poll.records bounds how many records one put() holds.";
    public static final int BATCH_SIZE_DEFAULT = 1000;

    public static final String RETRIES_GROUP = "Retries";
    public static final String MAX_RETRIES_CONFIG = "max.retries";
    private static final String MAX_RETRIES_DOC = "How many times a batch that failed with a transient database error (lost "
            + "connection, serialization failure, timeout) is retried before the task fails.";
    public static final int MAX_RETRIES_DEFAULT = 10;
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC = "Wait before redelivering a batch after a transient database error, in milliseconds.";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 3000L;

    public static final String REGISTRY_GROUP = "Schema registry";
    private static final String REGISTRY_URL_DOC = "Base URL(s) of a Confluent-compatible schema registry the records' schema ids "
            + "are resolved against. Use Connect's ByteArrayConverter for key and value: this connector decodes the "
            + "Confluent wire format itself.";
    private static final String BASIC_AUTH_SOURCE_DOC = "USER_INFO: take registry credentials from basic.auth.user.info; URL: from the URL's user-info.";
    private static final String BASIC_AUTH_USER_INFO_DOC = "user:password for HTTP basic authentication to the registry.";

    public static final ConfigDef CONFIG_DEF = configDef();

    public WarehouseSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        addConnectionGroup(def);
        addTablesGroup(def);
        addWritesGroup(def);
        addRetriesGroup(def);
        addRegistryGroup(def);
        return def;
    }

    private static void addConnectionGroup(ConfigDef def) {
        int order = 0;
        def.define(CONNECTION_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new JdbcUrlValidator(), Importance.HIGH,
                        CONNECTION_URL_DOC, CONNECTION_GROUP, ++order, Width.LONG, "JDBC URL")
                .define(CONNECTION_USER_CONFIG, Type.STRING, "", Importance.HIGH, CONNECTION_USER_DOC,
                        CONNECTION_GROUP, ++order, Width.MEDIUM, "User")
                .define(CONNECTION_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.HIGH, CONNECTION_PASSWORD_DOC,
                        CONNECTION_GROUP, ++order, Width.MEDIUM, "Password");
    }

    private static void addTablesGroup(ConfigDef def) {
        int order = 0;
        def.define(USAGE_TOPIC_CONFIG, Type.STRING, Topics.USAGE_COSTED_TOPIC, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        USAGE_TOPIC_DOC, TABLES_GROUP, ++order, Width.MEDIUM, "Usage topic")
                .define(SPEND_TOPIC_CONFIG, Type.STRING, Topics.SPEND_TOPIC, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        SPEND_TOPIC_DOC, TABLES_GROUP, ++order, Width.MEDIUM, "Spend topic")
                .define(DECISIONS_TOPIC_CONFIG, Type.STRING, Topics.BUDGET_DECISIONS_TOPIC, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, DECISIONS_TOPIC_DOC, TABLES_GROUP, ++order, Width.MEDIUM, "Decisions topic")
                .define(ALERTS_TOPIC_CONFIG, Type.STRING, Topics.BUDGET_ALERTS_TOPIC, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, ALERTS_TOPIC_DOC, TABLES_GROUP, ++order, Width.MEDIUM, "Alerts topic")
                .define(RECONCILIATION_ALERTS_TOPIC_CONFIG, Type.STRING, Topics.RECONCILIATION_ALERTS_TOPIC, new ConfigDef.NonEmptyString(),
                        Importance.LOW, RECONCILIATION_ALERTS_TOPIC_DOC, TABLES_GROUP, ++order, Width.MEDIUM, "Reconciliation alerts topic")
                .define(ADJUSTMENTS_TOPIC_CONFIG, Type.STRING, Topics.PRICE_ADJUSTMENTS_TOPIC, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, ADJUSTMENTS_TOPIC_DOC, TABLES_GROUP, ++order, Width.MEDIUM, "Adjustments topic")
                .define(AUTO_CREATE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_CREATE_DOC,
                        TABLES_GROUP, ++order, Width.SHORT, "Create and migrate tables")
                .define(CREATE_VIEWS_CONFIG, Type.BOOLEAN, true, Importance.LOW, CREATE_VIEWS_DOC,
                        TABLES_GROUP, ++order, Width.SHORT, "Create views");
    }

    private static void addWritesGroup(ConfigDef def) {
        def.define(BATCH_SIZE_CONFIG, Type.INT, BATCH_SIZE_DEFAULT, ConfigDef.Range.between(1, 100_000), Importance.MEDIUM,
                BATCH_SIZE_DOC, WRITES_GROUP, 1, Width.SHORT, "Batch size");
    }

    private static void addRetriesGroup(ConfigDef def) {
        def.define(MAX_RETRIES_CONFIG, Type.INT, MAX_RETRIES_DEFAULT, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        MAX_RETRIES_DOC, RETRIES_GROUP, 1, Width.SHORT, "Max retries")
                .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, ConfigDef.Range.between(0L, 600_000L),
                        Importance.MEDIUM, RETRY_BACKOFF_MS_DOC, RETRIES_GROUP, 2, Width.SHORT, "Retry backoff (ms)");
    }

    private static void addRegistryGroup(ConfigDef def) {
        def.define(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        new RegistryUrlValidator(), Importance.HIGH, REGISTRY_URL_DOC, REGISTRY_GROUP, 1, Width.LONG, "Registry URL")
                .define(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, "USER_INFO",
                        ConfigDef.ValidString.in("USER_INFO", "URL"), Importance.MEDIUM, BASIC_AUTH_SOURCE_DOC,
                        REGISTRY_GROUP, 2, Width.SHORT, "Registry credentials source")
                .define(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                        BASIC_AUTH_USER_INFO_DOC, REGISTRY_GROUP, 3, Width.MEDIUM, "Registry user:password");
    }

    public String connectionUrl() {
        return getString(CONNECTION_URL_CONFIG);
    }

    public Dialect dialect() {
        return Dialect.fromUrl(connectionUrl());
    }

    public String connectionUser() {
        return getString(CONNECTION_USER_CONFIG);
    }

    public String connectionPassword() {
        Password p = getPassword(CONNECTION_PASSWORD_CONFIG);
        return p == null ? "" : p.value();
    }

    public String usageTopic() {
        return getString(USAGE_TOPIC_CONFIG);
    }

    public String spendTopic() {
        return getString(SPEND_TOPIC_CONFIG);
    }

    public String decisionsTopic() {
        return getString(DECISIONS_TOPIC_CONFIG);
    }

    public String alertsTopic() {
        return getString(ALERTS_TOPIC_CONFIG);
    }

    public String reconciliationAlertsTopic() {
        return getString(RECONCILIATION_ALERTS_TOPIC_CONFIG);
    }

    public String adjustmentsTopic() {
        return getString(ADJUSTMENTS_TOPIC_CONFIG);
    }

    /** The topics this connector knows how to write, in the order of their keys. */
    public List<String> mappedTopics() {
        return List.of(usageTopic(), spendTopic(), decisionsTopic(), alertsTopic(), reconciliationAlertsTopic(), adjustmentsTopic());
    }

    public boolean autoCreate() {
        return getBoolean(AUTO_CREATE_CONFIG);
    }

    public boolean createViews() {
        return getBoolean(CREATE_VIEWS_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES_CONFIG);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS_CONFIG);
    }

    /** The settings handed to the Avro deserializer. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, getString(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG));
        serde.put(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                getString(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG));
        serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG,
                getPassword(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG).value());
        return serde;
    }

    /** Accepts jdbc:duckdb: and jdbc:postgresql: URLs; the error names the key, the value (password redacted) and the choices. */
    static final class JdbcUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String url = (String) value;
            if (url == null || url.isBlank()) {
                throw new ConfigException(name, url, "must be a JDBC URL (jdbc:duckdb:/path/file.duckdb or jdbc:postgresql://host:5432/db)");
            }
            try {
                Dialect.fromUrl(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, Dialect.redact(url), "unsupported JDBC URL scheme; use jdbc:duckdb:/path/file.duckdb "
                        + "or jdbc:postgresql://host:5432/db");
            }
            if (url.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:duckdb:") && url.substring("jdbc:duckdb:".length()).isBlank()) {
                throw new ConfigException(name, url, "an in-memory DuckDB would lose every row at restart; give a file path "
                        + "(jdbc:duckdb:/path/file.duckdb)");
            }
        }

        @Override
        public String toString() {
            return "jdbc:duckdb:<file> or jdbc:postgresql://<host>:<port>/<db>";
        }
    }

    /** http(s):// URLs (comma-separated) or mock://scope for tests. */
    static final class RegistryUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String urls = (String) value;
            if (urls == null || urls.isBlank()) {
                throw new ConfigException(name, urls, "must be the schema registry URL, e.g. http://127.0.0.1:8081");
            }
            for (String url : urls.split(",")) {
                String u = url.trim();
                if (!(u.startsWith("http://") || u.startsWith("https://") || u.startsWith("mock://"))) {
                    throw new ConfigException(name, urls, "each URL must start with http://, https:// (or mock:// in tests)");
                }
            }
        }

        @Override
        public String toString() {
            return "http(s)://host:port[,...]";
        }
    }
}
