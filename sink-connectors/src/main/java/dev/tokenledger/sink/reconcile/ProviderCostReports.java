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
package dev.tokenledger.sink.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the providers' own cost reports, page by page, and validates the whole report before anything is
 * imported: the documented shape, one-UTC-day buckets that do not overlap, USD only, no negative amounts.
 * Report lines are summed per UTC day, model and workspace / project.
 *
 * <p>Anthropic ({@code GET /v1/organizations/cost_report}, documented at
 * https://platform.claude.com/docs/en/api/admin/cost_report): {@code {data: [{starting_at, ending_at, results:
 * [{amount, currency, workspace_id, description, model, cost_type, token_type, service_tier, context_window,
 * ...}]}], has_more, next_page}}; {@code amount} is a decimal string in the currency's lowest unit ("123.45" in
 * USD is $1.2345), so it is divided by 100 exactly.
 *
 * <p>OpenAI ({@code GET /v1/organization/costs}, documented at
 * https://platform.openai.com/docs/api-reference/usage/costs): {@code {object: "page", data: [{object: "bucket",
 * start_time, end_time, results: [{object: "organization.costs.result", amount: {value, currency}, line_item,
 * project_id}]}], has_more, next_page}}; times are Unix seconds, {@code value} a JSON number in dollars (read as
 * an exact decimal, never a double), {@code currency} lowercase ("usd"). The report has no model field: with
 * {@code group_by=line_item} the line item reads "gpt-4o-2024-08-06, input", so the model is the text before
 * the first ", " (a line item without a comma, such as "Image models", is kept whole); without a line item the
 * row's model is {@link #NO_MODEL}.
 */
public final class ProviderCostReports {
    /** The model of a report line that names none (non-token costs, or a report not grouped by description / line item). */
    public static final String NO_MODEL = "(no model)";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final BigDecimal CENTS_PER_DOLLAR = BigDecimal.valueOf(100);

    private ProviderCostReports() {
    }

    /** One page body as the API returns it: its buckets and the cursor of the next page (null on the last). */
    public record Page(JsonNode body, boolean hasMore, String nextPage) {
    }

    /** Parses one page and checks its envelope ({@code data} array, {@code has_more} boolean). */
    public static Page page(CostReportProvider provider, String body, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CostReportException(source + ": not JSON (" + e.getOriginalMessage() + "): expected the " + provider
                    + " cost report as the API returns it");
        }
        if (root == null || !root.isObject()) {
            throw new CostReportException(source + ": expected a JSON object {data, has_more, next_page}, found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        if (!root.path("data").isArray()) {
            throw new CostReportException(source + ": wrong shape: no \"data\" array; is this a " + provider + " cost report?");
        }
        if (!root.path("has_more").isBoolean()) {
            throw new CostReportException(source + ": wrong shape: \"has_more\" is missing or not a boolean");
        }
        if (provider == CostReportProvider.OPENAI && !"page".equals(root.path("object").asText())) {
            throw new CostReportException(source + ": wrong shape: \"object\" is '" + root.path("object").asText()
                    + "', an OpenAI costs page has \"object\": \"page\"");
        }
        JsonNode next = root.path("next_page");
        return new Page(root, root.get("has_more").booleanValue(), next.isTextual() ? next.asText() : null);
    }

    /**
     * A validated report: the UTC days its buckets cover (some maybe without lines), its rows, and the costs it holds
     * that the ledger never prices and so are not imported ({@code skipped}: the line's label, such as a Google SKU
     * naming no Gemini model, -> USD), reported rather than left as drift no re-pricing could ever close.
     */
    public record CostReport(CostReportProvider provider, List<LocalDate> days, List<ProviderCostRow> rows, Map<String, BigDecimal> skipped) {
        public CostReport {
            skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
        }

        public CostReport(CostReportProvider provider, List<LocalDate> days, List<ProviderCostRow> rows) {
            this(provider, days, rows, Map.of());
        }
    }

    /** Validates every page (as one report) and sums its lines per day, model and scope. Throws {@link CostReportException}. */
    public static CostReport report(CostReportProvider provider, List<Page> pages, String source) {
        Map<String, ProviderCostRow> rows = new TreeMap<>();
        Map<LocalDate, String> bucketSeen = new TreeMap<>();
        for (int p = 0; p < pages.size(); p++) {
            JsonNode data = pages.get(p).body().get("data");
            for (int b = 0; b < data.size(); b++) {
                String where = source + (pages.size() > 1 ? " page " + (p + 1) : "") + " data[" + b + "]";
                JsonNode bucket = data.get(b);
                LocalDate day = bucketDay(provider, bucket, where);
                String previous = bucketSeen.put(day, where);
                if (previous != null) {
                    throw new CostReportException(where + ": the bucket for " + day + " overlaps " + previous
                            + ": a report covers each day once (import each period once; a re-import replaces it)");
                }
                JsonNode results = bucket.path("results");
                if (!results.isArray()) {
                    throw new CostReportException(where + ": wrong shape: no \"results\" array");
                }
                for (int r = 0; r < results.size(); r++) {
                    line(provider, results.get(r), day, where + ".results[" + r + "]", rows);
                }
            }
        }
        return new CostReport(provider, List.copyOf(bucketSeen.keySet()), List.copyOf(rows.values()));
    }

    private static LocalDate bucketDay(CostReportProvider provider, JsonNode bucket, String where) {
        Instant start;
        Instant end;
        if (provider == CostReportProvider.ANTHROPIC) {
            start = instant(bucket, "starting_at", where);
            end = instant(bucket, "ending_at", where);
        } else {
            start = epoch(bucket, "start_time", where);
            end = epoch(bucket, "end_time", where);
        }
        if (!Duration.between(start, end).equals(Duration.ofDays(1)) || start.getEpochSecond() % 86_400 != 0) {
            throw new CostReportException(where + ": the bucket " + start + " .. " + end + " is not one UTC day: "
                    + "request the report with bucket_width=1d");
        }
        return LocalDate.ofInstant(start, ZoneOffset.UTC);
    }

    private static Instant instant(JsonNode bucket, String field, String where) {
        JsonNode v = bucket.path(field);
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new CostReportException(where + ": wrong shape: \"" + field + "\" is '" + v.asText() + "', not an RFC 3339 timestamp");
        }
    }

    private static Instant epoch(JsonNode bucket, String field, String where) {
        JsonNode v = bucket.path(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new CostReportException(where + ": wrong shape: \"" + field + "\" is '" + v.asText() + "', not Unix seconds");
        }
        return Instant.ofEpochSecond(v.longValue());
    }

    private static void line(CostReportProvider provider, JsonNode line, LocalDate day, String where, Map<String, ProviderCostRow> rows) {
        String currency;
        BigDecimal usd;
        String model;
        String scope;
        String label;
        boolean longContext = false;
        boolean regional = false;
        if (provider == CostReportProvider.ANTHROPIC) {
            currency = line.path("currency").asText("USD");
            JsonNode amount = line.path("amount");
            if (!amount.isTextual()) {
                throw new CostReportException(where + ": wrong shape: " + (amount.isMissingNode() ? "no \"amount\"" : "\"amount\" is " + amount)
                        + " (a cost report line has \"amount\": a decimal string in cents); is this the usage report?");
            }
            usd = decimal(amount.asText(), where).divide(CENTS_PER_DOLLAR);
            model = text(line, "model");
            scope = text(line, "workspace_id");
            label = labelOf(text(line, "description"), text(line, "cost_type"), text(line, "token_type"));
            longContext = LONG_CONTEXT_WINDOW.equals(text(line, "context_window"));
            String geo = text(line, "inference_geo");
            regional = geo != null && !GLOBAL_GEOS.contains(geo);
        } else {
            JsonNode amount = line.path("amount");
            if (!amount.isObject() || !amount.path("value").isNumber()) {
                throw new CostReportException(where + ": wrong shape: \"amount\" is " + amount + ", expected {\"value\": number, \"currency\": \"usd\"}");
            }
            currency = amount.path("currency").asText("");
            usd = amount.get("value").decimalValue();
            String lineItem = text(line, "line_item");
            model = lineItem == null ? null : modelOfLineItem(lineItem);
            scope = text(line, "project_id");
            label = lineItem;
        }
        add(rows, provider, day, model, scope, checkedUsd(where, currency, usd), label, longContext, regional);
    }

    /** The Anthropic context window billed at the long-context rate. */
    static final String LONG_CONTEXT_WINDOW = "200k-1M";
    /** Anthropic inference_geo values that carry no regional rate. */
    static final List<String> GLOBAL_GEOS = List.of("global", "not_available");

    /** An amount checked the same way for every provider: USD, at most 12 decimals, not negative. */
    static BigDecimal checkedUsd(String where, String currency, BigDecimal usd) {
        if (!"USD".equalsIgnoreCase(currency)) {
            throw new CostReportException(where + ": currency '" + currency + "' is not USD: TokenLedger prices in USD; "
                    + "export the report in USD");
        }
        if (usd.stripTrailingZeros().scale() > 12) {
            throw new CostReportException(where + ": amount " + usd.toPlainString() + " USD has more than 12 decimals");
        }
        if (usd.signum() < 0) {
            throw new CostReportException(where + ": amount " + usd.toPlainString() + " USD is negative: a cost report line is "
                    + "0 or more (credits are not imported)");
        }
        return usd;
    }

    /** Sums one report line into its row (day, model, scope); a line without a model goes to {@link #NO_MODEL}. */
    static void add(Map<String, ProviderCostRow> rows, CostReportProvider provider, LocalDate day, String model, String scope,
                    BigDecimal usd, String label, boolean longContext, boolean regional) {
        String m = model == null || model.isEmpty() ? NO_MODEL : model;
        String s = scope == null ? "" : scope;
        rows.merge(day + "|" + m + "|" + s, ProviderCostRow.empty(provider.ledgerName(), day, m, s).plus(usd, label, longContext, regional),
                (old, line) -> old.plus(usd, label, longContext, regional));
    }

    /**
     * The model an OpenAI line item names: the text before the first ", " ("gpt-4o-2024-08-06, input" gives
     * "gpt-4o-2024-08-06"); a line item without one is returned whole.
     */
    public static String modelOfLineItem(String lineItem) {
        int comma = lineItem.indexOf(", ");
        return (comma < 0 ? lineItem : lineItem.substring(0, comma)).trim();
    }

    private static String labelOf(String description, String costType, String tokenType) {
        if (description != null) {
            return description;
        }
        if (costType == null) {
            return null;
        }
        return tokenType == null ? costType : costType + "/" + tokenType;
    }

    private static String text(JsonNode line, String field) {
        JsonNode v = line.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static BigDecimal decimal(String value, String where) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new CostReportException(where + ": amount '" + value + "' is not a decimal number");
        }
    }
}
