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
package dev.tokenledger.dashboard;

import dev.tokenledger.schemas.config.BearerTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server (Vert.x 5): the pages and the chart library from the jar, the JSON / CSV
 * API over the warehouse ({@link DashboardRoutes}, {@link DashboardQueries}) and the live budget state
 * ({@link LiveBudgets}) as server-sent events. Binds 127.0.0.1 unless told otherwise. This class is
 * only the lifecycle: routing, authentication and rendering live in their own classes.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final long START_STOP_TIMEOUT_S = 30;
    /** Worker threads (and warehouse connections): one page asks about a dozen queries at once. */
    private static final int WORKERS = 4;
    static final String WEB = "dev/tokenledger/dashboard/web";
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist";

    /** Where and how to serve. {@code tenantTokens}: token -> the tenant whose figures alone it reads. */
    public record Options(String bindHost, int port, String warehouseUrl, String warehouseUser, String warehousePassword,
                          String token, Map<String, String> tenantTokens) {
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final WarehousePool warehouse;
    private final LiveBudgets live;
    private final String host;

    private DashboardServer(Options options, LiveBudgets live, Clock clock) throws IOException {
        this.live = live;
        this.host = options.bindHost();
        this.warehouse = new WarehousePool(options.warehouseUrl(), options.warehouseUser(), options.warehousePassword(), WORKERS);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(WORKERS).setUseDaemonThread(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            Router router = Router.router(vertx);
            new DashboardRoutes(vertx, warehouse, live, clock).mount(router,
                    new DashboardAuth(new BearerTokens(options.token(), options.tenantTokens())));
            router.get("/vendor/echarts/*").handler(new ClasspathAssets("/vendor/echarts/", ECHARTS, "public, max-age=86400"));
            router.get("/*").handler(new ClasspathAssets("/", WEB, "no-cache"));
            this.server = vertx.createHttpServer(new HttpServerOptions().setHost(options.bindHost()).setPort(options.port())
                    .setCompressionSupported(true)).requestHandler(router).listen().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) { // Future.await rethrows a failed bind's BindException as it is
            close();
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e instanceof TimeoutException ? "no answer within " + START_STOP_TIMEOUT_S + " s" : e.toString(), e);
        }
    }

    /**
     * Starts serving {@code options}; {@code live} is the budget state the pages follow (see
     * {@link LiveBudgets#unavailable}); the server closes it on {@link #close()}.
     */
    public static DashboardServer start(Options options, LiveBudgets live) throws IOException {
        return new DashboardServer(options, live, Clock.systemUTC());
    }

    /**
     * Starts serving {@code options} with the live budget state read through {@code bootstrapServers} and
     * {@code registryUrl}, or, when {@code bootstrapServers} is null, with a budget panel that says it is off.
     * What {@code tokenledger dashboard}, the quickstart and the tests call.
     */
    public static DashboardServer start(Options options, String bootstrapServers, String registryUrl, Map<String, Object> clientConfig)
            throws IOException {
        if (bootstrapServers != null && registryUrl == null) {
            throw new IllegalArgumentException("--bootstrap " + bootstrapServers + " needs --registry (the schema registry URL) as well");
        }
        LiveBudgets live = bootstrapServers == null ? LiveBudgets.unavailable(LiveBudgets.NO_BOOTSTRAP)
                : LiveBudgets.connect(bootstrapServers, registryUrl, clientConfig);
        try {
            return start(options, live);
        } catch (IOException | RuntimeException e) {
            try {
                live.close();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** The address to open: {@code http://HOST:PORT}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port();
    }

    public LiveBudgets live() {
        return live;
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The dashboard HTTP server did not stop cleanly: {}", e.toString());
        }
        warehouse.close();
        try {
            live.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
