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

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API's resource: which path answers what, read from this instance's stores
 * ({@link SpendQueries}) or from the instance holding the key ({@link InstanceForwarder}), with the
 * tenant scope of the caller's token ({@link TenantScope}, after {@link BearerAuth}) and the error
 * answers: 400 for a bad query (saying what was wrong), 403 outside a tenant's scope, 404 for an
 * unknown path, 405 for anything but GET, 503 while the state is not queryable, and 500 with only a
 * logged error id. Parsing and scope checks run on the event loop; store reads and metadata look-ups
 * on a Vert.x worker.
 */
final class SpendRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SpendRoutes.class);
    private static final String UNKNOWN_PATH_HINT = ": try /v1/spend/feature/{id}?window=DAY, "
            + "/v1/top/feature?window=DAY&n=10, /v1/workflows/{root_request_id}";

    private final Vertx vertx;
    private final SpendWindows windows;
    private final Supplier<KafkaStreams> streams;
    private final Supplier<SpendQueries> localQueries;
    private final InstanceForwarder forwarder;
    private final BooleanSupplier tailDimensions;

    /**
     * @param streams      the attached Kafka Streams instance, or null while the aggregator starts (health only)
     * @param localQueries reads of this instance's stores; throws InvalidStateStoreException while they are not queryable
     */
    SpendRoutes(Vertx vertx, SpendWindows windows, Supplier<KafkaStreams> streams, Supplier<SpendQueries> localQueries,
                InstanceForwarder forwarder, BooleanSupplier tailDimensions) {
        this.tailDimensions = tailDimensions;
        this.vertx = vertx;
        this.windows = windows;
        this.streams = streams;
        this.localQueries = localQueries;
        this.forwarder = forwarder;
    }

    /** Adds the API's routes to {@code router}, after whatever authentication it already holds. */
    void mount(Router router) {
        router.route().handler(this::onlyGet);
        router.get("/health").handler(this::health);
        router.get("/v1/spend/*").handler(this::spend);
        router.get("/v1/top/*").handler(this::top);
        router.get("/v1/workflows/*").handler(this::workflow);
        router.route().handler(this::unknownPath);
        router.route().failureHandler(this::failure);
    }

    private void onlyGet(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.GET) {
            SpendJson.respond(ctx, 405, SpendJson.error("only GET is supported"));
            return;
        }
        ctx.next();
    }

    private void health(RoutingContext ctx) {
        List<String> parts = segments(ctx.request());
        if (parts.size() != 1) {
            ctx.next();
            return;
        }
        KafkaStreams s = streams.get();
        SpendJson.respond(ctx, 200, SpendJson.health(s == null ? "STARTING" : s.state().name()));
    }

    /** {@code /v1/spend/{dimension}/{key}[/{key part}...]}: composite keys as path parts or joined with '|'. */
    private void spend(RoutingContext ctx) {
        List<String> parts = segments(ctx.request());
        if (parts.size() < 4) {
            ctx.next();
            return;
        }
        SpendDimension dimension = dimension(parts.get(2));
        if (refusedTail(ctx, dimension)) {
            return;
        }
        String key = String.join("|", parts.subList(3, parts.size()));
        String tenant = ctx.get(BearerAuth.TENANT);
        String refused = tenant == null ? null : TenantScope.refusal(tenant, dimension, key);
        if (refused != null) {
            SpendJson.respond(ctx, 403, SpendJson.error(refused));
            return;
        }
        Map<String, String> query = query(ctx.request().query());
        SpendWindow window = window(query.getOrDefault("window", "DAY"));
        Instant at = at(query.get("at"));
        String store = AggregatorTopology.spendStore(AggregatorTopology.storedWindowFor(window));
        String storeKey = SpendDimensions.storeKey(dimension, key);
        HttpServerRequest request = ctx.request();
        answer(ctx, () -> {
            if (!query.containsKey(InstanceForwarder.LOCAL)) {
                Optional<HostInfo> owner = forwarder.remoteOwner(store, storeKey);
                if (owner.isPresent()) {
                    return forwarder.fetch(owner.get(), request);
                }
            }
            Optional<SpendAggregate> found = localQueries.get().spend(dimension, key, window, at);
            return Future.succeededFuture(found.isPresent() ? SpendJson.found(found.get())
                    : SpendJson.notFound(dimension, key, window, Instant.ofEpochMilli(windows.start(window, at.toEpochMilli())),
                            Instant.ofEpochMilli(windows.end(window, at.toEpochMilli()))));
        });
    }

    /** {@code /v1/top/{dimension}?window=DAY&n=10&at=&tenant=}: every instance's local ranking, merged. */
    private void top(RoutingContext ctx) {
        List<String> parts = segments(ctx.request());
        if (parts.size() != 3) {
            ctx.next();
            return;
        }
        SpendDimension dimension = dimension(parts.get(2));
        if (refusedTail(ctx, dimension)) {
            return;
        }
        Map<String, String> query = query(ctx.request().query());
        String scopedTenant = ctx.get(BearerAuth.TENANT);
        if (scopedTenant != null) {
            String refused = TenantScope.refusalOfList(scopedTenant, dimension, query.get("tenant"));
            if (refused != null) {
                SpendJson.respond(ctx, 403, SpendJson.error(refused));
                return;
            }
            query.put("tenant", scopedTenant);
        }
        SpendWindow window = window(query.getOrDefault("window", "DAY"));
        Instant at = at(query.get("at"));
        int n = Integer.parseInt(query.getOrDefault("n", "10"));
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("n = " + n + " must be between 1 and 1000");
        }
        String tenant = query.get("tenant");
        if (tenant != null && !TenantScope.TENANT_DIMENSIONS.contains(dimension)) {
            throw new IllegalArgumentException("tenant = '" + tenant + "' filters only the tenant dimensions "
                    + TenantScope.TENANT_DIMENSIONS.toString().toLowerCase(Locale.ROOT) + ", not " + dimension.name().toLowerCase(Locale.ROOT));
        }
        HttpServerRequest request = ctx.request();
        answer(ctx, () -> {
            List<JsonNode> items = new ArrayList<>();
            for (SpendAggregate a : localQueries.get().ranked(dimension, window, at, n,
                    tenant == null ? k -> true : k -> tenant.equals(TenantScope.tenantOf(dimension, k)))) {
                items.add(SpendJson.of(a));
            }
            List<Future<JsonNode>> remote = new ArrayList<>();
            if (!query.containsKey(InstanceForwarder.LOCAL)) {
                String store = AggregatorTopology.spendStore(AggregatorTopology.storedWindowFor(window));
                for (HostInfo other : forwarder.otherHolders(store)) {
                    remote.add(forwarder.fetch(other, request));
                }
            }
            return Future.all(remote).map(all -> {
                remote.forEach(answer -> answer.result().path("items").forEach(items::add));
                return SpendJson.top(dimension, window, items, n);
            });
        });
    }

    /** {@code /v1/workflows/{rootRequestId}}: the cost of one user action across all its calls. */
    private void workflow(RoutingContext ctx) {
        List<String> parts = segments(ctx.request());
        if (parts.size() != 3) {
            ctx.next();
            return;
        }
        if (refusedTail(ctx, SpendDimension.ROOT_REQUEST)) {
            return;
        }
        String tenant = ctx.get(BearerAuth.TENANT);
        if (tenant != null) {
            SpendJson.respond(ctx, 403, SpendJson.error(TenantScope.refusalOf(tenant, SpendDimension.ROOT_REQUEST)));
            return;
        }
        String rootRequestId = parts.get(2);
        Map<String, String> query = query(ctx.request().query());
        String storeKey = SpendDimensions.storeKey(SpendDimension.ROOT_REQUEST, rootRequestId);
        HttpServerRequest request = ctx.request();
        answer(ctx, () -> {
            if (!query.containsKey(InstanceForwarder.LOCAL)) {
                Optional<HostInfo> owner = forwarder.remoteOwner(AggregatorTopology.spendStore(SpendWindow.DAY), storeKey);
                if (owner.isPresent()) {
                    return forwarder.fetch(owner.get(), request);
                }
            }
            return Future.succeededFuture(SpendJson.workflow(rootRequestId, localQueries.get().workflowDays(rootRequestId)));
        });
    }

    private void unknownPath(RoutingContext ctx) {
        SpendJson.respond(ctx, 404, SpendJson.error("unknown path " + ctx.request().path() + UNKNOWN_PATH_HINT));
    }

    /** Runs {@code work} (store reads, metadata) on a worker and answers 200 with what it completes with. */
    private void answer(RoutingContext ctx, Callable<Future<JsonNode>> work) {
        vertx.executeBlocking(work, false).compose(answer -> answer)
                .onSuccess(body -> SpendJson.respond(ctx, 200, body))
                .onFailure(ctx::fail);
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable e = ctx.failure();
        if (e instanceof IllegalArgumentException) {
            SpendJson.respond(ctx, 400, SpendJson.error(e.getMessage()));
        } else if (e instanceof InvalidStateStoreException) {
            SpendJson.respond(ctx, 503, SpendJson.error("state is not queryable right now (" + e.getMessage() + "): retry shortly"));
        } else if (e == null && ctx.statusCode() < 500) {
            SpendJson.respond(ctx, ctx.statusCode(), SpendJson.error("HTTP " + ctx.statusCode()));
        } else {
            String errorId = String.format("%08x", ThreadLocalRandom.current().nextInt());
            LOG.error("HTTP query {} failed (error id {})", ctx.request().uri(), errorId, e);
            SpendJson.respond(ctx, 500, SpendJson.internalError(errorId));
        }
    }

    private static List<String> segments(HttpServerRequest request) {
        List<String> parts = new ArrayList<>();
        for (String p : request.path().split("/")) {
            if (!p.isEmpty()) {
                parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
        }
        return parts;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    /** Answers 404 (and true) for a long-tail dimension this aggregator does not keep ({@code spend.tail.dimensions}). */
    private boolean refusedTail(RoutingContext ctx, SpendDimension dimension) {
        if (tailDimensions.getAsBoolean() || !SpendDimensions.isTail(dimension)) {
            return false;
        }
        String where = dimension == SpendDimension.ROOT_REQUEST ? "the warehouse view v_workflow_cost"
                : "the warehouse table usage_log (by tenant_id, user_id)";
        SpendJson.respond(ctx, 404, SpendJson.error(dimension.name().toLowerCase(Locale.ROOT) + " is not kept by this aggregator"
                + " (spend.tail.dimensions=false): query " + where + ", or set spend.tail.dimensions=true"));
        return true;
    }

    private static SpendDimension dimension(String s) {
        try {
            return SpendDimension.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dimension '" + s + "': use one of "
                    + Arrays.toString(SpendDimension.values()).toLowerCase(Locale.ROOT));
        }
    }

    private static SpendWindow window(String s) {
        try {
            return SpendWindow.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown window '" + s + "': use one of " + Arrays.toString(SpendWindow.values()));
        }
    }

    private static Instant at(String s) {
        if (s == null || s.isEmpty()) {
            return Instant.now();
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("at = '" + s + "' is not an ISO-8601 instant such as 2026-11-23T10:00:00Z");
        }
    }
}

