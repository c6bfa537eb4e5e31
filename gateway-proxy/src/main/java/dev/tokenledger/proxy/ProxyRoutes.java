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

import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateDecision;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's paths and answers. {@code GET /health} and {@code GET /metrics} (Prometheus text); every
 * {@code POST} is matched to a {@link ProviderRoute} and goes through, in order: tags ({@link ProxyTags},
 * 400 naming the header), the body's shape ({@link CallShape}, 400 naming the field), the budget
 * ({@link BudgetAdmission}, the gate's 429 and Retry-After), then {@link UpstreamExchange}. Nothing is sent
 * upstream before all three passed. Any other path is 404.
 */
final class ProxyRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyRoutes.class);

    private final TokenLedger ledger;
    private final ProxyTags tags;
    private final BudgetAdmission budget;
    private final HttpClient client;
    private final Map<ProviderRoute, URI> upstreams;
    private final long defaultMaxOutput;
    private final long idleTimeoutMs;
    private final int maxBodyBytes;
    private final ProxyMetrics metrics;
    private final PrometheusMeterRegistry prometheus;

    ProxyRoutes(TokenLedger ledger, ProxyTags tags, BudgetAdmission budget, HttpClient client, Map<ProviderRoute, URI> upstreams,
                ProxyConfig config, ProxyMetrics metrics, PrometheusMeterRegistry prometheus) {
        this.ledger = ledger;
        this.tags = tags;
        this.budget = budget;
        this.client = client;
        this.upstreams = upstreams;
        this.defaultMaxOutput = config.getLong(ProxyConfig.MAX_OUTPUT_TOKENS_DEFAULT_CONFIG);
        this.idleTimeoutMs = config.getInt(ProxyConfig.UPSTREAM_IDLE_TIMEOUT_MS_CONFIG);
        this.maxBodyBytes = config.getInt(ProxyConfig.REQUEST_MAX_BYTES_CONFIG);
        this.metrics = metrics;
        this.prometheus = prometheus;
    }

    void mount(Router router) {
        router.get("/health").handler(this::health);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4")
                .end(prometheus.scrape()));
        router.post().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::call);
        router.route().handler(ctx -> {
            metrics.request(null, "not_found");
            answer(ctx, 404, "not_found", "The TokenLedger proxy meters POST /v1/messages, /v1/chat/completions, /v1/responses and "
                    + "/v1beta/models/{model}:generateContent / :streamGenerateContent; " + ctx.request().method() + " " + ctx.request().path()
                    + " is none of them.", Map.of());
        });
    }

    private void health(RoutingContext ctx) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("kafka_live", ledger.isLive());
        body.put("spooled_events", ledger.spooledPending());
        body.put("budget", budget == null ? "disabled" : "enforced");
        body.put("open_holds", budget == null ? 0 : budget.openHolds());
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ProxyJson.write(body));
    }

    private void call(RoutingContext ctx) {
        final long start = System.nanoTime();
        final Optional<ProviderRoute.Match> match = ProviderRoute.match(ctx.request().method().name(), ctx.request().path());
        if (match.isEmpty()) {
            ctx.next();
            return;
        }
        final ProviderRoute route = match.get().route();
        final Attribution attribution;
        final CallShape shape;
        try {
            attribution = tags.read(route, name -> ctx.request().getHeader(name));
            shape = CallShape.of(route, match.get().pathModel(), ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(),
                    defaultMaxOutput);
        } catch (ProxyTags.RefusedException e) {
            metrics.request(route, "bad_request");
            answer(ctx, 400, "invalid_request_error", e.getMessage(), Map.of("header", e.header(), "rule", e.rule()));
            return;
        } catch (CallShape.BadBodyException e) {
            metrics.request(route, "bad_request");
            answer(ctx, 400, "invalid_request_error", e.getMessage(), Map.of("field", e.field()));
            return;
        }
        if (route == ProviderRoute.GEMINI_STREAM_GENERATE_CONTENT && !"sse".equals(ctx.request().getParam("alt"))) {
            metrics.request(route, "bad_request");
            answer(ctx, 400, "invalid_request_error", "streamGenerateContent goes through the proxy as SSE only: add ?alt=sse "
                    + "(the Google SDKs do) so the stream can be passed on event by event and its usage read.", Map.of("field", "alt"));
            return;
        }
        final LedgerCall call = ledger.beginUnbound(attribution).provider(route.provider()).modelRequested(shape.model());
        final Context context = ctx.vertx().getOrCreateContext();
        final UpstreamExchange exchange = new UpstreamExchange(context, client, route, call, shape, metrics, start, ctx.request());
        final URI upstream = upstreams.get(route);
        if (budget == null) {
            exchange.dispatch(upstream, ctx.body().buffer(), idleTimeoutMs, null);
            return;
        }
        final GateCall gateCall = new GateCall(attribution.featureId(), attribution.tenantId(), call.rootRequestId(), call.requestId(),
                call.parentRequestId(), shape.model(), null);
        final Instant now = Instant.now();
        final BudgetAdmission.Admission atOnce;
        try {
            // the gate's leases cover the call (or no budget governs it): a local decrement, no thread hop, never a wait
            atOnce = budget.tryAdmit(gateCall, route, shape, now);
        } catch (BudgetAdmission.UnpricedModelException e) {
            metrics.request(route, "bad_request");
            answer(ctx, 400, "invalid_request_error", e.getMessage(), Map.of("field", "model"));
            return;
        }
        if (atOnce != null) {
            admitted(ctx, route, call, exchange, upstream, Future.succeededFuture(atOnce));
        } else {
            // the gate must ask the enforcer and may wait up to its lease wait: never on the event loop
            admitted(ctx, route, call, exchange, upstream, ctx.vertx().executeBlocking(() -> budget.admit(gateCall, route, shape, now), false));
        }
    }

    private void admitted(RoutingContext ctx, ProviderRoute route, LedgerCall call, UpstreamExchange exchange, URI upstream,
                          Future<BudgetAdmission.Admission> admitted) {
        admitted.onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof BudgetAdmission.UnpricedModelException e) {
                    metrics.request(route, "bad_request");
                    answer(ctx, 400, "invalid_request_error", e.getMessage(), Map.of("field", "model"));
                } else {
                    final String errorId = UUID.randomUUID().toString();
                    LOG.error("Budget admission of call {} failed, error id {}", call.requestId(), errorId, ar.cause());
                    metrics.request(route, "internal_error");
                    answer(ctx, 500, "api_error", "The TokenLedger proxy could not check the budget; error id " + errorId,
                            Map.of("error_id", errorId));
                }
                return;
            }
            final BudgetAdmission.Admission admission = ar.result();
            final GateDecision decision = admission.decision();
            if (!decision.allowed()) {
                metrics.request(route, "denied");
                final GateDecision.HttpDenial denial = decision.toHttp429(Instant.now());
                denial.headers().forEach(ctx.response()::putHeader);
                ctx.response().setStatusCode(denial.status()).end(denial.body());
                return;
            }
            if (admission.hold() != null) {
                call.reservation(admission.hold().reservationId());
            }
            if (ctx.response().closed()) {
                budget.release(admission.hold());
                return;
            }
            exchange.dispatch(upstream, ctx.body().buffer(), idleTimeoutMs, admission);
        });
    }

    private static void answer(RoutingContext ctx, int status, String type, String message, Map<String, Object> extra) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ProxyJson.error(type, message, extra));
    }
}
