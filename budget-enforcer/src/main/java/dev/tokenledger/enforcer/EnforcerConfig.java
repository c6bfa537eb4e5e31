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
package dev.tokenledger.enforcer;

import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.config.ReplicationFactor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration of the budget enforcer app. Every key has a {@code _CONFIG} name, a {@code _DOC}
 * string, a default and a validator, in groups; cross-field rules fail at construction with the field
 * named. Other settings pass through by prefix, as in the aggregator (see {@link GuaranteedSettings}):
 * {@code streams.<key>} to Kafka Streams without the prefix, {@code producer.<key>} /
 * {@code consumer.<key>} to its producers / consumers, {@code registry.<key>} to the Avro serdes. An
 * override that would break exactly_once_v2 is refused at construction.
 */
public final class EnforcerConfig extends AbstractConfig {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcerConfig.class);

    public static final String KAFKA_GROUP = "Kafka";
    public static final String EXACTLY_ONCE_GROUP = "Exactly-once";
    public static final String LEASES_GROUP = "Leases";
    public static final String PRICING_GROUP = "Pricing";
    public static final String VALIDATION_GROUP = "Validation";
    public static final String PASS_THROUGH_GROUP = "Pass-through";

    /** Registry keys the enforcer read unprefixed before 0.1 (now {@code registry.<key>}); still read, with a warning. */
    static final String DEPRECATED_BASIC_AUTH_PREFIX = "basic.auth.";
    static final String DEPRECATED_AUTO_REGISTER_KEY = "auto.register.schemas";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers, e.g. 127.0.0.1:9092.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL.";

    public static final String APPLICATION_ID_CONFIG = "application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id; prefixes the internal topics and consumer group.";
    public static final String APPLICATION_ID_DEFAULT = "tokenledger-enforcer";

    public static final String STATE_DIR_CONFIG = "state.dir";
    private static final String STATE_DIR_DOC = "Directory of the RocksDB state (per-scope ledgers, budgets).";

    public static final String HEARTBEAT_INTERVAL_MS_CONFIG = "heartbeat.interval.ms";
    private static final String HEARTBEAT_INTERVAL_MS_DOC = "How often every scope's BudgetState is re-published with a fresh heartbeat_at"
            + " (wall clock), periods are rolled over and expired holds are freed. Gates treat state older than their staleness bound"
            + " (a few heartbeats) as stale.";

    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "Exactly-once commit interval: a state change becomes visible to gates"
            + " (read_committed) at the next commit, so this bounds the deny latency. Small values cost more transactions.";

    public static final String SCOPE_PARTITIONS_CONFIG = "scope.partitions";
    private static final String SCOPE_PARTITIONS_DOC = "Partitions of the enforcer-by-scope repartition topic (parallelism of the"
            + " accounting step). Changing it on an existing deployment needs an application reset.";

    public static final String LEASE_TTL_MS_CONFIG = "lease.ttl.ms";
    private static final String LEASE_TTL_MS_DOC = "How long a gate may use a budget lease after it receives it without hearing from the"
            + " enforcer again (every answer renews it). Past it the gate stops admitting against the lease and applies the budget's"
            + " stale policy; the lease's unused remainder stays counted as spent until the gate reports it or the period ends.";

    public static final String DEFAULT_CATALOG_CONFIG = "pricing.default.catalog";
    private static final String DEFAULT_CATALOG_DOC = "Price usage with the catalog shipped with TokenLedger underneath the entries of"
            + " tokenledger.prices.v1 (as the aggregator does with the same key). The enforcer prices raw usage itself, so the"
            + " aggregator is not on the deny path; both must use the same setting to charge the same amounts.";

    public static final String CATALOG_MAX_AGE_DAYS_CONFIG = "pricing.catalog.max.age.days";
    private static final String CATALOG_MAX_AGE_DAYS_DOC = "At start (once the prices topic is read), the enforcer logs a WARN when the"
            + " newest source_read_on of the price catalog it charges with (the shipped catalog, if used, with the prices topic's entries"
            + " over it) is more than this many days old, as the aggregator does with the same key. Refresh it with tokenledger prices"
            + " check --litellm FILE and tokenledger prices load FILE, or by upgrading TokenLedger. 0 turns the warning off.";

    public static final String MAX_TOKENS_CONFIG = "max.tokens.per.class";
    private static final String MAX_TOKENS_DOC = "Largest token count accepted in one class of one event (as the aggregator's key):"
            + " a larger or negative count is not charged to any budget (the aggregator dead-letters the same record).";

    public static final String FUTURE_SKEW_CONFIG = "future.skew.limit.ms";
    private static final String FUTURE_SKEW_DOC = "An event whose occurred_at is further than this ahead of the enforcer's clock"
            + " is not charged (as the aggregator's key).";

    public static final String DEDUP_HORIZON_CONFIG = "dedup.horizon.ms";
    private static final String DEDUP_HORIZON_DOC = "How long event ids are remembered per budget scope to drop producer retries"
            + " and replays. An event older than that cannot be proven unique and is not charged.";

    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    private static final String NUM_STREAM_THREADS_DOC = "Kafka Streams threads.";

    public static final String REPLICATION_FACTOR_CONFIG = "replication.factor";
    private static final String REPLICATION_FACTOR_DOC = "Replication factor of the topics the enforcer creates: Kafka "
            + "Streams' internal topics (changelogs, the by-scope repartition topic) and tokenledger.lease-requests.v1 when "
            + "it is missing. " + ReplicationFactor.DEFAULT_DOC;

    public static final String STREAMS_PASS_THROUGH = GuaranteedSettings.STREAMS_PREFIX + "*";
    private static final String STREAMS_PASS_THROUGH_DOC = "Any Kafka Streams or Kafka client setting, passed to Kafka "
            + "Streams (and to the admin client that checks tokenledger.lease-requests.v1) without the prefix: "
            + "streams.security.protocol=SASL_SSL, streams.sasl.jaas.config=..., streams.num.standby.replicas=1. "
            + "Refused at start: processing.guarantee other than exactly_once_v2, enable.idempotence=false, acks other "
            + "than all, max.in.flight.requests.per.connection above 5, isolation.level other than read_committed (bare "
            + "or under Streams' producer./consumer./main.consumer./restore.consumer./global.consumer. prefixes). "
            + "Unprefixed keys the enforcer does not declare still reach Kafka Streams, with a deprecation warning.";
    public static final String PRODUCER_PASS_THROUGH = GuaranteedSettings.PRODUCER_PREFIX + "*";
    private static final String PRODUCER_PASS_THROUGH_DOC = "A setting of every producer Kafka Streams runs for the "
            + "enforcer (the same as streams.producer.<key>). The enforcer sets max.in.flight.requests.per.connection=1 "
            + "(one batch in flight per partition keeps transactions v2 free of out-of-order sequence errors); the "
            + "exactly-once rules of streams.* apply.";
    public static final String CONSUMER_PASS_THROUGH = GuaranteedSettings.CONSUMER_PREFIX + "*";
    private static final String CONSUMER_PASS_THROUGH_DOC = "A setting of every consumer Kafka Streams runs for the "
            + "enforcer (the same as streams.consumer.<key>), e.g. consumer.fetch.max.wait.ms=50. The exactly-once rules "
            + "of streams.* apply.";
    public static final String REGISTRY_PASS_THROUGH = GuaranteedSettings.REGISTRY_PREFIX + "*";
    private static final String REGISTRY_PASS_THROUGH_DOC = "A setting of the Avro serdes (Avro serde keys), without the "
            + "prefix: registry.basic.auth.user.info=user:password, registry.auto.register.schemas=false. (Formerly "
            + "unprefixed basic.auth.* and auto.register.schemas, still read with a warning.)";

    /** linger.ms of the Streams producer: below the default commit interval (20 ms), which flushes anyway. */
    static final int PRODUCER_LINGER_MS = 5;
    /** batch.size of the Streams producer: one batch holds a commit interval's records of a partition. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    static final ConfigDef CONFIG_DEF = configDefinition();

    public EnforcerConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        if (getLong(COMMIT_INTERVAL_MS_CONFIG) > getLong(HEARTBEAT_INTERVAL_MS_CONFIG)) {
            throw new ConfigException(COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS_CONFIG),
                    "must not exceed " + HEARTBEAT_INTERVAL_MS_CONFIG + " (" + getLong(HEARTBEAT_INTERVAL_MS_CONFIG)
                            + "): heartbeats would become visible later than they are sent");
        }
        final Map<String, Object> bare = deprecatedStreamsKeys();
        GuaranteedSettings.requireExactlyOnceStreams(bare, "");
        GuaranteedSettings.streamsPassThrough(originals());
        bare.keySet().stream().sorted().forEach(k -> LOG.warn("Enforcer setting {} is deprecated: use {}{} (settings passed to "
                + "Kafka Streams take the streams. prefix, as in the aggregator)", k, GuaranteedSettings.STREAMS_PREFIX, k));
        originals().keySet().stream().filter(EnforcerConfig::isDeprecatedRegistryKey).sorted().forEach(k -> LOG.warn(
                "Enforcer setting {} is deprecated: use {}{}", k, GuaranteedSettings.REGISTRY_PREFIX, k));
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef configDefinition() {
        final ConfigDef def = new ConfigDef();
        addKafkaGroup(def);
        addExactlyOnceGroup(def);
        addLeasesGroup(def);
        addPricingGroup(def);
        addValidationGroup(def);
        addPassThroughGroup(def);
        return def;
    }

    private static void addKafkaGroup(ConfigDef def) {
        int order = 0;
        def.define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        BOOTSTRAP_SERVERS_DOC, KAFKA_GROUP, ++order, Width.LONG, "Bootstrap servers")
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        SCHEMA_REGISTRY_URL_DOC, KAFKA_GROUP, ++order, Width.LONG, "Schema registry URL")
                .define(APPLICATION_ID_CONFIG, Type.STRING, APPLICATION_ID_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        APPLICATION_ID_DOC, KAFKA_GROUP, ++order, Width.MEDIUM, "Application id")
                .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/tokenledger-enforcer", Importance.MEDIUM,
                        STATE_DIR_DOC, KAFKA_GROUP, ++order, Width.LONG, "State directory")
                .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.LOW, NUM_STREAM_THREADS_DOC,
                        KAFKA_GROUP, ++order, Width.SHORT, "Stream threads")
                .define(SCOPE_PARTITIONS_CONFIG, Type.INT, 3, ConfigDef.Range.between(1, 1024), Importance.LOW, SCOPE_PARTITIONS_DOC,
                        KAFKA_GROUP, ++order, Width.SHORT, "Scope partitions")
                .define(REPLICATION_FACTOR_CONFIG, Type.INT, ReplicationFactor.BROKER_DEFAULT, ReplicationFactor.VALIDATOR,
                        Importance.MEDIUM, REPLICATION_FACTOR_DOC, KAFKA_GROUP, ++order, Width.SHORT, "Replication factor");
    }

    private static void addExactlyOnceGroup(ConfigDef def) {
        def.define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 20L, ConfigDef.Range.between(1L, 60_000L), Importance.MEDIUM,
                COMMIT_INTERVAL_MS_DOC, EXACTLY_ONCE_GROUP, 1, Width.SHORT, "Commit interval (ms)");
    }

    private static void addLeasesGroup(ConfigDef def) {
        int order = 0;
        def.define(HEARTBEAT_INTERVAL_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.between(50L, 60_000L), Importance.MEDIUM,
                        HEARTBEAT_INTERVAL_MS_DOC, LEASES_GROUP, ++order, Width.SHORT, "Heartbeat interval (ms)")
                .define(LEASE_TTL_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.between(1_000L, 3_600_000L), Importance.MEDIUM,
                        LEASE_TTL_MS_DOC, LEASES_GROUP, ++order, Width.SHORT, "Lease TTL (ms)");
    }

    private static void addPricingGroup(ConfigDef def) {
        def.define(DEFAULT_CATALOG_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, DEFAULT_CATALOG_DOC,
                        PRICING_GROUP, 1, Width.SHORT, "Shipped price catalog")
                .define(CATALOG_MAX_AGE_DAYS_CONFIG, Type.INT, 90, ConfigDef.Range.atLeast(0), Importance.LOW, CATALOG_MAX_AGE_DAYS_DOC,
                        PRICING_GROUP, 2, Width.SHORT, "Catalog max age (days)");
    }

    private static void addValidationGroup(ConfigDef def) {
        int order = 0;
        def.define(MAX_TOKENS_CONFIG, Type.LONG, 50_000_000L, ConfigDef.Range.atLeast(1L), Importance.LOW, MAX_TOKENS_DOC,
                        VALIDATION_GROUP, ++order, Width.SHORT, "Max tokens per class")
                .define(FUTURE_SKEW_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), ConfigDef.Range.atLeast(0L), Importance.LOW,
                        FUTURE_SKEW_DOC, VALIDATION_GROUP, ++order, Width.SHORT, "Future skew limit (ms)")
                .define(DEDUP_HORIZON_CONFIG, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(60_000L),
                        Importance.MEDIUM, DEDUP_HORIZON_DOC, VALIDATION_GROUP, ++order, Width.SHORT, "Dedup horizon (ms)");
    }

    /** Documents the pass-through prefixes: these entries are never read, the prefixed keys are. */
    private static void addPassThroughGroup(ConfigDef def) {
        int order = 0;
        def.define(STREAMS_PASS_THROUGH, Type.STRING, null, Importance.LOW, STREAMS_PASS_THROUGH_DOC,
                        PASS_THROUGH_GROUP, ++order, Width.LONG, "Kafka Streams settings")
                .define(PRODUCER_PASS_THROUGH, Type.STRING, null, Importance.LOW, PRODUCER_PASS_THROUGH_DOC,
                        PASS_THROUGH_GROUP, ++order, Width.LONG, "Producer settings")
                .define(CONSUMER_PASS_THROUGH, Type.STRING, null, Importance.LOW, CONSUMER_PASS_THROUGH_DOC,
                        PASS_THROUGH_GROUP, ++order, Width.LONG, "Consumer settings")
                .define(REGISTRY_PASS_THROUGH, Type.STRING, null, Importance.LOW, REGISTRY_PASS_THROUGH_DOC,
                        PASS_THROUGH_GROUP, ++order, Width.LONG, "Schema registry settings");
    }

    /** Whether the shipped catalog lies under the prices topic's entries. */
    public boolean useDefaultCatalog() {
        return getBoolean(DEFAULT_CATALOG_CONFIG);
    }

    /** Days after which the catalog in force draws a start-up warning; 0 when the warning is off. */
    public int catalogMaxAgeDays() {
        return getInt(CATALOG_MAX_AGE_DAYS_CONFIG);
    }

    public EnforcerTopology.Options topologyOptions() {
        return new EnforcerTopology.Options(Duration.ofMillis(getLong(HEARTBEAT_INTERVAL_MS_CONFIG)), getInt(SCOPE_PARTITIONS_CONFIG),
                "enforcer:" + getString(APPLICATION_ID_CONFIG), Duration.ofMillis(getLong(LEASE_TTL_MS_CONFIG)),
                new EnforcerTopology.UsageRules(getLong(MAX_TOKENS_CONFIG), Duration.ofMillis(getLong(FUTURE_SKEW_CONFIG)),
                        Duration.ofMillis(getLong(DEDUP_HORIZON_CONFIG)), getBoolean(DEFAULT_CATALOG_CONFIG)));
    }

    /**
     * Settings of the Avro serdes: the registry URL plus every {@code registry.<key>} without the prefix
     * (and the deprecated unprefixed {@code basic.auth.*} / {@code auto.register.schemas}, which
     * {@code registry.} wins over).
     */
    public Map<String, Object> registryConfig() {
        final Map<String, Object> m = new HashMap<>();
        originals().forEach((k, v) -> {
            if (isDeprecatedRegistryKey(k)) {
                m.put(k, v);
            }
        });
        m.putAll(originalsWithPrefix(GuaranteedSettings.REGISTRY_PREFIX));
        m.put(SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        return m;
    }

    /** Replication factor of the topics the enforcer creates; -1 for the brokers' default. */
    public int replicationFactor() {
        return getInt(REPLICATION_FACTOR_CONFIG);
    }

    /**
     * Kafka Streams properties: exactly_once_v2, explicit naming enforced, short commit interval, then
     * the pass-through settings ({@code streams.*}, {@code producer.*}, {@code consumer.*} and the
     * deprecated unprefixed keys), which win except where they would break exactly-once (refused at
     * construction).
     */
    public Properties streamsProperties() {
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS_CONFIG));
        p.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS_CONFIG));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS_CONFIG));
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // No store is behind Kafka Streams' record cache: the accounting step keeps its ledgers as objects and writes
        // each changed one once per commit itself (ScopeAccounting), the dedup stores are written once per id anyway.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // Usage and reservations need no timestamp alignment with each other (the ledger handles either
        // order), so never hold one input back waiting for data on the other.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // Under exactly_once_v2 a record becomes visible at the commit, whose flush sends every batch at once whatever
        // linger.ms is: a short linger and large batches cost no deny latency and cut the produce requests (and the
        // sequential round trips the commit's flush waits for, with one request in flight) by about 3x.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // One in-flight batch per partition: with transactions v2 a pipelined batch can reach the broker
        // ahead of the transaction's first one (OutOfOrderSequenceException, the task is then revived).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, getInt(REPLICATION_FACTOR_CONFIG));
        // A record that is not a UsageEvent is the aggregator's to dead-letter (it reads the same topic); skip it here.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.putAll(deprecatedStreamsKeys());
        p.putAll(GuaranteedSettings.streamsPassThrough(originals()));
        return p;
    }

    /**
     * Settings of the admin client the enforcer uses to check {@code tokenledger.lease-requests.v1}: the
     * ones Kafka Streams would give its own admin client (security settings, {@code streams.admin.*}).
     */
    public Map<String, Object> adminConfig() {
        return new StreamsConfig(streamsProperties()).getAdminConfigs("tokenledger-enforcer-setup");
    }

    /** Unprefixed keys the enforcer does not declare: passed to Kafka Streams as before 0.1, with a warning. */
    private Map<String, Object> deprecatedStreamsKeys() {
        final Map<String, Object> bare = new HashMap<>();
        originals().forEach((k, v) -> {
            if (!CONFIG_DEF.names().contains(k) && !isDeprecatedRegistryKey(k) && !hasPassThroughPrefix(k)) {
                bare.put(k, v);
            }
        });
        return bare;
    }

    private static boolean hasPassThroughPrefix(String key) {
        return key.startsWith(GuaranteedSettings.STREAMS_PREFIX) || key.startsWith(GuaranteedSettings.PRODUCER_PREFIX)
                || key.startsWith(GuaranteedSettings.CONSUMER_PREFIX) || key.startsWith(GuaranteedSettings.REGISTRY_PREFIX);
    }

    private static boolean isDeprecatedRegistryKey(String key) {
        return key.startsWith(DEPRECATED_BASIC_AUTH_PREFIX) || key.equals(DEPRECATED_AUTO_REGISTER_KEY);
    }
}
