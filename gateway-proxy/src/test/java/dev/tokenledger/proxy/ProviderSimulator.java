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

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the providers (test fixture): replays recorded Anthropic Messages, OpenAI Chat
 * Completions and Responses, and Gemini answers, JSON and SSE, usage blocks included
 * ({@code src/test/resources/dev/tokenledger/proxy/recorded/}). The {@code x-sim-scenario} request header
 * picks a misbehaving upstream instead: {@code long} (an Anthropic stream of {@value #LONG_DELTAS} one-token
 * deltas), {@code slow} (a delta every {@value #SLOW_DELTA_MS} ms), {@code hang} (stream headers and the
 * first event, then silence), {@code silent} (no answer at all) and {@code status-429} (a provider rate limit). It remembers the credentials
 * header each path last received, so a test can check they arrived untouched, and its baggage header.
 */
final class ProviderSimulator implements AutoCloseable {
    static final String SCENARIO_HEADER = "x-sim-scenario";
    static final int LONG_DELTAS = 5_000;
    static final long SLOW_DELTA_MS = 20;
    static final String RATE_LIMIT_BODY = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"simulated provider rate limit\"}}";
    private static final String SLOW_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_slow\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":42,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    private static final String DELTA = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\" word\"}}\n\n";

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Buffer> recorded = new ConcurrentHashMap<>();
    private final Map<String, String> lastCredentials = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, String> lastBaggage = new ConcurrentHashMap<>();

    ProviderSimulator() throws Exception {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setUseDaemonThread(true));
        for (String name : new String[] {"anthropic-messages.json", "anthropic-messages.sse", "openai-chat.json", "openai-chat.sse",
                "openai-responses.json", "openai-responses.sse", "gemini-generate.json", "gemini-stream.sse"}) {
            recorded.put(name, Buffer.buffer(resource(name)));
        }
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    }

    static byte[] resource(String name) {
        try (InputStream in = ProviderSimulator.class.getResourceAsStream("recorded/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture recorded/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure as every provider's upstream. */
    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The x-api-key / authorization / x-goog-api-key value {@code path} last received. */
    String lastCredentials(String path) {
        return lastCredentials.get(path);
    }

    /** The {@code baggage} header {@code path} last received ("" when that request had none). */
    String lastBaggage(String path) {
        return lastBaggage.get(path);
    }

    /** How many requests {@code path} received. */
    long requests(String path) {
        final AtomicLong n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            final String path = req.path();
            requests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            final String key = req.getHeader("x-api-key") != null ? req.getHeader("x-api-key")
                    : req.getHeader("authorization") != null ? req.getHeader("authorization") : req.getHeader("x-goog-api-key");
            if (key != null) {
                lastCredentials.put(path, key);
            }
            final String baggage = req.getHeader("baggage");
            lastBaggage.put(path, baggage == null ? "" : baggage);
            final String scenario = req.getHeader(SCENARIO_HEADER);
            final HttpServerResponse resp = req.response();
            if ("status-429".equals(scenario)) {
                resp.setStatusCode(429).putHeader("content-type", "application/json").putHeader("retry-after", "7").end(RATE_LIMIT_BODY);
                return;
            }
            if ("silent".equals(scenario)) {
                // accepts the request and never answers, not even the headers
                return;
            }
            if (scenario != null) {
                misbehave(scenario, resp);
                return;
            }
            final boolean stream = path.endsWith(":streamGenerateContent") || body.length() > 0 && new JsonObject(body).getBoolean("stream", false);
            final String fixture = path.equals("/v1/messages") ? "anthropic-messages"
                    : path.equals("/v1/chat/completions") ? "openai-chat"
                    : path.equals("/v1/responses") ? "openai-responses"
                    : path.endsWith(":streamGenerateContent") ? "gemini-stream"
                    : path.endsWith(":generateContent") ? "gemini-generate" : null;
            if (fixture == null) {
                resp.setStatusCode(404).end();
                return;
            }
            if (stream) {
                resp.putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache")
                        .end(recorded.get(fixture + ".sse"));
            } else {
                resp.putHeader("content-type", "application/json").putHeader("request-id", "req_sim").end(recorded.get(fixture + ".json"));
            }
        });
    }

    private void misbehave(String scenario, HttpServerResponse resp) {
        resp.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        resp.write(SLOW_START);
        switch (scenario) {
            case "hang" -> {
                // headers and the first events, then nothing: only the proxy's time limit ends this call
            }
            case "slow" -> {
                final long[] sent = {0};
                final long timer = vertx.setPeriodic(SLOW_DELTA_MS, id -> {
                    if (resp.closed() || sent[0]++ >= 1_000) {
                        vertx.cancelTimer(id);
                        if (!resp.closed()) {
                            resp.end(end(sent[0]));
                        }
                        return;
                    }
                    resp.write(DELTA);
                });
                resp.closeHandler(v -> vertx.cancelTimer(timer));
            }
            case "long" -> writeLong(resp, 0);
            default -> resp.end("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"unknown_scenario\",\"message\":\"" + scenario + "\"}}\n\n");
        }
    }

    /** Batches of 50 deltas, each written once the client has taken the previous one (backpressure honoured). */
    private void writeLong(HttpServerResponse resp, int sent) {
        if (resp.closed()) {
            return;
        }
        if (sent >= LONG_DELTAS) {
            resp.end(end(sent));
            return;
        }
        final StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            batch.append(DELTA);
        }
        resp.write(batch.toString()).onComplete(ar -> vertx.setTimer(1, id -> writeLong(resp, sent + 50)));
    }

    private static String end(long outputTokens) {
        return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":" + (outputTokens + 1) + "}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
