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

import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.LedgerHeaders;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.gate.GateReservation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted call on its way to the provider and back. The caller's headers go upstream untouched (its
 * own provider key included; the proxy reads none of them) except the hop-by-hop ones, the proxy's tag
 * headers, the tag members of baggage and Accept-Encoding (so the answer arrives uncompressed and its usage
 * block can be read). A whole answer goes back byte for byte and its usage is recorded; a stream goes back
 * byte for byte, each event as soon as it is whole (paused upstream while the client is slow, so memory per
 * stream stays bounded) while the stream guard reads its usage line by line. A cut (time, tool calls, budget ceiling) closes the upstream
 * connection and ends the client's stream with the API's own error event; a client that goes away closes
 * the upstream call. Event-loop confined, except the guard's cut hook, which hops back onto the loop.
 */
final class UpstreamExchange {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding", "proxy-connection");
    private static final Map<StreamTerminationReason, String> CUT_CODES = Map.of(
            StreamTerminationReason.TIMEOUT, "tokenledger_stream_timeout",
            StreamTerminationReason.TOOL_CALL_LIMIT, "tokenledger_tool_call_limit",
            StreamTerminationReason.BUDGET_CEILING, "tokenledger_budget_ceiling",
            StreamTerminationReason.UPSTREAM_ERROR, "tokenledger_upstream_error",
            StreamTerminationReason.CLIENT_CANCEL, "tokenledger_client_cancel");

    private final Context context;
    private final HttpClient client;
    private final ProviderRoute route;
    private final LedgerCall call;
    private final CallShape shape;
    private final ProxyMetrics metrics;
    private final long startNanos;
    private final HttpServerRequest in;
    private final HttpServerResponse out;
    private StreamGuard guard;
    /** Bytes of a streamed answer after its last whole event, held back until the event's end arrives. */
    private Buffer pending = Buffer.buffer();
    private HttpClientRequest upstreamRequest;
    private boolean finished;
    private boolean upstreamBroken;
    private boolean cutHandled;

    UpstreamExchange(Context context, HttpClient client, ProviderRoute route, LedgerCall call, CallShape shape, ProxyMetrics metrics,
                     long startNanos, HttpServerRequest in) {
        this.context = context;
        this.client = client;
        this.route = route;
        this.call = call;
        this.shape = shape;
        this.metrics = metrics;
        this.startNanos = startNanos;
        this.in = in;
        this.out = in.response();
    }

    /**
     * Sends the call to {@code upstream}. A streamed call is guarded from now on, so an upstream that hangs
     * before its first byte is cut by the time limit too; {@code hold} (may be null) meters it against the
     * budget ceiling.
     */
    void dispatch(URI upstream, Buffer body, long idleTimeoutMs, BudgetAdmission.Admission admission) {
        if (shape.stream()) {
            guard = call.stream(route.api());
            final GateReservation hold = admission == null ? null : admission.hold();
            if (hold != null) {
                guard.debitTo(hold, admission.price(), admission.inputTokensBound());
                hold.onCeiling(guard::budgetCeilingReached);
            }
            final StreamGuard g = guard;
            guard.onCut(() -> context.runOnContext(v -> onCut(g.terminationReason())));
        }
        out.closeHandler(v -> onClientGone());
        final MultiMap headers = upstreamHeaders(in.headers());
        final String base = upstream.getScheme() + "://" + upstream.getRawAuthority();
        final RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + in.uri()).setHeaders(headers)
                .setIdleTimeout(shape.stream() ? 0 : idleTimeoutMs);
        client.request(options).compose(req -> {
            upstreamRequest = req;
            if (finished) {
                req.reset();
            }
            metrics.admission(System.nanoTime() - startNanos);
            return req.send(body);
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                onResponse(ar.result());
            } else {
                onUpstreamFailure(ar.cause());
            }
        });
    }

    /**
     * The caller's headers as they go to the provider: without the hop-by-hop ones, the proxy's tag headers and the
     * {@code tokenledger-*} members of {@code baggage} (a header left empty is dropped), so no tag (the raw user id
     * above all) reaches the provider; Accept-Encoding set to identity.
     */
    static MultiMap upstreamHeaders(MultiMap incoming) {
        final MultiMap headers = HttpHeaders.headers();
        incoming.forEach(h -> {
            final String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.startsWith(ProxyTags.HEADER_PREFIX + "tokenledger-")) {
                return;
            }
            final String value = name.equals(LedgerHeaders.BAGGAGE) ? LedgerHeaders.withoutLedgerMembers(h.getValue()) : h.getValue();
            if (value != null) {
                headers.add(h.getKey(), value);
            }
        });
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, "identity");
        return headers;
    }

    private void onResponse(HttpClientResponse resp) {
        if (finished) {
            resp.request().reset();
            return;
        }
        final int status = resp.statusCode();
        final String type = resp.getHeader(HttpHeaders.CONTENT_TYPE);
        final boolean sse = status < 300 && type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        out.setStatusCode(status);
        if (resp.statusMessage() != null) {
            out.setStatusMessage(resp.statusMessage());
        }
        resp.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        if (sse && guard != null) {
            relayStream(resp);
        } else {
            relayWhole(resp, status);
        }
    }

    /** A whole answer: passed back byte for byte, then its usage recorded (an error status is a FAILED event). */
    private void relayWhole(HttpClientResponse resp, int status) {
        resp.body().onComplete(ar -> {
            if (finished) {
                return;
            }
            if (ar.failed()) {
                onUpstreamFailure(ar.cause());
                return;
            }
            finished = true;
            final Buffer body = ar.result();
            out.end(body);
            if (status >= 400) {
                call.recordFailure("http_" + status);
                metrics.request(route, "upstream_error");
            } else {
                call.recordResponse(route.api(), body.toString(StandardCharsets.UTF_8));
                metrics.request(route, "forwarded");
            }
            if (guard != null) {
                // a stream was asked for and a whole answer came (an error, usually): recorded above, retire the guard
                guard.cancel();
            }
            metrics.duration(System.nanoTime() - startNanos);
        });
    }

    /** A stream: each chunk to the client as it arrives, each line to the guard. */
    private void relayStream(HttpClientResponse resp) {
        out.setChunked(true);
        final SseLines lines = new SseLines();
        final StreamGuard g = guard;
        resp.handler(chunk -> {
            if (finished) {
                return;
            }
            try {
                lines.feed(chunk, g::onSseLine);
            } catch (SseLines.LineTooLongException e) {
                upstreamBroken = true;
                g.upstreamError(e.getMessage());
            }
            // read before passing on: a chunk that crosses a limit does not reach the client
            onCut(g.terminationReason());
            if (finished) {
                return;
            }
            // only whole events go on: a cut's error event must not land in the middle of one (the SDK would read
            // "event: content_block_del" + "event: error" as one unknown event name and end the stream as if complete)
            final Buffer data = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
            final int whole = wholeEvents(data);
            if (whole < data.length()) {
                pending = data.getBuffer(whole, data.length());
            } else {
                pending = Buffer.buffer();
            }
            if (whole > 0) {
                out.write(whole == data.length() ? data : data.getBuffer(0, whole));
            }
            if (out.writeQueueFull()) {
                // the client reads slower than the provider writes: stop reading upstream until it catches up
                resp.pause();
                out.drainHandler(v -> resp.resume());
            }
        });
        resp.exceptionHandler(t -> {
            upstreamBroken = true;
            g.upstreamError(t);
            onCut(g.terminationReason());
        });
        resp.endHandler(v -> {
            g.complete();
            if (!finished) {
                finished = true;
                out.end(pending);
                metrics.request(route, "forwarded");
                metrics.duration(System.nanoTime() - startNanos);
            }
        });
    }

    /** The length of {@code data}'s prefix made of whole SSE events (up to and including its last blank line). */
    static int wholeEvents(Buffer data) {
        for (int i = data.length() - 1; i > 0; i--) {
            if (data.getByte(i) == '\n' && (data.getByte(i - 1) == '\n' || i > 1 && data.getByte(i - 1) == '\r' && data.getByte(i - 2) == '\n')) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * The guard cut the stream (on the event loop; once): close upstream, end the client's stream with an error
     * event. Called directly where the loop sees the cut, and from the guard's hook for cuts made elsewhere (the
     * watchdog's time limit, the gate's ceiling).
     */
    private void onCut(StreamTerminationReason reason) {
        if (reason == null || cutHandled) {
            return;
        }
        cutHandled = true;
        if (finished) {
            return;
        }
        metrics.cut(reason.name());
        if (reason == StreamTerminationReason.UPSTREAM_ERROR && !upstreamBroken) {
            // the provider sent its own error event (already passed through): let it finish its stream
            return;
        }
        finished = true;
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        if (reason == StreamTerminationReason.CLIENT_CANCEL) {
            return;
        }
        final String message = "TokenLedger ended this stream: " + explain(reason) + " (feature " + call.attribution().featureId()
                + ", request " + call.requestId() + ").";
        if (!out.headWritten()) {
            final boolean timeout = reason == StreamTerminationReason.TIMEOUT;
            out.setStatusCode(timeout ? 504 : 502).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(ProxyJson.error(CUT_CODES.get(reason), message, Map.of()));
        } else {
            out.end(route.streamErrorEvent(CUT_CODES.get(reason), message));
        }
        metrics.duration(System.nanoTime() - startNanos);
    }

    private static String explain(StreamTerminationReason reason) {
        return switch (reason) {
            case TIMEOUT -> "the stream ran past its feature's time limit";
            case TOOL_CALL_LIMIT -> "the request started more tool calls than its feature allows";
            case BUDGET_CEILING -> "the stream reached its budget ceiling (twice its hold, or the budget lease ran dry)";
            case UPSTREAM_ERROR -> "the provider's stream broke";
            case CLIENT_CANCEL -> "the client went away";
            default -> "the stream guard cut it (" + reason + ")";
        };
    }

    private void onClientGone() {
        if (finished) {
            return;
        }
        if (guard != null) {
            guard.cancel();
            onCut(guard.terminationReason());
            return;
        }
        finished = true;
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        call.recordFailure("client_cancel");
        metrics.request(route, "client_cancel");
    }

    private void onUpstreamFailure(Throwable cause) {
        if (finished) {
            return;
        }
        final boolean timeout = cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout");
        final String errorClass = timeout ? "upstream_timeout" : "upstream_unreachable";
        if (guard != null && out.headWritten()) {
            upstreamBroken = true;
            guard.upstreamError(cause);
            onCut(guard.terminationReason());
            return;
        }
        finished = true;
        if (guard != null) {
            upstreamBroken = true;
            guard.upstreamError(errorClass + ": " + cause.getClass().getSimpleName());
        } else {
            call.recordFailure(errorClass);
        }
        final String errorId = UUID.randomUUID().toString();
        LOG.warn("Upstream of {} call {} failed ({}), error id {}: {}", route, call.requestId(), errorClass, errorId, cause.toString());
        out.setStatusCode(timeout ? 504 : 502).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ProxyJson.error(errorClass, "The provider could not be reached or did not answer in time; nothing was billed "
                        + "through the proxy. error id " + errorId, Map.of("error_id", errorId)));
        metrics.request(route, "upstream_error");
        metrics.duration(System.nanoTime() - startNanos);
    }
}
