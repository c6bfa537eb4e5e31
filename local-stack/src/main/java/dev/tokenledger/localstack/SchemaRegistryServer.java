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
package dev.tokenledger.localstack;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the subset of the Confluent Schema Registry REST API that serdes and
 * tools use, so that any Confluent-style client (Java, kafkajs, confluent-kafka-python ...)
 * works against the local stack:
 *
 * <pre>
 * POST   /subjects/{s}/versions                  register      → {"id":N}
 * POST   /subjects/{s}                           lookup        → {"subject","version","id","schema"}
 * GET    /subjects                               subjects
 * GET    /subjects/{s}/versions                  version numbers
 * GET    /subjects/{s}/versions/{v|latest}       one version   (…/schema: the bare schema)
 * DELETE /subjects/{s}                           soft delete   → [versions]
 * GET    /schemas/ids/{id}                       {"schema"}    (…/schema: the bare schema)
 * POST   /compatibility/subjects/{s}/versions/{v|latest}       → {"is_compatible":bool}
 * GET|PUT /config, /config/{s}                   compatibility level (BACKWARD by default)
 * </pre>
 *
 * Errors answer Confluent's JSON body {@code {"error_code":..,"message":..}}: 40401 subject,
 * 40402 version, 40403 schema not found; 409 incompatible; 42201 invalid schema (or a schema type
 * other than AVRO); 42202 invalid version; 42203 invalid compatibility level; 400 malformed JSON;
 * 500 with 50001 and only a logged error id for a storage or internal error. A subject without its
 * own level answers the global one on {@code GET /config/{s}} (Confluent's {@code defaultToGlobal=true}).
 * State lives in {@link KafkaSchemaStore}, the paths in {@link RegistryRoutes}, the optional HTTP
 * basic auth in {@link BasicAuth}, the JSON in {@link RegistryJson}. Loopback only. This class owns
 * the lifecycle: one Vert.x instance (one event loop, a few workers for store calls) and the store,
 * both released by {@link #close()}.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final long START_STOP_TIMEOUT_S = 30;
    private static final int WORKERS = 8;
    private static final int ACCEPT_BACKLOG = 64;

    private final SchemaStore store;
    private final Vertx vertx;
    private final HttpServer http;

    private SchemaRegistryServer(SchemaStore store, Vertx vertx, HttpServer http) {
        this.store = store;
        this.vertx = vertx;
        this.http = http;
    }

    /**
     * Replays {@code _schemas} from {@code bootstrapServers} and serves on 127.0.0.1:{@code port}.
     *
     * @param basicAuthUserInfo {@code user:password} to require HTTP basic auth, or null
     */
    public static SchemaRegistryServer start(String bootstrapServers, int port, String basicAuthUserInfo) {
        return start(new KafkaSchemaStore(bootstrapServers, Duration.ofSeconds(60)), port, basicAuthUserInfo);
    }

    /** Serves {@code store} (closed with the server, or here when the port cannot be bound) on 127.0.0.1:{@code port}. */
    static SchemaRegistryServer start(SchemaStore store, int port, String basicAuthUserInfo) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(WORKERS).setUseDaemonThread(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        try {
            Router router = Router.router(vertx);
            router.route().handler(new BasicAuth(basicAuthUserInfo));
            router.route().handler(BodyHandler.create(false));
            new RegistryRoutes(store).mount(router);
            HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                    .setAcceptBacklog(ACCEPT_BACKLOG)).requestHandler(router).listen().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
            return new SchemaRegistryServer(store, vertx, http);
        } catch (Exception e) { // Future.await rethrows a failed bind's BindException as it is
            closeQuietly(vertx);
            store.close();
            final String why = e instanceof TimeoutException ? "no answer within " + START_STOP_TIMEOUT_S + " s" : e.getMessage();
            throw new UncheckedIOException("Schema registry cannot listen on " + host + ":" + port
                    + " (" + why + "); choose another port or 0 for a free one",
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public int port() {
        return http.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Stops listening, releases the event loop and workers, then closes the store; returns once all are gone. */
    @Override
    public void close() {
        closeQuietly(vertx);
        store.close();
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            vertx.close().await(START_STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The schema registry's HTTP server did not stop cleanly: {}", e.toString());
        }
    }

}
