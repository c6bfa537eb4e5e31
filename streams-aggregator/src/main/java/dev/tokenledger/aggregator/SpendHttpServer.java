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

import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendWindow;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over HTTP (Vert.x), JSON out, money as decimal strings.
 *
 * <ul>
 *   <li>{@code GET /v1/spend/{dimension}/{key}[/{key part}...]?window=DAY&at=2026-11-23T10:00:00Z}: the
 *       running total of one dimension value (feature, tenant, feature_tenant, feature_model,
 *       plan_feature, root_request, tenant_user, global); composite keys as path parts or joined
 *       with '|'. window defaults to DAY, at to now.</li>
 *   <li>{@code GET /v1/top/{dimension}?window=DAY&n=10&at=}: the n values with the highest spend.</li>
 *   <li>{@code GET /v1/workflows/{rootRequestId}}: the cost of one user action across all its calls.</li>
 *   <li>{@code GET /health}.</li>
 * </ul>
 * A key held by another instance is answered by that instance, and a top-N query gathers every
 * instance's local ranking ({@link InstanceForwarder}). With a bearer token configured, every call
 * must carry it; a tenant-scoped token ({@code http.tenant.tokens}) reads only its tenant's figures
 * ({@link BearerAuth}, {@link TenantScope}). {@code ?tenant=T} filters a top list of a tenant
 * dimension (tenant_user: the top users within a tenant) to tenant T. The paths and answers are
 * {@link SpendRoutes}; the JSON is {@link SpendJson}. This class owns the lifecycle: one Vert.x
 * instance (one event loop, a few workers for store reads), the listening socket and the client that
 * asks other instances, all released by {@link #close()}.
 */
public final class SpendHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpendHttpServer.class);
    private static final long START_STOP_TIMEOUT_S = 30;
    private static final int WORKERS = 8;
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final HttpServer server;
    private final HostInfo self;
    private volatile KafkaStreams streams;
    private volatile boolean tailDimensions = true;

    /**
     * Whether the aggregator keeps ROOT_REQUEST and TENANT_USER ({@code spend.tail.dimensions}); when not,
     * their queries answer 404 and name the warehouse view that has them.
     */
    public SpendHttpServer keepsTailDimensions(boolean keeps) {
        this.tailDimensions = keeps;
        return this;
    }

    public SpendHttpServer(String bindHost, String advertisedHost, int port, String token, SpendWindows windows)
            throws IOException {
        this(bindHost, advertisedHost, port, token, Map.of(), windows);
    }

    /** {@code tenantTokens}: token -> tenant whose figures alone that token may read. */
    public SpendHttpServer(String bindHost, String advertisedHost, int port, String token, Map<String, String> tenantTokens,
                           SpendWindows windows) throws IOException {
        this(bindHost, advertisedHost, port, token, tenantTokens, windows, null);
    }

    /**
     * As the public constructor; {@code stores}, when not null, stands in for the attached instance's
     * window stores (a test seam: a store that fails).
     */
    SpendHttpServer(String bindHost, String advertisedHost, int port, String token, Map<String, String> tenantTokens,
                    SpendWindows windows, Function<SpendWindow, ReadOnlyWindowStore<String, SpendAggregate>> stores)
            throws IOException {
        Function<SpendWindow, ReadOnlyWindowStore<String, SpendAggregate>> localStores = stores != null ? stores : this::localStore;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(WORKERS).setUseDaemonThread(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
            Router router = Router.router(vertx);
            router.route().handler(new BearerAuth(token, tenantTokens));
            InstanceForwarder forwarder = new InstanceForwarder(client, this::self, this::requireStreams);
            new SpendRoutes(vertx, windows, () -> streams, () -> new SpendQueries(localStores, windows), forwarder,
                    () -> tailDimensions).mount(router);
            this.server = vertx.createHttpServer(new HttpServerOptions().setHost(bindHost).setPort(port))
                    .requestHandler(router).listen().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) { // Future.await rethrows a failed bind's BindException as it is
            closeVertx();
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e instanceof TimeoutException ? "no answer within " + START_STOP_TIMEOUT_S + " s" : e.toString(), e);
        }
        this.self = new HostInfo(advertisedHost, server.actualPort());
    }

    /** The port actually bound. */
    public int port() {
        return server.actualPort();
    }

    /** Binds the server to the Streams instance whose stores it reads. */
    public void attach(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Stops listening and releases the event loop, the workers and the client; returns once they are gone. */
    @Override
    public void close() {
        closeVertx();
    }

    private HostInfo self() {
        return self;
    }

    private KafkaStreams requireStreams() {
        KafkaStreams s = streams;
        if (s == null) {
            throw new InvalidStateStoreException("the aggregator is still starting");
        }
        return s;
    }

    private ReadOnlyWindowStore<String, SpendAggregate> localStore(SpendWindow window) {
        return requireStreams().store(StoreQueryParameters.fromNameAndType(AggregatorTopology.spendStore(window),
                QueryableStoreTypes.<String, SpendAggregate>windowStore()));
    }

    private void closeVertx() {
        try {
            vertx.close().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The aggregator HTTP server did not stop cleanly: {}", e.toString());
        }
    }

}
