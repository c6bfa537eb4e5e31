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

import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.emit.MicrometerAgentMetrics;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.CompactedTopicFeed;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.PriceCatalogHolder;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TokenLedger proxy, running: an HTTP reverse proxy in front of the Anthropic, OpenAI and Gemini APIs
 * that tags every call, holds its worst case against the budget before dispatch and records its exact usage,
 * streamed calls included, for services in any language. It owns the pieces and their lifecycle: the
 * producer agent ({@link TokenLedger}: queue, spool, stream guard), the budget gate (leases from the
 * enforcer), the price catalog (shipped, with the prices topic followed over it), the Vert.x server and the client to the providers; {@link ProxyRoutes} is
 * what each request goes through. {@code tokenledger proxy} runs one; tests and the benchmark start it the
 * same way.
 *
 * <pre>{@code
 * try (TokenLedgerProxy proxy = TokenLedgerProxy.start(new ProxyConfig(props))) {
 *     System.out.println("proxy=" + proxy.url());
 * }
 * }</pre>
 */
public final class TokenLedgerProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenLedgerProxy.class);
    private static final long START_STOP_TIMEOUT_S = 30;
    private static final Duration GATE_READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration PRICES_READ_TIMEOUT = Duration.ofSeconds(15);
    /** The provider connections one proxy keeps per upstream: room for 1,000+ open streams. */
    private static final int UPSTREAM_POOL_SIZE = 4096;
    private static final int WORKERS = 32;

    private final TokenLedger ledger;
    private final BudgetGate gate;
    private final CompactedTopicFeed<PriceEntry> prices;
    private final Vertx vertx;
    private final HttpServer server;
    private final String host;

    private TokenLedgerProxy(TokenLedger ledger, BudgetGate gate, CompactedTopicFeed<PriceEntry> prices, Vertx vertx, HttpServer server,
                             String host) {
        this.ledger = ledger;
        this.gate = gate;
        this.prices = prices;
        this.vertx = vertx;
        this.server = server;
        this.host = host;
    }

    /**
     * Starts following the prices topic, connects the gate (and waits, each at most 15 s, until both have read their topic), starts the agent
     * and listens. Returns once the proxy accepts requests.
     */
    public static TokenLedgerProxy start(ProxyConfig config) throws IOException {
        final Map<ProviderRoute, URI> upstreams = new EnumMap<>(ProviderRoute.class);
        for (ProviderRoute r : ProviderRoute.values()) {
            upstreams.put(r, config.upstream(r.upstreamKey()));
        }
        final ProxyTags tags = new ProxyTags(config.getString(ProxyConfig.DEFAULT_FEATURE_CONFIG), config.routeDefaultFeatures(),
                config.getString(ProxyConfig.DEFAULT_TENANT_CONFIG), config.getString(ProxyConfig.DEFAULT_PLAN_CONFIG));
        final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final boolean gated = config.getBoolean(ProxyConfig.BUDGET_ENABLED_CONFIG);
        BudgetGate gate = null;
        BudgetAdmission budget = null;
        CompactedTopicFeed<PriceEntry> prices = null;
        if (gated) {
            final PriceCatalogHolder catalog = new PriceCatalogHolder(() -> config.getBoolean(ProxyConfig.PRICING_DEFAULT_CATALOG_CONFIG)
                    ? PriceCatalog.loadDefault() : PriceCatalog.empty());
            // loaded now with no overlay: the prices topic is followed in the background, so a model loaded later is
            // priced without a restart, and the proxy starts on the shipped catalog while Kafka is unreachable
            catalog.current(List::of);
            prices = CompactedTopicFeed.start(config.bootstrapServers(), config.schemaRegistryUrl(),
                    config.originalsWithPrefix(GuaranteedSettings.CONSUMER_PREFIX), PriceEntry.class, Topics.PRICES_TOPIC, catalog::apply,
                    "proxy-prices");
            final KafkaBudgetGates.Builder b = KafkaBudgetGates.builder(config.bootstrapServers(), config.schemaRegistryUrl())
                    .gateId("proxy-" + UUID.randomUUID().toString().substring(0, 8))
                    .staleAfter(Duration.ofMillis(config.getLong(ProxyConfig.GATE_STALE_AFTER_MS_CONFIG)));
            config.gateClientConfig().forEach(b::clientConfig);
            gate = b.connect();
            try {
                if (!gate.awaitReady(GATE_READY_TIMEOUT)) {
                    LOG.warn("The budget gate had not read the budget state within {}; calls are gated by each budget's stale policy until it has",
                            GATE_READY_TIMEOUT);
                }
                if (!prices.awaitReady(PRICES_READ_TIMEOUT)) {
                    LOG.warn("The prices topic {} was not read within {}: until it is, calls are priced with the shipped catalog only",
                            Topics.PRICES_TOPIC, PRICES_READ_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gate.close();
                closeQuietly(prices);
                throw new IOException("interrupted while the budget gate read the budget state", e);
            }
            budget = new BudgetAdmission(gate, () -> catalog.current(List::of));
        }
        final BudgetAdmission settle = budget;
        final Consumer<dev.tokenledger.avro.UsageEvent> onEmitted = settle == null ? null : settle::settle;
        final TokenLedger.Builder lb = TokenLedger.builder().properties(config.ledgerProperties())
                .streamLimits(config.defaultStreamLimits()).metrics(new MicrometerAgentMetrics(prometheus)).onEmitted(onEmitted);
        config.featureStreamLimits().forEach(lb::streamLimits);
        final TokenLedger ledger;
        try {
            ledger = lb.build();
        } catch (RuntimeException e) {
            if (gate != null) {
                gate.close();
            }
            closeQuietly(prices);
            throw e;
        }
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(WORKERS).setUseDaemonThread(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            final HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout(config.getInt(ProxyConfig.UPSTREAM_CONNECT_TIMEOUT_MS_CONFIG)).setKeepAlive(true)
                            .setDecompressionSupported(false),
                    new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE).setMaxWaitQueueSize(-1));
            final Router router = Router.router(vertx);
            new ProxyRoutes(ledger, tags, budget, client, upstreams, config, new ProxyMetrics(prometheus), prometheus).mount(router);
            final String host = config.getString(ProxyConfig.HTTP_HOST_CONFIG);
            final HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host)
                            .setPort(config.getInt(ProxyConfig.HTTP_PORT_CONFIG)).setCompressionSupported(false))
                    .requestHandler(router).listen().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
            return new TokenLedgerProxy(ledger, gate, prices, vertx, server, host);
        } catch (Exception e) {
            vertx.close();
            ledger.close();
            if (gate != null) {
                gate.close();
            }
            closeQuietly(prices);
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.toString(), e);
        }
    }

    private static void closeQuietly(AutoCloseable feed) {
        if (feed == null) {
            return;
        }
        try {
            feed.close();
        } catch (Exception e) {
            LOG.warn("Closing the prices feed: {}", e.toString());
        }
    }

    /** The port the proxy listens on (the chosen one with http.port=0). */
    public int port() {
        return server.actualPort();
    }

    /** {@code http://HOST:PORT}, what SDKs take as their base URL. */
    public String url() {
        return "http://" + host + ":" + port();
    }

    /** The agent (for its liveness and spool). */
    public TokenLedger ledger() {
        return ledger;
    }

    /** Stops accepting, then delivers the recorded usage (the agent's close timeout) and closes the gate. */
    @Override
    public void close() {
        try {
            vertx.close().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Stopping the proxy's HTTP server: {}", e.toString());
        }
        ledger.close();
        if (gate != null) {
            gate.close();
        }
        closeQuietly(prices);
    }
}
