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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * How the dashboard's answers look on the wire: a {@link ResultTable} as JSON ({@code columns},
 * {@code rows}; money and ratios as decimal strings, never binary floats) or as CSV with the same
 * values; a budget's live state with its thresholds, override and run-out projection; errors as
 * {@code {"error": ...}}, and internal errors as an id only.
 */
final class DashboardJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DashboardJson() {
    }

    static ObjectNode table(ResultTable t) {
        ObjectNode root = MAPPER.createObjectNode().put("name", t.name());
        ArrayNode cols = root.putArray("columns");
        t.columns().forEach(cols::add);
        ArrayNode rows = root.putArray("rows");
        for (List<Object> row : t.rows()) {
            ArrayNode r = rows.addArray();
            for (Object v : row) {
                add(r, v);
            }
        }
        return root;
    }

    private static void add(ArrayNode r, Object v) {
        if (v == null) {
            r.addNull();
        } else if (v instanceof BigDecimal b) {
            r.add(b.toPlainString());
        } else if (v instanceof Long l) {
            r.add(l);
        } else if (v instanceof Boolean b) {
            r.add(b);
        } else {
            r.add(v.toString());
        }
    }

    /** The same table as CSV: a header row, then every row (decimals in plain notation). */
    static String csv(ResultTable t) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(t.columns().toArray(String[]::new)).get())) {
            for (List<Object> row : t.rows()) {
                p.printRecord(row.stream().map(v -> v instanceof BigDecimal b ? b.toPlainString() : v).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** One scope's live state, its budget's thresholds and override, and when it runs out at its period's rate. */
    static ObjectNode state(BudgetState s, Budget budget, Instant now) {
        ObjectNode n = MAPPER.createObjectNode()
                .put("scope_key", s.getScopeKey().toString())
                .put("budget_id", s.getBudgetId().toString())
                .put("scope", s.getScope().name())
                .put("feature_id", s.getFeatureId() == null ? null : s.getFeatureId().toString())
                .put("tenant_id", s.getTenantId() == null ? null : s.getTenantId().toString())
                .put("status", s.getStatus().name())
                .put("mode", s.getMode().name())
                .put("limit_usd", s.getLimitUsd().toPlainString())
                .put("spent_usd", s.getSpentUsd().toPlainString())
                .put("reserved_usd", s.getReservedUsd().toPlainString())
                .put("leased_usd", s.getLeasedUsd() == null ? "0" : s.getLeasedUsd().toPlainString())
                .put("remaining_usd", s.getRemainingUsd().toPlainString())
                .put("period_start", s.getPeriodStart().toString())
                .put("period_end", s.getPeriodEnd().toString())
                .put("reason_code", s.getReasonCode().toString())
                .put("version", s.getVersion())
                .put("updated_at", s.getUpdatedAt().toString());
        Instant out = BurnRate.runsOutAt(s.getSpentUsd(), s.getRemainingUsd(), s.getPeriodStart(), s.getPeriodEnd(), now);
        n.put("runs_out_at", out == null ? null : out.toString());
        ArrayNode thresholds = n.putArray("thresholds_pct");
        if (budget != null) {
            budget.getThresholdsPct().forEach(thresholds::add);
            n.put("period", budget.getPeriod().name());
            BudgetOverride o = budget.getOverride();
            if (o != null) {
                n.putObject("override")
                        .put("limit_usd", o.getLimitUsd() == null ? null : o.getLimitUsd().toPlainString())
                        .put("until", String.valueOf(o.getUntil()))
                        .put("reason", String.valueOf(o.getReason()))
                        .put("by", String.valueOf(o.getBy()));
            }
        }
        return n;
    }

    static String text(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    /** An internal error: only the id under which it was logged, never the exception's text. */
    static ObjectNode internalError(String errorId) {
        return MAPPER.createObjectNode().put("error", "internal error").put("error_id", errorId);
    }

    static void respond(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(Buffer.buffer(text(body)));
    }
}
