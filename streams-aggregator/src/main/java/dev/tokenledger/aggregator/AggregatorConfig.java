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
package dev.tokenledger.aggregator;

import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.config.ReplicationFactor;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the streams aggregator. Every key has a {@code _CONFIG} name, a {@code _DOC}
 * string, a default and a validator, in groups; cross-field rules fail at construction with the
 * field named. Other settings pass through by prefix (see {@link GuaranteedSettings}):
 * {@code streams.<key>} to Kafka Streams without the prefix (e.g. {@code streams.num.standby.replicas=1},
 * {@code streams.security.protocol=SASL_SSL}), {@code producer.<key>} / {@code consumer.<key>} to its
 * producers / consumers, {@code registry.<key>} to the Avro serdes (e.g.
 * {@code registry.basic.auth.user.info=user:password}). An override that would break exactly_once_v2
 * is refused at construction.
 */
public final class AggregatorConfig extends AbstractConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatorConfig.class);

    public static final String KAFKA_GROUP = "Kafka";
    public static final String EXACTLY_ONCE_GROUP = "Exactly-once";
    public static final String HTTP_GROUP = "HTTP";
    public static final String SECURITY_GROUP = "Security";
    public static final String WINDOWS_GROUP = "Windows";
    public static final String PRICING_GROUP = "Pricing";
    public static final String VALIDATION_GROUP = "Validation";
    public static final String RESOURCES_GROUP = "Resources";
    public static final String PASS_THROUGH_GROUP = "Pass-through";

    /** Prefix of the registry settings before 0.1 (now {@code registry.}); still read, with a warning. */
    static final String DEPRECATED_SERDE_PREFIX = "serde.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers, host:port[,host:port].";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL "
            + "(mock://scope for tests).";

    public static final String APPLICATION_ID_CONFIG = "application.id";
    private static final String APPLICATION_ID_DOC = "Kafka Streams application id: consumer group, prefix of "
            + "every internal topic. Instances with the same id share the work.";

    public static final String STATE_DIR_CONFIG = "state.dir";
    private static final String STATE_DIR_DOC = "Directory of the RocksDB state stores.";

    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    private static final String NUM_STREAM_THREADS_DOC = "Stream threads in this instance.";

    public static final String REPLICATION_FACTOR_CONFIG = "replication.factor";
    private static final String REPLICATION_FACTOR_DOC = "Replication factor of the internal topics Kafka Streams "
            + "creates (changelogs, repartition topics). " + ReplicationFactor.DEFAULT_DOC;

    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "Transaction commit interval (exactly_once_v2). The aggregator "
            + "is off the deny path (the enforcer prices raw usage itself), so this serves throughput: every commit "
            + "writes each changed pending sum and window total once, and costs a transaction. Costed usage and "
            + "spend updates become visible to read_committed readers at most this late (plus "
            + "spend.flush.interval.ms for spend). 1,000 ms doubled throughput against 20 ms (docs/benchmarks.md).";

    public static final String HTTP_PORT_CONFIG = "http.port";
    private static final String HTTP_PORT_DOC = "Port of the interactive-query HTTP server; 0 picks a free "
            + "port, -1 disables the server.";

    public static final String HTTP_HOST_CONFIG = "http.host";
    private static final String HTTP_HOST_DOC = "Address the interactive-query HTTP server binds to.";

    public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
    private static final String HTTP_ADVERTISED_HOST_DOC = "Host name other instances use to reach this one's "
            + "HTTP server (Kafka Streams application.server); defaults to http.host. Set it when http.host "
            + "is a wildcard such as 0.0.0.0.";

    public static final String HTTP_TOKEN_CONFIG = "http.bearer.token";
    private static final String HTTP_TOKEN_DOC = "When set, every HTTP query must carry "
            + "'Authorization: Bearer <token>'; instances forward it to each other.";

    public static final String HTTP_TENANT_TOKENS_CONFIG = "http.tenant.tokens";
    private static final String HTTP_TENANT_TOKENS_DOC = "Tenant-scoped API tokens, 'token=tenant' pairs "
            + "separated by commas. A request carrying one of them reads only its tenant's figures (tenant, "
            + "feature_tenant and tenant_user; top lists filtered to the tenant) and gets 403 for anything "
            + "that mixes tenants. http.bearer.token, when also set, keeps full access.";

    public static final String TIME_ZONE_CONFIG = "time.zone";
    private static final String TIME_ZONE_DOC = "Zone the DAY, MONTH and ROLLING_30D windows are aligned to "
            + "(budgets are set in one zone per organisation). MINUTE and HOUR windows are epoch aligned.";

    public static final String GRACE_CONFIG = "window.grace.ms";
    private static final String GRACE_DOC = "How late (behind stream time) an event may arrive and still count "
            + "in its window. Default 72 h: the producer agent spools usage to disk while Kafka is unreachable "
            + "and drains it when Kafka returns, so a service cut off over a weekend still lands its usage. "
            + "Later events count in no closed window (they still count in the longer windows that are open) "
            + "and in the stream-tokenledger-metrics spend-late-total metric. Must not exceed the dedup "
            + "horizon (a late event must still be recognisable as a duplicate).";

    public static final String DEDUP_HORIZON_CONFIG = "dedup.horizon.ms";
    private static final String DEDUP_HORIZON_DOC = "How long event ids are remembered (by event time) to drop "
            + "producer retries and replays. An event older than stream time minus the horizon cannot be "
            + "proven unique and goes to the dead-letter topic (reason BEYOND_DEDUP_HORIZON) instead of "
            + "being counted twice.";

    public static final String FUTURE_SKEW_CONFIG = "future.skew.limit.ms";
    private static final String FUTURE_SKEW_DOC = "An event whose occurred_at is further than this ahead of "
            + "the aggregator's clock is refused (reason FUTURE_EVENT): a broken clock must not open far "
            + "future windows.";

    public static final String MAX_TOKENS_CONFIG = "max.tokens.per.class";
    private static final String MAX_TOKENS_DOC = "Largest token count accepted in one class of one event; "
            + "larger counts are refused as absurd (reason ABSURD_TOKENS). The biggest context windows are "
            + "a few million tokens.";

    public static final String FLUSH_INTERVAL_CONFIG = "spend.flush.interval.ms";
    private static final String FLUSH_INTERVAL_DOC = "Partial aggregates are summed per partition and "
            + "flushed to the merge stage at this wall-clock interval, so a hot feature costs the merge stage "
            + "one record per partition and window per interval instead of one per event. 0 forwards every "
            + "event at once (tests).";

    public static final String TAIL_DIMENSIONS_CONFIG = "spend.tail.dimensions";
    private static final String TAIL_DIMENSIONS_DOC = "Whether the long-tail dimensions, ROOT_REQUEST (workflow cost) "
            + "and TENANT_USER (top users in a tenant), are also kept live here (HTTP /v1/workflows/{id} and "
            + "/v1/top/tenant_user, the spend topic). They rarely repeat within a flush, so each event costs about 8 "
            + "more records and halves throughput (docs/benchmarks.md); off, the warehouse answers them from every "
            + "priced row (v_workflow_cost, usage_log).";

    public static final String UNPRICED_ALERT_INTERVAL_CONFIG = "unpriced.alert.interval.ms";
    private static final String UNPRICED_ALERT_INTERVAL_DOC = "At most one UnpricedUsageAlert per provider/model "
            + "in this interval; every unpriced event is still counted.";

    public static final String STATS_WINDOW_CONFIG = "output.stats.window.ms";
    private static final String STATS_WINDOW_DOC = "Percentiles of output tokens per feature are computed over "
            + "this trailing event-time window (hour buckets).";

    public static final String DEFAULT_CATALOG_CONFIG = "pricing.default.catalog";
    private static final String DEFAULT_CATALOG_DOC = "Start from the price catalog shipped with TokenLedger and "
            + "overlay the entries of the prices topic (same entry_id replaces, a tombstone removes). When "
            + "false only the topic counts.";

    public static final String CATALOG_MAX_AGE_DAYS_CONFIG = "pricing.catalog.max.age.days";
    private static final String CATALOG_MAX_AGE_DAYS_DOC = "At start (once the prices topic is read), the aggregator logs a WARN "
            + "when the newest source_read_on of the price catalog in force (the shipped catalog, if used, with the prices "
            + "topic's entries over it) is more than this many days old: providers change prices, and an old catalog prices "
            + "new calls at old rates. Refresh it by comparing with a current LiteLLM map (tokenledger prices check "
            + "--litellm FILE) and publishing corrected entries (tokenledger prices load FILE), or by upgrading TokenLedger. "
            + "0 turns the warning off.";

    public static final String ROCKSDB_CACHE_BYTES_CONFIG = "rocksdb.block.cache.bytes";
    private static final String ROCKSDB_CACHE_BYTES_DOC = "Block cache shared by every RocksDB store of the "
            + "instance; memtables are charged to it, so it bounds RocksDB memory.";

    public static final String ROCKSDB_WRITE_BUFFER_BYTES_CONFIG = "rocksdb.write.buffer.bytes";
    private static final String ROCKSDB_WRITE_BUFFER_BYTES_DOC = "Part of the block cache memtables may use, "
            + "shared by every store and window segment of the instance (several dozen RocksDB instances). "
            + "Too small and every instance flushes tiny memtables and stalls its writes: 16 MB ran the "
            + "aggregator at a quarter of the rate of 128 MB (docs/benchmarks.md).";

    public static final String STREAMS_PASS_THROUGH = GuaranteedSettings.STREAMS_PREFIX + "*";
    private static final String STREAMS_PASS_THROUGH_DOC = "Any Kafka Streams or Kafka client setting, passed to Kafka "
            + "Streams without the prefix: streams.num.standby.replicas=1, streams.security.protocol=SASL_SSL, "
            + "streams.sasl.jaas.config=... Refused at start: processing.guarantee other than exactly_once_v2, "
            + "enable.idempotence=false, acks other than all, max.in.flight.requests.per.connection above 5, "
            + "isolation.level other than read_committed (bare or under Streams' producer./consumer./main.consumer./"
            + "restore.consumer./global.consumer. prefixes).";
    public static final String PRODUCER_PASS_THROUGH = GuaranteedSettings.PRODUCER_PREFIX + "*";
    private static final String PRODUCER_PASS_THROUGH_DOC = "A setting of every producer Kafka Streams runs for the "
            + "aggregator (the same as streams.producer.<key>), e.g. producer.linger.ms=5. The aggregator sets "
            + "max.in.flight.requests.per.connection=1 (as the enforcer: transactions v2 then log no out-of-order sequence "
            + "errors); the exactly-once rules of streams.* apply.";
    public static final String CONSUMER_PASS_THROUGH = GuaranteedSettings.CONSUMER_PREFIX + "*";
    private static final String CONSUMER_PASS_THROUGH_DOC = "A setting of every consumer Kafka Streams runs for the "
            + "aggregator (the same as streams.consumer.<key>), e.g. consumer.max.poll.records=2000. The exactly-once "
            + "rules of streams.* apply.";
    public static final String REGISTRY_PASS_THROUGH = GuaranteedSettings.REGISTRY_PREFIX + "*";
    private static final String REGISTRY_PASS_THROUGH_DOC = "A setting of the Avro serdes (Avro serde keys), without the "
            + "prefix: registry.basic.auth.user.info=user:password, registry.basic.auth.credentials.source=URL. "
            + "(Formerly serde.<key>, still read with a warning.)";

    private static final ConfigDef CONFIG_DEF = configDef();

    public AggregatorConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
        if (getLong(GRACE_CONFIG) > getLong(DEDUP_HORIZON_CONFIG)) {
            throw new ConfigException(GRACE_CONFIG, getLong(GRACE_CONFIG),
                    "must not exceed " + DEDUP_HORIZON_CONFIG + " (" + getLong(DEDUP_HORIZON_CONFIG)
                            + " ms): a late event must still be recognisable as a duplicate");
        }
        if (getLong(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG) >= getLong(ROCKSDB_CACHE_BYTES_CONFIG)) {
            throw new ConfigException(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG, getLong(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG),
                    "must be smaller than " + ROCKSDB_CACHE_BYTES_CONFIG);
        }
        zone();
        streamsOverrides();
        originals().keySet().stream().filter(k -> k.startsWith(DEPRECATED_SERDE_PREFIX)).sorted().forEach(k ->
                LOG.warn("Aggregator setting {} is deprecated: use {}{} (registry settings take the registry. prefix)", k,
                        GuaranteedSettings.REGISTRY_PREFIX, k.substring(DEPRECATED_SERDE_PREFIX.length())));
    }

    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        addKafkaGroup(def);
        addExactlyOnceGroup(def);
        addHttpGroup(def);
        addSecurityGroup(def);
        addWindowGroup(def);
        addPricingGroup(def);
        addValidationGroup(def);
        addResourceGroup(def);
        addPassThroughGroup(def);
        return def;
    }

    private static void addKafkaGroup(ConfigDef def) {
        int order = 0;
        def.define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, "127.0.0.1:9092", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, BOOTSTRAP_SERVERS_DOC, KAFKA_GROUP, ++order, Width.LONG, "Bootstrap servers")
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "http://127.0.0.1:8081", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, SCHEMA_REGISTRY_URL_DOC, KAFKA_GROUP, ++order, Width.LONG, "Schema registry URL")
                .define(APPLICATION_ID_CONFIG, Type.STRING, "tokenledger-aggregator", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, APPLICATION_ID_DOC, KAFKA_GROUP, ++order, Width.MEDIUM, "Application id")
                .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/tokenledger-aggregator",
                        new ConfigDef.NonEmptyString(), Importance.MEDIUM, STATE_DIR_DOC, KAFKA_GROUP, ++order, Width.LONG,
                        "State directory")
                .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM,
                        NUM_STREAM_THREADS_DOC, KAFKA_GROUP, ++order, Width.SHORT, "Stream threads")
                .define(REPLICATION_FACTOR_CONFIG, Type.INT, ReplicationFactor.BROKER_DEFAULT, ReplicationFactor.VALIDATOR,
                        Importance.MEDIUM, REPLICATION_FACTOR_DOC, KAFKA_GROUP, ++order, Width.SHORT, "Replication factor");
    }

    private static void addExactlyOnceGroup(ConfigDef def) {
        def.define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 1_000L, Range.between(10L, 60_000L), Importance.MEDIUM,
                COMMIT_INTERVAL_MS_DOC, EXACTLY_ONCE_GROUP, 1, Width.SHORT, "Commit interval (ms)");
    }

    private static void addHttpGroup(ConfigDef def) {
        int order = 0;
        def.define(HTTP_PORT_CONFIG, Type.INT, 7081, Range.between(-1, 65_535), Importance.MEDIUM, HTTP_PORT_DOC,
                        HTTP_GROUP, ++order, Width.SHORT, "HTTP port")
                .define(HTTP_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.LOW,
                        HTTP_HOST_DOC, HTTP_GROUP, ++order, Width.MEDIUM, "HTTP bind address")
                .define(HTTP_ADVERTISED_HOST_CONFIG, Type.STRING, null, Importance.LOW, HTTP_ADVERTISED_HOST_DOC,
                        HTTP_GROUP, ++order, Width.MEDIUM, "HTTP advertised host");
    }

    private static void addSecurityGroup(ConfigDef def) {
        int order = 0;
        def.define(HTTP_TOKEN_CONFIG, Type.PASSWORD, null, Importance.LOW, HTTP_TOKEN_DOC,
                        SECURITY_GROUP, ++order, Width.MEDIUM, "HTTP bearer token")
                .define(HTTP_TENANT_TOKENS_CONFIG, Type.PASSWORD, null, Importance.LOW, HTTP_TENANT_TOKENS_DOC,
                        SECURITY_GROUP, ++order, Width.LONG, "HTTP tenant tokens");
    }

    private static void addWindowGroup(ConfigDef def) {
        int order = 0;
        def.define(TIME_ZONE_CONFIG, Type.STRING, "UTC", ConfigDef.LambdaValidator.with(AggregatorConfig::validZone,
                        () -> "an IANA zone id (UTC, Europe/Paris, ...)"), Importance.HIGH, TIME_ZONE_DOC,
                        WINDOWS_GROUP, ++order, Width.MEDIUM, "Time zone")
                .define(GRACE_CONFIG, Type.LONG, Duration.ofHours(72).toMillis(), Range.atLeast(0L), Importance.HIGH,
                        GRACE_DOC, WINDOWS_GROUP, ++order, Width.SHORT, "Window grace (ms)")
                .define(DEDUP_HORIZON_CONFIG, Type.LONG, Duration.ofDays(7).toMillis(), Range.atLeast(60_000L),
                        Importance.HIGH, DEDUP_HORIZON_DOC, WINDOWS_GROUP, ++order, Width.SHORT, "Dedup horizon (ms)")
                .define(FLUSH_INTERVAL_CONFIG, Type.LONG, 1000L, Range.between(0L, 60_000L), Importance.MEDIUM,
                        FLUSH_INTERVAL_DOC, WINDOWS_GROUP, ++order, Width.SHORT, "Spend flush interval (ms)")
                .define(TAIL_DIMENSIONS_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, TAIL_DIMENSIONS_DOC,
                        WINDOWS_GROUP, ++order, Width.SHORT, "Long-tail dimensions live")
                .define(STATS_WINDOW_CONFIG, Type.LONG, Duration.ofHours(24).toMillis(),
                        Range.between(Duration.ofHours(1).toMillis(), Duration.ofDays(30).toMillis()), Importance.MEDIUM,
                        STATS_WINDOW_DOC, WINDOWS_GROUP, ++order, Width.SHORT, "Output stats window (ms)");
    }

    private static void addPricingGroup(ConfigDef def) {
        int order = 0;
        def.define(DEFAULT_CATALOG_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, DEFAULT_CATALOG_DOC,
                        PRICING_GROUP, ++order, Width.SHORT, "Shipped price catalog")
                .define(UNPRICED_ALERT_INTERVAL_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(0L),
                        Importance.MEDIUM, UNPRICED_ALERT_INTERVAL_DOC, PRICING_GROUP, ++order, Width.SHORT,
                        "Unpriced alert interval (ms)")
                .define(CATALOG_MAX_AGE_DAYS_CONFIG, Type.INT, 90, Range.atLeast(0), Importance.LOW, CATALOG_MAX_AGE_DAYS_DOC,
                        PRICING_GROUP, ++order, Width.SHORT, "Catalog max age (days)");
    }

    private static void addValidationGroup(ConfigDef def) {
        int order = 0;
        def.define(FUTURE_SKEW_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(0L), Importance.MEDIUM,
                        FUTURE_SKEW_DOC, VALIDATION_GROUP, ++order, Width.SHORT, "Future skew limit (ms)")
                .define(MAX_TOKENS_CONFIG, Type.LONG, 50_000_000L, Range.atLeast(1L), Importance.MEDIUM, MAX_TOKENS_DOC,
                        VALIDATION_GROUP, ++order, Width.SHORT, "Max tokens per class");
    }

    private static void addResourceGroup(ConfigDef def) {
        int order = 0;
        def.define(ROCKSDB_CACHE_BYTES_CONFIG, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1024L * 1024),
                        Importance.LOW, ROCKSDB_CACHE_BYTES_DOC, RESOURCES_GROUP, ++order, Width.SHORT, "RocksDB block cache")
                .define(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG, Type.LONG, 128L * 1024 * 1024, Range.atLeast(64L * 1024),
                        Importance.LOW, ROCKSDB_WRITE_BUFFER_BYTES_DOC, RESOURCES_GROUP, ++order, Width.SHORT,
                        "RocksDB write buffers");
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

    private static void validZone(String name, Object value) {
        try {
            ZoneId.of(String.valueOf(value));
        } catch (RuntimeException e) {
            throw new ConfigException(name, value, "not a time zone id (use e.g. UTC, Europe/Paris, America/New_York)");
        }
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS_CONFIG);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public String stateDir() {
        return getString(STATE_DIR_CONFIG);
    }

    public int numStreamThreads() {
        return getInt(NUM_STREAM_THREADS_CONFIG);
    }

    /** Replication factor of Kafka Streams' internal topics; -1 for the brokers' default. */
    public int replicationFactor() {
        return getInt(REPLICATION_FACTOR_CONFIG);
    }

    public long commitIntervalMs() {
        return getLong(COMMIT_INTERVAL_MS_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    /** Host advertised to other instances (application.server). */
    public String httpAdvertisedHost() {
        String advertised = getString(HTTP_ADVERTISED_HOST_CONFIG);
        return advertised == null || advertised.isBlank() ? httpHost() : advertised;
    }

    /** The bearer token the HTTP API requires, or null when it is open. */
    public String httpToken() {
        return getPassword(HTTP_TOKEN_CONFIG) == null ? null : getPassword(HTTP_TOKEN_CONFIG).value();
    }

    /** Tenant-scoped tokens of the HTTP API, token -> tenant (empty when none). */
    public Map<String, String> httpTenantTokens() {
        Password p = getPassword(HTTP_TENANT_TOKENS_CONFIG);
        try {
            return TenantScope.parseTokens(p == null ? null : p.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(HTTP_TENANT_TOKENS_CONFIG + ": " + e.getMessage());
        }
    }

    public ZoneId zone() {
        return ZoneId.of(getString(TIME_ZONE_CONFIG));
    }

    public Duration grace() {
        return Duration.ofMillis(getLong(GRACE_CONFIG));
    }

    public Duration dedupHorizon() {
        return Duration.ofMillis(getLong(DEDUP_HORIZON_CONFIG));
    }

    public Duration futureSkewLimit() {
        return Duration.ofMillis(getLong(FUTURE_SKEW_CONFIG));
    }

    public long maxTokensPerClass() {
        return getLong(MAX_TOKENS_CONFIG);
    }

    public Duration flushInterval() {
        return Duration.ofMillis(getLong(FLUSH_INTERVAL_CONFIG));
    }

    /** Whether ROOT_REQUEST and TENANT_USER are aggregated here too ({@value #TAIL_DIMENSIONS_CONFIG}). */
    public boolean tailDimensions() {
        return getBoolean(TAIL_DIMENSIONS_CONFIG);
    }

    public Duration unpricedAlertInterval() {
        return Duration.ofMillis(getLong(UNPRICED_ALERT_INTERVAL_CONFIG));
    }

    public Duration statsWindow() {
        return Duration.ofMillis(getLong(STATS_WINDOW_CONFIG));
    }

    public boolean useDefaultCatalog() {
        return getBoolean(DEFAULT_CATALOG_CONFIG);
    }

    /** Days after which the catalog in force draws a start-up warning; 0 when the warning is off. */
    public int catalogMaxAgeDays() {
        return getInt(CATALOG_MAX_AGE_DAYS_CONFIG);
    }

    public long rocksDbCacheBytes() {
        return getLong(ROCKSDB_CACHE_BYTES_CONFIG);
    }

    public long rocksDbWriteBufferBytes() {
        return getLong(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG);
    }

    /**
     * The Kafka Streams settings passed through: {@code streams.<key>} without the prefix,
     * {@code producer.<key>} and {@code consumer.<key>} as they are (Streams' own client prefixes).
     *
     * @throws ConfigException for an override that would break exactly_once_v2, naming the key
     */
    public Map<String, Object> streamsOverrides() {
        return GuaranteedSettings.streamsPassThrough(originals());
    }

    /**
     * Settings of the Avro serdes: the registry URL plus every {@code registry.<key>} without the
     * prefix (and the deprecated {@code serde.<key>}, which {@code registry.} wins over).
     */
    public Map<String, Object> registryConfig() {
        Map<String, Object> registry = new HashMap<>(originalsWithPrefix(DEPRECATED_SERDE_PREFIX));
        registry.putAll(originalsWithPrefix(GuaranteedSettings.REGISTRY_PREFIX));
        registry.put(SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl());
        return registry;
    }
}
