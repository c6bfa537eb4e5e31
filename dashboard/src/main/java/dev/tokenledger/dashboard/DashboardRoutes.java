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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.BudgetState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's paths and answers. {@code /api/v1/query/{name}} runs one of
 * {@link DashboardQueries#ALL} for the page's filters (JSON, or CSV with {@code format=csv});
 * {@code /api/v1/budgets} is every scope's live state and {@code /api/v1/budgets/events} the same as
 * server-sent events, one {@code state} event per change; {@code /api/v1/meta} says what this
 * server offers to the token presented. A tenant-scoped token gets its tenant's figures only and a
 * 403 for any other tenant. Queries run on worker threads; internal errors answer an id only.
 */
final class DashboardRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
    /** A comment line on idle event streams, so proxies and the browser keep them open. */
    private static final long KEEPALIVE_MS = 15_000;

    private final Vertx vertx;
    private final WarehousePool warehouse;
    private final LiveBudgets live;
    private final Clock clock;

    DashboardRoutes(Vertx vertx, WarehousePool warehouse, LiveBudgets live, Clock clock) {
        this.vertx = vertx;
        this.warehouse = warehouse;
        this.live = live;
        this.clock = clock;
    }

    void mount(Router router, DashboardAuth auth) {
        router.get("/health").handler(ctx -> DashboardJson.respond(ctx, 200, DashboardJson.object().put("state", "RUNNING")));
        router.route("/api/*").handler(auth);
        router.get("/api/v1/meta").handler(this::meta);
        router.get("/api/v1/query/:name").handler(this::query);
        router.get("/api/v1/budgets").handler(this::budgets);
        router.get("/api/v1/budgets/events").handler(this::events);
        router.route("/api/*").handler(ctx -> DashboardJson.respond(ctx, 404, DashboardJson.error("unknown path " + ctx.request().path()
                + "; try /api/v1/meta")));
        router.route("/api/*").failureHandler(this::failure);
    }

    private void meta(RoutingContext ctx) {
        ObjectNode n = DashboardJson.object();
        n.put("tenant", (String) ctx.get(DashboardAuth.TENANT));
        n.put("live", live.unavailableReason() == null);
        n.put("live_message", live.unavailableReason());
        n.put("warehouse", warehouse.dialect().name());
        n.put("now", clock.instant().toString());
        ArrayNode queries = n.putArray("queries");
        DashboardQueries.ALL.values().forEach(q -> queries.addObject().put("name", q.name()).put("doc", q.doc()));
        DashboardJson.respond(ctx, 200, n);
    }

    private void query(RoutingContext ctx) {
        DashboardQueries.Query q = DashboardQueries.query(ctx.pathParam("name"));
        DashboardFilters asked = DashboardFilters.parse(params(ctx), clock.instant());
        String scoped = ctx.get(DashboardAuth.TENANT);
        String refused = DashboardAuth.refusal(scoped, asked.tenant());
        if (refused != null) {
            DashboardJson.respond(ctx, 403, DashboardJson.error(refused));
            return;
        }
        DashboardFilters filters = scoped == null ? asked : asked.withTenant(scoped);
        boolean csv = "csv".equals(ctx.request().getParam("format"));
        blocking(ctx, () -> warehouse.with(c -> DashboardQueries.run(c, warehouse.dialect(), q, filters)), table -> {
            if (csv) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"" + q.name() + ".csv\"")
                        .end(DashboardJson.csv(table));
            } else {
                DashboardJson.respond(ctx, 200, DashboardJson.table(table));
            }
        });
    }

    private void budgets(RoutingContext ctx) {
        DashboardJson.respond(ctx, 200, budgetsJson(ctx.get(DashboardAuth.TENANT)));
    }

    private JsonNode budgetsJson(String tenant) {
        ObjectNode n = DashboardJson.object();
        n.put("live", live.unavailableReason() == null);
        n.put("message", live.unavailableReason());
        ArrayNode scopes = n.putArray("scopes");
        for (BudgetState s : live.snapshot(tenant)) {
            scopes.add(DashboardJson.state(s, live.budget(s), clock.instant()));
        }
        return n;
    }

    /** Server-sent events: a {@code snapshot} first, then one {@code state} event per change of a scope the token may see. */
    private void events(RoutingContext ctx) {
        String tenant = ctx.get(DashboardAuth.TENANT);
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("X-Accel-Buffering", "no");
        response.write("retry: 1000\n\nevent: snapshot\ndata: " + DashboardJson.text(budgetsJson(tenant)) + "\n\n");
        if (live.unavailableReason() != null) {
            return;
        }
        Context context = vertx.getOrCreateContext();
        Runnable unsubscribe = live.subscribe(state -> {
            if (LiveBudgets.visibleTo(state, tenant)) {
                String event = "event: state\ndata: " + DashboardJson.text(DashboardJson.state(state, live.budget(state), clock.instant())) + "\n\n";
                context.runOnContext(v -> {
                    if (!response.closed()) {
                        response.write(event);
                    }
                });
            }
        });
        long timer = vertx.setPeriodic(KEEPALIVE_MS, id -> {
            if (!response.closed()) {
                response.write(": keepalive\n\n");
            }
        });
        response.closeHandler(v -> {
            unsubscribe.run();
            vertx.cancelTimer(timer);
        });
    }

    private <T> void blocking(RoutingContext ctx, Callable<T> work, java.util.function.Consumer<T> answer) {
        vertx.executeBlocking(work, false).onSuccess(answer::accept).onFailure(ctx::fail);
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable e = ctx.failure();
        if (e instanceof IllegalArgumentException) {
            DashboardJson.respond(ctx, 400, DashboardJson.error(e.getMessage()));
        } else if (e == null && ctx.statusCode() < 500) {
            DashboardJson.respond(ctx, ctx.statusCode(), DashboardJson.error("HTTP " + ctx.statusCode()));
        } else {
            String errorId = String.format("%08x", ThreadLocalRandom.current().nextInt());
            LOG.error("Dashboard request {} failed (error id {})", ctx.request().uri(), errorId, e);
            DashboardJson.respond(ctx, 500, DashboardJson.internalError(errorId));
        }
    }

    private static Map<String, String> params(RoutingContext ctx) {
        Map<String, String> m = new LinkedHashMap<>();
        ctx.queryParams().forEach(m::put);
        return m;
    }
}
