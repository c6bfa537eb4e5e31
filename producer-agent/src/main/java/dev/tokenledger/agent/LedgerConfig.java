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
package dev.tokenledger.agent;

import dev.tokenledger.agent.emit.DropPolicy;
import dev.tokenledger.agent.emit.FsyncPolicy;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of a {@link TokenLedger}. Keys prefixed {@code producer.} are passed to the Kafka producer
 * (e.g. {@code producer.security.protocol=SASL_SSL}, {@code producer.sasl.jaas.config=...}); keys prefixed
 * {@code registry.} to the schema-registry serializer (e.g. {@code registry.basic.auth.user.info}), the
 * prefixes every TokenLedger app uses ({@link GuaranteedSettings}). A producer override that would break
 * idempotence (which the spool's resend path relies on) is refused at construction.
 */
public final class LedgerConfig extends AbstractConfig {
    public static final String PRODUCER_PREFIX = GuaranteedSettings.PRODUCER_PREFIX;
    public static final String REGISTRY_PREFIX = GuaranteedSettings.REGISTRY_PREFIX;

    public static final String ENVIRONMENT_CONFIG = "environment";
    private static final String ENVIRONMENT_DOC = "Deployment environment stamped on every event (production, staging, ...), so staging traffic "
            + "never pollutes production cost series.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers the usage events are sent to.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry used to serialize events (Confluent wire format).";

    public static final String TOPIC_CONFIG = "topic";
    private static final String TOPIC_DOC = "Topic the usage events are written to.";

    public static final String SPOOL_DIR_CONFIG = "spool.dir";
    private static final String SPOOL_DIR_DOC = "Directory of the local spool that keeps events while Kafka is unreachable. Use a persistent, "
            + "per-process directory: an agent started on the same directory sends what a previous run left.";

    public static final String QUEUE_CAPACITY_CONFIG = "queue.capacity";
    private static final String QUEUE_CAPACITY_DOC = "Events held in memory between the caller and the sender thread. When full, drop.policy applies.";

    public static final String SPOOL_MAX_BYTES_CONFIG = "spool.max.bytes";
    private static final String SPOOL_MAX_BYTES_DOC = "Upper bound of the spool on disk. When full, drop.policy applies (DROP_OLDEST deletes the "
            + "oldest segment).";

    public static final String SPOOL_SEGMENT_BYTES_CONFIG = "spool.segment.bytes";
    private static final String SPOOL_SEGMENT_BYTES_DOC = "Size of one spool segment file: the unit DROP_OLDEST deletes.";

    public static final String SPOOL_FSYNC_POLICY_CONFIG = "spool.fsync.policy";
    private static final String SPOOL_FSYNC_POLICY_DOC = "EVERY_BATCH: fsync after each batch written by the sender (survives power loss except the "
            + "batch in flight); INTERVAL: at most once per spool.fsync.interval.ms; NONE: leave it to the OS. All survive a process crash. "
            + "EVERY_BATCH and INTERVAL also fsync the read position (spool.position, written to a temp file and renamed) and the directory each "
                    + "time the drainer releases a batch.";

    public static final String SPOOL_FSYNC_INTERVAL_MS_CONFIG = "spool.fsync.interval.ms";
    private static final String SPOOL_FSYNC_INTERVAL_MS_DOC = "Interval for spool.fsync.policy=INTERVAL.";

    public static final String DROP_POLICY_CONFIG = "drop.policy";
    private static final String DROP_POLICY_DOC = "What to drop when the queue or the spool is full: DROP_OLDEST keeps the newest events, "
            + "DROP_NEWEST keeps what is held. Every drop is counted in the metrics and logged.";

    public static final String USER_ID_HMAC_KEY_CONFIG = "user.id.hmac.key";
    private static final String USER_ID_HMAC_KEY_DOC = "When set (at least 16 bytes), user ids are replaced by HMAC-SHA256(key, user id) in hex "
            + "before they leave the process: in events and in the user field sent to providers.";

    public static final String STREAM_MAX_DURATION_MS_CONFIG = "stream.guard.max.duration.ms";
    private static final String STREAM_MAX_DURATION_MS_DOC = "Default wall-clock limit of a streamed logical request (from its first streamed call); "
            + "the guard cuts the stream with reason TIMEOUT. Per-feature overrides via TokenLedger.Builder.streamLimits.";

    public static final String STREAM_MAX_TOOL_CALLS_CONFIG = "stream.guard.max.tool.calls";
    private static final String STREAM_MAX_TOOL_CALLS_DOC = "Default limit on tool calls per logical request (summed over its streamed calls); the "
            + "guard cuts with reason TOOL_CALL_LIMIT.";

    public static final String PROBE_INTERVAL_MS_CONFIG = "kafka.probe.interval.ms";
    private static final String PROBE_INTERVAL_MS_DOC = "How often the drainer retries Kafka while it is unreachable.";

    public static final String CLOSE_TIMEOUT_MS_CONFIG = "close.timeout.ms";
    private static final String CLOSE_TIMEOUT_MS_DOC = "How long close() may spend delivering what the agent holds (queued, in flight, spooled), "
            + "connecting to Kafka and the schema registry first if it had not yet. "
            + "What is not delivered by then stays in spool.dir for the next agent started on it.";

    public static final String PRODUCER_PASS_THROUGH = PRODUCER_PREFIX + "*";
    private static final String PRODUCER_PASS_THROUGH_DOC = "A Kafka producer setting, passed without the prefix: "
            + "producer.security.protocol=SASL_SSL, producer.sasl.jaas.config=..., producer.linger.ms=20. Refused at start, "
            + "because the spool-and-resend path relies on an idempotent producer (a resent event is written once, in "
            + "order): enable.idempotence=false, acks other than all, max.in.flight.requests.per.connection above 5, "
            + "retries=0, and any transactional.id.";
    public static final String REGISTRY_PASS_THROUGH = REGISTRY_PREFIX + "*";
    private static final String REGISTRY_PASS_THROUGH_DOC = "A setting of the Avro serializer (Avro serde keys), without "
            + "the prefix: registry.basic.auth.user.info=user:password, registry.auto.register.schemas=false.";

    public static final String KAFKA_GROUP = "Kafka";
    public static final String SPOOL_GROUP = "Spool";
    public static final String SECURITY_GROUP = "Security";
    public static final String STREAM_GUARD_GROUP = "Stream guard";
    public static final String PASS_THROUGH_GROUP = "Pass-through";

    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        final ConfigDef def = new ConfigDef();
        addKafkaGroup(def);
        addSpoolGroup(def);
        addSecurityGroup(def);
        addStreamGuardGroup(def);
        addPassThroughGroup(def);
        return def;
    }

    private static void addKafkaGroup(ConfigDef def) {
        int order = 0;
        def.define(ENVIRONMENT_CONFIG, Type.STRING, "production", new ConfigDef.NonEmptyString(), Importance.HIGH, ENVIRONMENT_DOC,
                        KAFKA_GROUP, ++order, Width.SHORT, "Environment")
                .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        BOOTSTRAP_SERVERS_DOC, KAFKA_GROUP, ++order, Width.LONG, "Bootstrap servers")
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        SCHEMA_REGISTRY_URL_DOC, KAFKA_GROUP, ++order, Width.LONG, "Schema registry URL")
                .define(TOPIC_CONFIG, Type.STRING, Topics.USAGE_TOPIC, new ConfigDef.NonEmptyString(), Importance.LOW, TOPIC_DOC,
                        KAFKA_GROUP, ++order, Width.MEDIUM, "Usage topic")
                .define(PROBE_INTERVAL_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.atLeast(10), Importance.LOW, PROBE_INTERVAL_MS_DOC,
                        KAFKA_GROUP, ++order, Width.SHORT, "Kafka probe interval (ms)")
                .define(CLOSE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW, CLOSE_TIMEOUT_MS_DOC,
                        KAFKA_GROUP, ++order, Width.SHORT, "Close timeout (ms)");
    }

    private static void addSpoolGroup(ConfigDef def) {
        int order = 0;
        def.define(SPOOL_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/tokenledger-spool", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, SPOOL_DIR_DOC, SPOOL_GROUP, ++order, Width.LONG, "Spool directory")
                .define(QUEUE_CAPACITY_CONFIG, Type.INT, 65_536, ConfigDef.Range.between(16, 16_777_216), Importance.MEDIUM,
                        QUEUE_CAPACITY_DOC, SPOOL_GROUP, ++order, Width.SHORT, "Queue capacity")
                .define(SPOOL_MAX_BYTES_CONFIG, Type.LONG, 256L * 1024 * 1024, ConfigDef.Range.atLeast(4096), Importance.MEDIUM,
                        SPOOL_MAX_BYTES_DOC, SPOOL_GROUP, ++order, Width.SHORT, "Spool size limit")
                .define(SPOOL_SEGMENT_BYTES_CONFIG, Type.LONG, 16L * 1024 * 1024, ConfigDef.Range.atLeast(1024), Importance.LOW,
                        SPOOL_SEGMENT_BYTES_DOC, SPOOL_GROUP, ++order, Width.SHORT, "Spool segment size")
                .define(SPOOL_FSYNC_POLICY_CONFIG, Type.STRING, FsyncPolicy.EVERY_BATCH.name(), enumValidator(FsyncPolicy.class),
                        Importance.MEDIUM, SPOOL_FSYNC_POLICY_DOC, SPOOL_GROUP, ++order, Width.SHORT, "Spool fsync policy")
                .define(SPOOL_FSYNC_INTERVAL_MS_CONFIG, Type.LONG, 1000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                        SPOOL_FSYNC_INTERVAL_MS_DOC, SPOOL_GROUP, ++order, Width.SHORT, "Spool fsync interval (ms)")
                .define(DROP_POLICY_CONFIG, Type.STRING, DropPolicy.DROP_OLDEST.name(), enumValidator(DropPolicy.class), Importance.MEDIUM,
                        DROP_POLICY_DOC, SPOOL_GROUP, ++order, Width.SHORT, "Drop policy");
    }

    private static void addSecurityGroup(ConfigDef def) {
        def.define(USER_ID_HMAC_KEY_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, USER_ID_HMAC_KEY_DOC,
                SECURITY_GROUP, 1, Width.MEDIUM, "User id HMAC key");
    }

    private static void addStreamGuardGroup(ConfigDef def) {
        int order = 0;
        def.define(STREAM_MAX_DURATION_MS_CONFIG, Type.LONG, 120_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        STREAM_MAX_DURATION_MS_DOC, STREAM_GUARD_GROUP, ++order, Width.SHORT, "Stream max duration (ms)")
                .define(STREAM_MAX_TOOL_CALLS_CONFIG, Type.INT, 25, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        STREAM_MAX_TOOL_CALLS_DOC, STREAM_GUARD_GROUP, ++order, Width.SHORT, "Stream max tool calls");
    }

    /** Documents the pass-through prefixes: these entries are never read, the prefixed keys are. */
    private static void addPassThroughGroup(ConfigDef def) {
        int order = 0;
        def.define(PRODUCER_PASS_THROUGH, Type.STRING, null, Importance.LOW, PRODUCER_PASS_THROUGH_DOC,
                        PASS_THROUGH_GROUP, ++order, Width.LONG, "Producer settings")
                .define(REGISTRY_PASS_THROUGH, Type.STRING, null, Importance.LOW, REGISTRY_PASS_THROUGH_DOC,
                        PASS_THROUGH_GROUP, ++order, Width.LONG, "Schema registry settings");
    }

    public LedgerConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props);
        Password key = getPassword(USER_ID_HMAC_KEY_CONFIG);
        if (key != null && key.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
            throw new ConfigException(USER_ID_HMAC_KEY_CONFIG, "[hidden]", "the HMAC key must be at least 16 bytes");
        }
        TagRules.identifier(ENVIRONMENT_CONFIG, getString(ENVIRONMENT_CONFIG));
        GuaranteedSettings.requireIdempotentProducer(originalsWithPrefix(PRODUCER_PREFIX), PRODUCER_PREFIX);
    }

    public String environment() {
        return getString(ENVIRONMENT_CONFIG);
    }

    public DropPolicy dropPolicy() {
        return DropPolicy.valueOf(getString(DROP_POLICY_CONFIG).toUpperCase(Locale.ROOT));
    }

    public FsyncPolicy fsyncPolicy() {
        return FsyncPolicy.valueOf(getString(SPOOL_FSYNC_POLICY_CONFIG).toUpperCase(Locale.ROOT));
    }

    /**
     * Producer settings: safe defaults, then every {@code producer.*} key (SASL/SSL, tuning) on top; the
     * constructor refused those that would break idempotence.
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS_CONFIG));
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", "lz4");
        p.put("linger.ms", "5");
        // the sender/drainer threads, not the caller, block here; short so an outage is noticed fast
        p.put("max.block.ms", "1000");
        p.put("request.timeout.ms", "10000");
        p.put("delivery.timeout.ms", "30000");
        p.put("client.id", "tokenledger-agent-" + environment());
        p.putAll(originalsWithPrefix(PRODUCER_PREFIX));
        return p;
    }

    /** Serializer settings: the registry URL plus every {@code registry.*} key. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> s = new HashMap<>();
        s.put("schema.registry.url", getString(SCHEMA_REGISTRY_URL_CONFIG));
        s.putAll(originalsWithPrefix(REGISTRY_PREFIX));
        return s;
    }

    private static <E extends Enum<E>> ConfigDef.Validator enumValidator(Class<E> type) {
        String[] names = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toArray(String[]::new);
        return ConfigDef.CaseInsensitiveValidString.in(names);
    }
}
