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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.schemas.Money;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The query API's JSON: a spend total (token counts as numbers, money as exact decimal strings in
 * USD), the not-found total, a top list, a workflow's days, health, and the error bodies
 * {@code {"error": "..."}} and {@code {"error": "internal error", "error_id": "..."}}.
 */
final class SpendJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Highest total first, then key: the order of a top list merged from several instances. */
    private static final Comparator<JsonNode> BY_SPEND_DESC = Comparator
            .comparing((JsonNode item) -> new BigDecimal(item.get("total_cost_usd").asText()), Comparator.reverseOrder())
            .thenComparing(item -> item.get("key").asText());

    private SpendJson() {
    }

    static ObjectNode of(SpendAggregate a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("dimension", a.getDimension().name());
        n.put("key", a.getDimensionKey());
        n.put("window", a.getWindow().name());
        n.put("window_start", a.getWindowStart().toString());
        n.put("window_end", a.getWindowEnd().toString());
        n.put("time_zone", a.getTimeZone());
        n.put("total_cost_usd", money(a.getTotalCostUsd()));
        ObjectNode cost = n.putObject("cost_usd");
        cost.put("input", money(a.getCostInputUsd()));
        cost.put("output", money(a.getCostOutputUsd()));
        cost.put("cache_write_5m", money(a.getCostCacheWrite5mUsd()));
        cost.put("cache_write_1h", money(a.getCostCacheWrite1hUsd()));
        cost.put("cache_read", money(a.getCostCacheReadUsd()));
        cost.put("other", money(a.getCostOtherUsd()));
        n.put("cache_savings_usd", money(a.getCacheSavingsUsd()));
        ObjectNode tokens = n.putObject("tokens");
        tokens.put("input", a.getInputTokens());
        tokens.put("output", a.getOutputTokens());
        tokens.put("reasoning", a.getReasoningTokens());
        tokens.put("cache_write_5m", a.getCacheWrite5mTokens());
        tokens.put("cache_write_1h", a.getCacheWrite1hTokens());
        tokens.put("cache_read", a.getCacheReadTokens());
        ObjectNode other = tokens.putObject("other");
        a.getOtherTokens().forEach(other::put);
        n.put("request_count", a.getRequestCount());
        n.put("error_count", a.getErrorCount());
        n.put("stream_terminated_count", a.getStreamTerminatedCount());
        n.put("unpriced_count", a.getUnpricedCount());
        n.put("updated_at", a.getUpdatedAt().toString());
        return n;
    }

    static String money(BigDecimal amount) {
        return Money.toScale(amount).toPlainString();
    }

    /** A total that exists. */
    static ObjectNode found(SpendAggregate a) {
        ObjectNode n = of(a);
        n.put("found", true);
        return n;
    }

    /** A dimension value with no spend in the window {@code [start, end)}: zero, {@code "found": false}. */
    static ObjectNode notFound(SpendDimension dimension, String key, SpendWindow window, Instant start, Instant end) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("dimension", dimension.name());
        n.put("key", key);
        n.put("window", window.name());
        n.put("window_start", start.toString());
        n.put("window_end", end.toString());
        n.put("total_cost_usd", money(Money.ZERO));
        n.put("request_count", 0);
        n.put("found", false);
        return n;
    }

    /** The {@code n} highest of {@code items} (totals rendered by {@link #of}, from any instance). */
    static ObjectNode top(SpendDimension dimension, SpendWindow window, List<JsonNode> items, int n) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("dimension", dimension.name());
        out.put("window", window.name());
        ArrayNode arr = out.putArray("items");
        items.stream().sorted(BY_SPEND_DESC).limit(n).forEach(arr::add);
        return out;
    }

    /** The cost of one user action: the sum of its retained DAY totals, and each of them. */
    static ObjectNode workflow(String rootRequestId, List<SpendAggregate> days) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("root_request_id", rootRequestId);
        out.put("found", !days.isEmpty());
        if (!days.isEmpty()) {
            SpendAggregate total = days.get(0);
            for (SpendAggregate d : days.subList(1, days.size())) {
                total = SpendMath.merge(total, d);
            }
            ObjectNode t = of(total);
            t.remove(List.of("window", "window_start", "window_end"));
            out.set("total", t);
        } else {
            out.put("total_cost_usd", money(Money.ZERO));
        }
        ArrayNode arr = out.putArray("days");
        days.forEach(d -> arr.add(of(d)));
        return out;
    }

    static ObjectNode health(String state) {
        return MAPPER.createObjectNode().put("state", state);
    }

    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    /** An internal error: only the id under which it was logged, never the exception's text. */
    static ObjectNode internalError(String errorId) {
        return MAPPER.createObjectNode().put("error", "internal error").put("error_id", errorId);
    }

    /** Parses an answer of another instance. */
    static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers {@code body} as {@code application/json} with {@code status}. */
    static void respond(RoutingContext ctx, int status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(bytes));
    }
}
