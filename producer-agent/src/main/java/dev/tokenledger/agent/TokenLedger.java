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

import dev.tokenledger.agent.emit.AgentMetrics;
import dev.tokenledger.agent.emit.DropPolicy;
import dev.tokenledger.agent.emit.EventPipeline;
import dev.tokenledger.agent.emit.FsyncPolicy;
import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.agent.emit.Spool;
import dev.tokenledger.agent.stream.LogicalRequests;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;

/**
 * The producer agent a service embeds: tags every LLM call, reads the provider's authoritative usage and
 * emits one {@link UsageEvent} per call to {@code tokenledger.usage.v1} (key: feature_id) without ever
 * blocking or failing the caller.
 *
 * <pre>{@code
 * TokenLedger ledger = TokenLedger.builder()
 *         .environment("production").bootstrapServers("kafka:9092").registryUrl("http://registry:8081")
 *         .spoolDir(Path.of("/var/lib/myservice/tokenledger")).build();
 * try (LedgerCall call = ledger.begin(Attribution.feature("summarize_email_v2").tenant("acme").user("u-17").plan("pro"))) {
 *     String body = httpPostToProvider(...);
 *     call.recordResponse(ProviderApi.ANTHROPIC_MESSAGES, body);
 * }
 * }</pre>
 *
 * Emission: {@link EventPipeline} (bounded queue → sender thread → idempotent producer, or the disk
 * {@link Spool} while Kafka is unreachable). Streams: {@link LedgerCall#stream(ProviderApi)}.
 */
public final class TokenLedger implements AutoCloseable {
    private static final long WATCHDOG_PERIOD_MS = 100;

    private final LedgerConfig config;
    private final String environment;
    private final EventPipeline pipeline;
    private final AgentMetrics metrics;
    private final UserIdHasher hasher;
    private final StreamLimits defaultLimits;
    private final Map<String, StreamLimits> featureLimits;
    private final LogicalRequests logicalRequests;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Set<StreamGuard> activeGuards = ConcurrentHashMap.newKeySet();
    private final Consumer<UsageEvent> emitted;
    private volatile ScheduledExecutorService watchdog;

    private TokenLedger(Builder b) {
        this.config = new LedgerConfig(b.props);
        this.environment = config.environment();
        if (!b.props.containsKey(LedgerConfig.ENVIRONMENT_CONFIG)) {
            // the default keeps a forgotten setting from losing events, but a staging deploy would count as production
            LoggerFactory.getLogger(TokenLedger.class).warn("TokenLedger: '{}' is not set, every event is stamped '{}'; set it "
                    + "(TokenLedger.builder().environment(...)) in every deployment that is not production", LedgerConfig.ENVIRONMENT_CONFIG,
                    environment);
        }
        this.metrics = b.metrics != null ? b.metrics : new InMemoryAgentMetrics();
        this.clock = b.clock;
        this.nanoClock = b.nanoClock;
        this.emitted = b.emitted;
        Password key = config.getPassword(LedgerConfig.USER_ID_HMAC_KEY_CONFIG);
        this.hasher = key == null ? null : new UserIdHasher(key.value().getBytes(StandardCharsets.UTF_8));
        this.defaultLimits = StreamLimits.of(Duration.ofMillis(config.getLong(LedgerConfig.STREAM_MAX_DURATION_MS_CONFIG)),
                config.getInt(LedgerConfig.STREAM_MAX_TOOL_CALLS_CONFIG));
        this.featureLimits = Map.copyOf(b.featureLimits);
        long retain = Math.max(defaultLimits.maxDuration().toNanos(),
                featureLimits.values().stream().mapToLong(l -> l.maxDuration().toNanos()).max().orElse(0)) * 2;
        this.logicalRequests = new LogicalRequests(nanoClock, retain);
        Spool spool = new Spool(Path.of(config.getString(LedgerConfig.SPOOL_DIR_CONFIG)),
                config.getLong(LedgerConfig.SPOOL_MAX_BYTES_CONFIG), config.getLong(LedgerConfig.SPOOL_SEGMENT_BYTES_CONFIG),
                config.dropPolicy(), config.fsyncPolicy(), config.getLong(LedgerConfig.SPOOL_FSYNC_INTERVAL_MS_CONFIG), metrics);
        Producer<String, UsageEvent> producer;
        try {
            producer = b.producerFactory != null ? b.producerFactory.apply(config) : defaultProducer(config);
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
        this.pipeline = new EventPipeline(config.getString(LedgerConfig.TOPIC_CONFIG), producer, spool,
                config.getInt(LedgerConfig.QUEUE_CAPACITY_CONFIG), config.dropPolicy(),
                Duration.ofMillis(config.getLong(LedgerConfig.PROBE_INTERVAL_MS_CONFIG)),
                Duration.ofMillis(Math.max(1000, Long.parseLong(String.valueOf(config.producerConfig().get("delivery.timeout.ms"))) + 5000)),
                metrics);
    }

    static Producer<String, UsageEvent> defaultProducer(LedgerConfig config) {
        SpecificAvroSerializer<UsageEvent> value = new SpecificAvroSerializer<>(UsageEvent.class);
        value.configure(config.serdeConfig(), false);
        return new KafkaProducer<>(config.producerConfig(), new StringSerializer(), value);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a call. The thread's current {@link LedgerContext} (an enclosing call, an executor hand-off,
     * incoming headers) supplies the root/parent request and missing tenant/user/plan.
     *
     * @throws MissingFeatureTagException when {@code attribution} is null
     */
    public LedgerCall begin(Attribution attribution) {
        if (attribution == null) {
            throw new MissingFeatureTagException(null);
        }
        return new LedgerCall(this, attribution, LedgerContext.current());
    }

    /**
     * Starts a call that is not bound to the calling thread: no {@link LedgerContext} is read from or made
     * current on it, so a server that multiplexes many calls on one event-loop thread (the gateway proxy)
     * keeps them apart. The attribution alone gives root and parent; close it from any thread.
     *
     * @throws MissingFeatureTagException when {@code attribution} is null
     */
    public LedgerCall beginUnbound(Attribution attribution) {
        if (attribution == null) {
            throw new MissingFeatureTagException(null);
        }
        return new LedgerCall(this, attribution, null, false);
    }

    /** Counters of the emission path. */
    public AgentMetrics metrics() {
        return metrics;
    }

    /** True while events go straight to Kafka (reachable and nothing left in the spool). */
    public boolean isLive() {
        return pipeline.isLive();
    }

    /** Events waiting in the disk spool. */
    public long spooledPending() {
        return pipeline.spooledPending();
    }

    public String environment() {
        return environment;
    }

    public LedgerConfig config() {
        return config;
    }

    /** The stream limits of a feature (its override, or the configured defaults). */
    public StreamLimits limitsFor(String featureId) {
        return featureLimits.getOrDefault(featureId, defaultLimits);
    }

    String userIdForExport(String userId) {
        return hasher == null ? userId : hasher.hash(userId);
    }

    void emit(UsageEvent event) {
        pipeline.emit(event);
        if (emitted != null) {
            try {
                emitted.accept(event);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(TokenLedger.class).warn("TokenLedger: the emitted-event listener failed on call {}: {}",
                        event.getRequestId(), e.toString());
            }
        }
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    Instant now() {
        return clock.instant();
    }

    StreamGuard newGuard(LedgerCall call, ProviderApi api) {
        LogicalRequests.State state = logicalRequests.join(call.rootRequestId());
        StreamGuard guard = new StreamGuard(api, call.limits(), state, nanoClock, call);
        activeGuards.add(guard);
        ensureWatchdog();
        return guard;
    }

    private void ensureWatchdog() {
        if (watchdog != null) {
            return;
        }
        synchronized (this) {
            if (watchdog == null) {
                ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "tokenledger-stream-watchdog");
                    t.setDaemon(true);
                    return t;
                });
                w.scheduleAtFixedRate(this::checkStreams, WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
                watchdog = w;
            }
        }
    }

    private void checkStreams() {
        for (StreamGuard g : activeGuards) {
            if (g.isEnded()) {
                activeGuards.remove(g);
            } else {
                g.check();
            }
        }
    }

    /**
     * Delivers what was recorded: queued and spooled events are sent while Kafka answers within
     * {@code close.timeout.ms} (connecting first if the agent had not yet: a short-lived process that records a
     * few calls and closes at once still delivers them). What is not delivered by then stays in
     * {@code spool.dir} and is sent by the next agent started on that directory; the close log line says how
     * many were sent and how many are left where.
     */
    @Override
    public void close() {
        ScheduledExecutorService w = watchdog;
        if (w != null) {
            w.shutdownNow();
        }
        pipeline.close(Duration.ofMillis(config.getLong(LedgerConfig.CLOSE_TIMEOUT_MS_CONFIG)));
    }

    /** Builds a {@link TokenLedger}; every setter maps to a {@link LedgerConfig} key. */
    public static final class Builder {
        private final Map<String, Object> props = new HashMap<>();
        private final Map<String, StreamLimits> featureLimits = new HashMap<>();
        private AgentMetrics metrics;
        private Function<LedgerConfig, Producer<String, UsageEvent>> producerFactory;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoClock = System::nanoTime;
        private Consumer<UsageEvent> emitted;

        private Builder() {
        }

        public Builder environment(String environment) {
            return property(LedgerConfig.ENVIRONMENT_CONFIG, environment);
        }

        public Builder bootstrapServers(String servers) {
            return property(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        }

        public Builder registryUrl(String url) {
            return property(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG, url);
        }

        public Builder topic(String topic) {
            return property(LedgerConfig.TOPIC_CONFIG, topic);
        }

        public Builder spoolDir(Path dir) {
            return property(LedgerConfig.SPOOL_DIR_CONFIG, dir.toString());
        }

        public Builder queueCapacity(int events) {
            return property(LedgerConfig.QUEUE_CAPACITY_CONFIG, events);
        }

        public Builder spoolMaxBytes(long bytes) {
            return property(LedgerConfig.SPOOL_MAX_BYTES_CONFIG, bytes);
        }

        public Builder spoolSegmentBytes(long bytes) {
            return property(LedgerConfig.SPOOL_SEGMENT_BYTES_CONFIG, bytes);
        }

        public Builder fsyncPolicy(FsyncPolicy policy) {
            return property(LedgerConfig.SPOOL_FSYNC_POLICY_CONFIG, policy.name());
        }

        public Builder dropPolicy(DropPolicy policy) {
            return property(LedgerConfig.DROP_POLICY_CONFIG, policy.name());
        }

        /** Enables HMAC-SHA256 pseudonymisation of user ids (key ≥ 16 bytes; keep it in a secret store). */
        public Builder userIdHmacKey(String key) {
            return property(LedgerConfig.USER_ID_HMAC_KEY_CONFIG, key);
        }

        /** Default stream limits for every feature. */
        public Builder streamLimits(StreamLimits limits) {
            property(LedgerConfig.STREAM_MAX_DURATION_MS_CONFIG, limits.maxDuration().toMillis());
            return property(LedgerConfig.STREAM_MAX_TOOL_CALLS_CONFIG, limits.maxToolCalls());
        }

        /** Stream limits for one feature. */
        public Builder streamLimits(String featureId, StreamLimits limits) {
            featureLimits.put(TagRules.identifier("feature", featureId), limits);
            return this;
        }

        public Builder probeInterval(Duration interval) {
            return property(LedgerConfig.PROBE_INTERVAL_MS_CONFIG, interval.toMillis());
        }

        public Builder closeTimeout(Duration timeout) {
            return property(LedgerConfig.CLOSE_TIMEOUT_MS_CONFIG, timeout.toMillis());
        }

        /** A Kafka producer setting (SASL/SSL, tuning), e.g. {@code ("security.protocol", "SASL_SSL")}. */
        public Builder producerProperty(String key, Object value) {
            return property(LedgerConfig.PRODUCER_PREFIX + key, value);
        }

        /** A schema-registry serializer setting, e.g. {@code ("basic.auth.user.info", "u:p")}. */
        public Builder registryProperty(String key, Object value) {
            return property(LedgerConfig.REGISTRY_PREFIX + key, value);
        }

        /** Any {@link LedgerConfig} key. */
        public Builder property(String key, Object value) {
            props.put(key, value);
            return this;
        }

        public Builder properties(Map<String, ?> values) {
            props.putAll(values);
            return this;
        }

        public Builder metrics(AgentMetrics sink) {
            this.metrics = sink;
            return this;
        }

        /** Test seam: the producer to use instead of a KafkaProducer (e.g. a MockProducer). */
        public Builder producer(Producer<String, UsageEvent> producer) {
            this.producerFactory = c -> producer;
            return this;
        }

        public Builder clock(Clock eventClock) {
            this.clock = eventClock;
            return this;
        }

        /** Test seam: the monotonic clock of latencies and stream limits. */
        public Builder nanoClock(LongSupplier nanos) {
            this.nanoClock = nanos;
            return this;
        }

        /**
         * Called with every event once it is handed to the pipeline, on the recording thread (a gateway settles
         * the call's budget hold with the event's exact usage). Must be quick and must not throw.
         */
        public Builder onEmitted(Consumer<UsageEvent> listener) {
            this.emitted = listener;
            return this;
        }

        public TokenLedger build() {
            return new TokenLedger(this);
        }
    }
}
