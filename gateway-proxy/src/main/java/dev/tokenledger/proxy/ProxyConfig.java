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
package dev.tokenledger.proxy;

import dev.tokenledger.agent.LedgerConfig;
import dev.tokenledger.agent.TagRules;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the gateway proxy ({@code tokenledger proxy --config FILE --set key=value}): where it
 * listens, which upstream each provider's calls go to, the route defaults for untagged calls, how a call's
 * worst case is sized for the budget gate, and the stream guard's limits per feature. Keys prefixed
 * {@code producer.} go to the usage producer and the gate's producer, {@code consumer.} to the gate's
 * consumers, {@code registry.} to the Avro serdes, the prefixes every TokenLedger app uses
 * ({@link GuaranteedSettings}); a setting that would break idempotence or read_committed is refused at start.
 */
public final class ProxyConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers: usage events go there, budget state and leases come from there.";
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Confluent-compatible schema registry URL.";
    public static final String ENVIRONMENT_CONFIG = "environment";
    private static final String ENVIRONMENT_DOC = "Deployment environment stamped on every usage event (production, staging, ...).";
    public static final String SPOOL_DIR_CONFIG = "spool.dir";
    private static final String SPOOL_DIR_DOC = "Disk spool of usage events while Kafka is unreachable (the producer agent's spool.dir); "
            + "use a persistent directory per proxy instance: events left there are sent by the next start.";

    public static final String HTTP_HOST_CONFIG = "http.host";
    private static final String HTTP_HOST_DOC = "Address the proxy listens on. 0.0.0.0 for every interface (in a container).";
    public static final String HTTP_PORT_CONFIG = "http.port";
    private static final String HTTP_PORT_DOC = "Port the proxy listens on; 0 picks a free one (printed as proxy=http://HOST:PORT).";
    public static final String REQUEST_MAX_BYTES_CONFIG = "request.max.bytes";
    private static final String REQUEST_MAX_BYTES_DOC = "Largest request body accepted (the body is read whole to size the call's worst "
            + "case); a larger one is answered 413 before anything goes upstream.";

    public static final String UPSTREAM_ANTHROPIC_CONFIG = "upstream.anthropic.url";
    private static final String UPSTREAM_ANTHROPIC_DOC = "Base URL of Anthropic calls (/v1/messages): scheme, host and port replace the "
            + "proxy's, the request path and query are kept.";
    public static final String UPSTREAM_OPENAI_CONFIG = "upstream.openai.url";
    private static final String UPSTREAM_OPENAI_DOC = "Base URL of OpenAI calls (/v1/chat/completions, /v1/responses).";
    public static final String UPSTREAM_GOOGLE_CONFIG = "upstream.google.url";
    private static final String UPSTREAM_GOOGLE_DOC = "Base URL of Gemini calls (/v1beta/models/{model}:generateContent and :streamGenerateContent).";
    public static final String UPSTREAM_CONNECT_TIMEOUT_MS_CONFIG = "upstream.connect.timeout.ms";
    private static final String UPSTREAM_CONNECT_TIMEOUT_MS_DOC = "Connect timeout to an upstream; a call that cannot connect is answered 502 "
            + "and recorded FAILED (upstream_unreachable).";
    public static final String UPSTREAM_IDLE_TIMEOUT_MS_CONFIG = "upstream.idle.timeout.ms";
    private static final String UPSTREAM_IDLE_TIMEOUT_MS_DOC = "A non-streamed call whose upstream sends nothing for this long is answered 504 and "
            + "recorded FAILED (upstream_timeout). Streamed calls are bounded by the stream guard's time limit instead.";

    public static final String DEFAULT_FEATURE_CONFIG = "default.feature";
    private static final String DEFAULT_FEATURE_DOC = "Feature tag of a call that carries no x-tokenledger-feature header nor baggage member. "
            + "Empty (default): such a call is refused with 400 naming the missing header.";
    public static final String ROUTE_DEFAULT_FEATURES_CONFIG = "route.default.features";
    private static final String ROUTE_DEFAULT_FEATURES_DOC = "Feature tag per route for calls that carry none, ROUTE=FEATURE, comma-separated, "
            + "over default.feature: e.g. anthropic_messages=support_bot,gemini_generate_content=catalog_tagger. Routes: anthropic_messages, "
            + "openai_chat_completions, openai_responses, gemini_generate_content, gemini_stream_generate_content.";
    public static final String DEFAULT_TENANT_CONFIG = "default.tenant";
    private static final String DEFAULT_TENANT_DOC = "Tenant tag of a call that carries none. Empty: the event has no tenant.";
    public static final String DEFAULT_PLAN_CONFIG = "default.plan";
    private static final String DEFAULT_PLAN_DOC = "Plan tier tag of a call that carries none. Empty: the event has no plan tier.";

    public static final String BUDGET_ENABLED_CONFIG = "budget.enabled";
    private static final String BUDGET_ENABLED_DOC = "Ask the budget gate (budget leases from the enforcer) before every call; a deny is answered "
            + "429 with the gate's JSON payload and Retry-After before any byte goes upstream. false: calls are only tagged and metered.";
    public static final String GATE_STALE_AFTER_MS_CONFIG = "gate.stale.after.ms";
    private static final String GATE_STALE_AFTER_MS_DOC = "Budget state older than this (no heartbeat from the enforcer) is stale: each budget's "
            + "stale policy (OPEN, CLOSED, SAFE) decides.";
    public static final String MAX_OUTPUT_TOKENS_DEFAULT_CONFIG = "max.output.tokens.default";
    private static final String MAX_OUTPUT_TOKENS_DEFAULT_DOC = "Output tokens a call's worst case assumes when the request sets no max_tokens / "
            + "max_completion_tokens / max_output_tokens / generationConfig.maxOutputTokens (OpenAI and Gemini make it optional). Only "
            + "sizes the budget hold; usage is always read from the provider's answer.";
    public static final String PRICING_DEFAULT_CATALOG_CONFIG = "pricing.default.catalog";
    private static final String PRICING_DEFAULT_CATALOG_DOC = "Size holds and settle them with the catalog shipped with TokenLedger underneath "
            + "the entries of tokenledger.prices.v1 read at start (as the enforcer prices with the same key).";

    public static final String STREAM_MAX_DURATION_MS_CONFIG = "stream.max.duration.ms";
    private static final String STREAM_MAX_DURATION_MS_DOC = "Wall-clock limit of a streamed logical request (all streamed calls sharing a root "
            + "request id, from the first): past it the upstream is closed, the client gets a provider-style error event and "
            + "STREAM_TERMINATED (TIMEOUT) is recorded. Also cuts a stream whose upstream hangs without sending anything.";
    public static final String STREAM_MAX_TOOL_CALLS_CONFIG = "stream.max.tool.calls";
    private static final String STREAM_MAX_TOOL_CALLS_DOC = "Tool calls a streamed logical request may start (summed over its calls); one more "
            + "cuts the stream with TOOL_CALL_LIMIT.";
    public static final String STREAM_FEATURE_LIMITS_CONFIG = "stream.feature.limits";
    private static final String STREAM_FEATURE_LIMITS_DOC = "Per-feature stream limits, FEATURE=MAX_DURATION_MS:MAX_TOOL_CALLS, comma-separated, "
            + "e.g. summarize=30000:0,agent_loop=300000:40. Features not listed use stream.max.duration.ms and stream.max.tool.calls.";

    public static final String PRODUCER_PASS_THROUGH = GuaranteedSettings.PRODUCER_PREFIX + "*";
    private static final String PRODUCER_PASS_THROUGH_DOC = "A Kafka producer setting of the usage producer and the gate's producer, without "
            + "the prefix (producer.security.protocol=SASL_SSL, producer.sasl.jaas.config=...). Refused at start: enable.idempotence=false, "
            + "acks other than all, max.in.flight.requests.per.connection above 5, retries=0, a transactional.id.";
    public static final String CONSUMER_PASS_THROUGH = GuaranteedSettings.CONSUMER_PREFIX + "*";
    private static final String CONSUMER_PASS_THROUGH_DOC = "A Kafka consumer setting of the gate's budget-state and lease readers, without the "
            + "prefix (consumer.security.protocol=SASL_SSL). Refused at start: isolation.level other than read_committed.";
    public static final String REGISTRY_PASS_THROUGH = GuaranteedSettings.REGISTRY_PREFIX + "*";
    private static final String REGISTRY_PASS_THROUGH_DOC = "A setting of the Avro serdes, without the prefix: "
            + "registry.basic.auth.user.info=user:password.";

    private static final String KAFKA_GROUP = "Kafka";
    private static final String HTTP_GROUP = "HTTP";
    private static final String UPSTREAM_GROUP = "Upstreams";
    private static final String TAGS_GROUP = "Route defaults";
    private static final String BUDGET_GROUP = "Budget";
    private static final String STREAM_GROUP = "Stream guard";
    private static final String PASS_THROUGH_GROUP = "Pass-through";

    public static final ConfigDef CONFIG_DEF = buildConfigDef();

    private final Map<String, StreamLimits> featureLimits;
    private final Map<ProviderRoute, String> routeDefaultFeatures;

    public ProxyConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props);
        GuaranteedSettings.requireIdempotentProducer(originalsWithPrefix(GuaranteedSettings.PRODUCER_PREFIX), GuaranteedSettings.PRODUCER_PREFIX);
        GuaranteedSettings.requireReadCommittedConsumer(originalsWithPrefix(GuaranteedSettings.CONSUMER_PREFIX), GuaranteedSettings.CONSUMER_PREFIX);
        for (String key : List.of(UPSTREAM_ANTHROPIC_CONFIG, UPSTREAM_OPENAI_CONFIG, UPSTREAM_GOOGLE_CONFIG)) {
            upstream(key);
        }
        for (String key : List.of(DEFAULT_FEATURE_CONFIG, DEFAULT_TENANT_CONFIG, DEFAULT_PLAN_CONFIG)) {
            final String v = getString(key);
            if (!v.isEmpty()) {
                tagRule(key, v);
            }
        }
        this.featureLimits = parseFeatureLimits(getList(STREAM_FEATURE_LIMITS_CONFIG));
        this.routeDefaultFeatures = parseRouteDefaults(getList(ROUTE_DEFAULT_FEATURES_CONFIG));
    }

    /** The default feature of each route listed in route.default.features. */
    public Map<ProviderRoute, String> routeDefaultFeatures() {
        return routeDefaultFeatures;
    }

    static Map<ProviderRoute, String> parseRouteDefaults(List<String> entries) {
        final Map<ProviderRoute, String> defaults = new EnumMap<>(ProviderRoute.class);
        for (String raw : entries) {
            final String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(ROUTE_DEFAULT_FEATURES_CONFIG, entry, "expected ROUTE=FEATURE");
            }
            final String name = entry.substring(0, eq).trim();
            final ProviderRoute route = Arrays.stream(ProviderRoute.values())
                    .filter(r -> r.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ConfigException(ROUTE_DEFAULT_FEATURES_CONFIG, entry, "unknown route '" + name + "'; routes: "
                            + Arrays.stream(ProviderRoute.values()).map(r -> r.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "))));
            defaults.put(route, tagRule(ROUTE_DEFAULT_FEATURES_CONFIG, entry.substring(eq + 1)));
        }
        return Collections.unmodifiableMap(defaults);
    }

    private static ConfigDef buildConfigDef() {
        final ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        BOOTSTRAP_SERVERS_DOC, KAFKA_GROUP, ++order, Width.LONG, "Bootstrap servers")
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        SCHEMA_REGISTRY_URL_DOC, KAFKA_GROUP, ++order, Width.LONG, "Schema registry URL")
                .define(ENVIRONMENT_CONFIG, Type.STRING, "production", new ConfigDef.NonEmptyString(), Importance.HIGH, ENVIRONMENT_DOC,
                        KAFKA_GROUP, ++order, Width.SHORT, "Environment")
                .define(SPOOL_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/tokenledger-proxy-spool",
                        new ConfigDef.NonEmptyString(), Importance.HIGH, SPOOL_DIR_DOC, KAFKA_GROUP, ++order, Width.LONG, "Spool directory");
        order = 0;
        def.define(HTTP_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH, HTTP_HOST_DOC,
                        HTTP_GROUP, ++order, Width.MEDIUM, "Listen address")
                .define(HTTP_PORT_CONFIG, Type.INT, 8788, ConfigDef.Range.between(0, 65535), Importance.HIGH, HTTP_PORT_DOC,
                        HTTP_GROUP, ++order, Width.SHORT, "Listen port")
                .define(REQUEST_MAX_BYTES_CONFIG, Type.INT, 32 * 1024 * 1024, ConfigDef.Range.between(1024, Integer.MAX_VALUE), Importance.LOW,
                        REQUEST_MAX_BYTES_DOC, HTTP_GROUP, ++order, Width.SHORT, "Largest request body");
        order = 0;
        def.define(UPSTREAM_ANTHROPIC_CONFIG, Type.STRING, "https://api.anthropic.com", Importance.MEDIUM, UPSTREAM_ANTHROPIC_DOC,
                        UPSTREAM_GROUP, ++order, Width.LONG, "Anthropic upstream")
                .define(UPSTREAM_OPENAI_CONFIG, Type.STRING, "https://api.openai.com", Importance.MEDIUM, UPSTREAM_OPENAI_DOC,
                        UPSTREAM_GROUP, ++order, Width.LONG, "OpenAI upstream")
                .define(UPSTREAM_GOOGLE_CONFIG, Type.STRING, "https://generativelanguage.googleapis.com", Importance.MEDIUM,
                        UPSTREAM_GOOGLE_DOC, UPSTREAM_GROUP, ++order, Width.LONG, "Gemini upstream")
                .define(UPSTREAM_CONNECT_TIMEOUT_MS_CONFIG, Type.INT, 5_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        UPSTREAM_CONNECT_TIMEOUT_MS_DOC, UPSTREAM_GROUP, ++order, Width.SHORT, "Connect timeout (ms)")
                .define(UPSTREAM_IDLE_TIMEOUT_MS_CONFIG, Type.INT, 600_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        UPSTREAM_IDLE_TIMEOUT_MS_DOC, UPSTREAM_GROUP, ++order, Width.SHORT, "Idle timeout (ms)");
        order = 0;
        def.define(DEFAULT_FEATURE_CONFIG, Type.STRING, "", Importance.MEDIUM, DEFAULT_FEATURE_DOC, TAGS_GROUP, ++order, Width.MEDIUM,
                        "Default feature")
                .define(ROUTE_DEFAULT_FEATURES_CONFIG, Type.LIST, "", Importance.MEDIUM, ROUTE_DEFAULT_FEATURES_DOC, TAGS_GROUP, ++order,
                        Width.LONG, "Default feature per route")
                .define(DEFAULT_TENANT_CONFIG, Type.STRING, "", Importance.LOW, DEFAULT_TENANT_DOC, TAGS_GROUP, ++order, Width.MEDIUM,
                        "Default tenant")
                .define(DEFAULT_PLAN_CONFIG, Type.STRING, "", Importance.LOW, DEFAULT_PLAN_DOC, TAGS_GROUP, ++order, Width.MEDIUM,
                        "Default plan");
        order = 0;
        def.define(BUDGET_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH, BUDGET_ENABLED_DOC, BUDGET_GROUP, ++order, Width.SHORT,
                        "Gate calls")
                .define(GATE_STALE_AFTER_MS_CONFIG, Type.LONG, 5_000L, ConfigDef.Range.atLeast(100), Importance.MEDIUM,
                        GATE_STALE_AFTER_MS_DOC, BUDGET_GROUP, ++order, Width.SHORT, "Stale after (ms)")
                .define(MAX_OUTPUT_TOKENS_DEFAULT_CONFIG, Type.LONG, 32_768L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        MAX_OUTPUT_TOKENS_DEFAULT_DOC, BUDGET_GROUP, ++order, Width.SHORT, "Default max output tokens")
                .define(PRICING_DEFAULT_CATALOG_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, PRICING_DEFAULT_CATALOG_DOC,
                        BUDGET_GROUP, ++order, Width.SHORT, "Shipped catalog");
        order = 0;
        def.define(STREAM_MAX_DURATION_MS_CONFIG, Type.LONG, 120_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        STREAM_MAX_DURATION_MS_DOC, STREAM_GROUP, ++order, Width.SHORT, "Stream max duration (ms)")
                .define(STREAM_MAX_TOOL_CALLS_CONFIG, Type.INT, 25, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        STREAM_MAX_TOOL_CALLS_DOC, STREAM_GROUP, ++order, Width.SHORT, "Stream max tool calls")
                .define(STREAM_FEATURE_LIMITS_CONFIG, Type.LIST, "", Importance.MEDIUM, STREAM_FEATURE_LIMITS_DOC, STREAM_GROUP, ++order,
                        Width.LONG, "Per-feature stream limits");
        order = 0;
        def.define(PRODUCER_PASS_THROUGH, Type.STRING, null, Importance.LOW, PRODUCER_PASS_THROUGH_DOC, PASS_THROUGH_GROUP, ++order,
                        Width.LONG, "Producer settings")
                .define(CONSUMER_PASS_THROUGH, Type.STRING, null, Importance.LOW, CONSUMER_PASS_THROUGH_DOC, PASS_THROUGH_GROUP, ++order,
                        Width.LONG, "Consumer settings")
                .define(REGISTRY_PASS_THROUGH, Type.STRING, null, Importance.LOW, REGISTRY_PASS_THROUGH_DOC, PASS_THROUGH_GROUP, ++order,
                        Width.LONG, "Schema registry settings");
        return def;
    }

    public static ConfigDef configDef() {
        return CONFIG_DEF;
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS_CONFIG);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    /** The upstream base URL configured under {@code key}, checked: http(s), a host, no path beyond "/". */
    public URI upstream(String key) {
        final String value = getString(key);
        final URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, "not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ConfigException(key, value, "must be http://HOST[:PORT] or https://HOST[:PORT]");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
            throw new ConfigException(key, value, "must have no path: the request's own path is kept");
        }
        return uri;
    }

    /** The stream limits of {@code featureId}: its entry in stream.feature.limits, else the defaults. */
    public Map<String, StreamLimits> featureStreamLimits() {
        return featureLimits;
    }

    public StreamLimits defaultStreamLimits() {
        return StreamLimits.of(Duration.ofMillis(getLong(STREAM_MAX_DURATION_MS_CONFIG)), getInt(STREAM_MAX_TOOL_CALLS_CONFIG));
    }

    /** The producer agent's settings: Kafka, registry, environment, spool, stream guard and the pass-through keys. */
    public Map<String, Object> ledgerProperties() {
        final Map<String, Object> p = new HashMap<>();
        p.put(LedgerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl());
        p.put(LedgerConfig.ENVIRONMENT_CONFIG, getString(ENVIRONMENT_CONFIG));
        p.put(LedgerConfig.SPOOL_DIR_CONFIG, getString(SPOOL_DIR_CONFIG));
        p.put(LedgerConfig.STREAM_MAX_DURATION_MS_CONFIG, getLong(STREAM_MAX_DURATION_MS_CONFIG));
        p.put(LedgerConfig.STREAM_MAX_TOOL_CALLS_CONFIG, getInt(STREAM_MAX_TOOL_CALLS_CONFIG));
        originalsWithPrefix(GuaranteedSettings.PRODUCER_PREFIX).forEach((k, v) -> p.put(LedgerConfig.PRODUCER_PREFIX + k, v));
        originalsWithPrefix(GuaranteedSettings.REGISTRY_PREFIX).forEach((k, v) -> p.put(LedgerConfig.REGISTRY_PREFIX + k, v));
        return p;
    }

    /** Kafka client settings of the budget gate (its consumers and its producer share them). */
    public Map<String, Object> gateClientConfig() {
        final Map<String, Object> c = new LinkedHashMap<>(originalsWithPrefix(GuaranteedSettings.CONSUMER_PREFIX));
        c.putAll(originalsWithPrefix(GuaranteedSettings.PRODUCER_PREFIX));
        return c;
    }

    static Map<String, StreamLimits> parseFeatureLimits(List<String> entries) {
        final Map<String, StreamLimits> limits = new HashMap<>();
        for (String raw : entries) {
            final String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int eq = entry.indexOf('=');
            final int colon = entry.indexOf(':', Math.max(eq, 0));
            if (eq <= 0 || colon < 0) {
                throw new ConfigException(STREAM_FEATURE_LIMITS_CONFIG, entry, "expected FEATURE=MAX_DURATION_MS:MAX_TOOL_CALLS");
            }
            final String feature = tagRule(STREAM_FEATURE_LIMITS_CONFIG, entry.substring(0, eq));
            try {
                final long ms = Long.parseLong(entry.substring(eq + 1, colon).trim());
                final int tools = Integer.parseInt(entry.substring(colon + 1).trim());
                limits.put(feature, StreamLimits.of(Duration.ofMillis(ms), tools));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(STREAM_FEATURE_LIMITS_CONFIG, entry,
                        "expected FEATURE=MAX_DURATION_MS:MAX_TOOL_CALLS with a positive duration and tool calls >= 0 (" + e.getMessage() + ")");
            }
        }
        return Map.copyOf(limits);
    }

    private static String tagRule(String key, String value) {
        try {
            return TagRules.identifier(key, value.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage());
        }
    }
}
