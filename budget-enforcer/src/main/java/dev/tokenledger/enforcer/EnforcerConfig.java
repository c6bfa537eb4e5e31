package dev.tokenledger.enforcer;

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
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** Configuration of the budget enforcer app. */
public final class EnforcerConfig extends AbstractConfig {
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

    static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    SCHEMA_REGISTRY_URL_DOC)
            .define(APPLICATION_ID_CONFIG, Type.STRING, APPLICATION_ID_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    APPLICATION_ID_DOC)
            .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/tokenledger-enforcer", Importance.MEDIUM,
                    STATE_DIR_DOC)
            .define(HEARTBEAT_INTERVAL_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.between(50L, 60_000L), Importance.MEDIUM,
                    HEARTBEAT_INTERVAL_MS_DOC)
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 20L, ConfigDef.Range.between(1L, 60_000L), Importance.MEDIUM,
                    COMMIT_INTERVAL_MS_DOC)
            .define(SCOPE_PARTITIONS_CONFIG, Type.INT, 3, ConfigDef.Range.between(1, 1024), Importance.LOW, SCOPE_PARTITIONS_DOC)
            .define(LEASE_TTL_MS_CONFIG, Type.LONG, 30_000L, ConfigDef.Range.between(1_000L, 3_600_000L), Importance.MEDIUM,
                    LEASE_TTL_MS_DOC)
            .define(DEFAULT_CATALOG_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, DEFAULT_CATALOG_DOC)
            .define(MAX_TOKENS_CONFIG, Type.LONG, 50_000_000L, ConfigDef.Range.atLeast(1L), Importance.LOW, MAX_TOKENS_DOC)
            .define(FUTURE_SKEW_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), ConfigDef.Range.atLeast(0L), Importance.LOW,
                    FUTURE_SKEW_DOC)
            .define(DEDUP_HORIZON_CONFIG, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(60_000L), Importance.MEDIUM,
                    DEDUP_HORIZON_DOC)
            .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.LOW, NUM_STREAM_THREADS_DOC);

    public EnforcerConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        if (getLong(COMMIT_INTERVAL_MS_CONFIG) > getLong(HEARTBEAT_INTERVAL_MS_CONFIG)) {
            throw new ConfigException(COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS_CONFIG),
                    "must not exceed " + HEARTBEAT_INTERVAL_MS_CONFIG + " (" + getLong(HEARTBEAT_INTERVAL_MS_CONFIG)
                            + "): heartbeats would become visible later than they are sent");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public EnforcerTopology.Options topologyOptions() {
        return new EnforcerTopology.Options(Duration.ofMillis(getLong(HEARTBEAT_INTERVAL_MS_CONFIG)), getInt(SCOPE_PARTITIONS_CONFIG),
                "enforcer:" + getString(APPLICATION_ID_CONFIG), Duration.ofMillis(getLong(LEASE_TTL_MS_CONFIG)),
                new EnforcerTopology.UsageRules(getLong(MAX_TOKENS_CONFIG), Duration.ofMillis(getLong(FUTURE_SKEW_CONFIG)),
                        Duration.ofMillis(getLong(DEDUP_HORIZON_CONFIG)), getBoolean(DEFAULT_CATALOG_CONFIG)));
    }

    public Map<String, Object> registryConfig() {
        final Map<String, Object> m = new HashMap<>();
        m.put("schema.registry.url", getString(SCHEMA_REGISTRY_URL_CONFIG));
        originals().forEach((k, v) -> {
            if (k.startsWith("basic.auth.") || k.equals("auto.register.schemas")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Kafka Streams properties: exactly_once_v2, explicit naming enforced, short commit interval. */
    public Properties streamsProperties() {
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID_CONFIG));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS_CONFIG));
        p.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS_CONFIG));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS_CONFIG));
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // Usage and reservations need no timestamp alignment with each other (the ledger handles either
        // order), so never hold one input back waiting for data on the other.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        // One in-flight batch per partition: with transactions v2 a pipelined batch can reach the broker
        // ahead of the transaction's first one (OutOfOrderSequenceException, the task is then revived).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // A record that is not a UsageEvent is the aggregator's to dead-letter (it reads the same topic); skip it here.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // Any other setting (Kafka Streams, client, SASL/SSL) passes through and wins over the defaults above.
        originals().forEach((k, v) -> {
            if (!CONFIG_DEF.names().contains(k)) {
                p.put(k, v);
            }
        });
        return p;
    }
}
