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
package dev.tokenledger.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.ClassRate;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.NamedMultiplier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.schemas.CacheRetention;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * TokenLedger's price catalog file format (JSON). Decimals are strings ({@code "3.75"}) so no parser
 * ever turns a price into a binary float; JSON numbers are accepted too and read as exact decimals.
 *
 * <pre>{@code
 * {
 *   "format": "tokenledger-prices",
 *   "version": 1,
 *   "entries": [
 *     {
 *       "entry_id": "anthropic/claude-sonnet-4-5@2025-09-29",        // optional: provider/model@effective_from
 *       "provider": "anthropic",
 *       "model": "claude-sonnet-4-5",
 *       "aliases": ["claude-sonnet-4-5-20250929"],
 *       "model_patterns": ["claude-sonnet-4-5-\\d{8}"],
 *       "effective_from": "2025-09-29",                               // date (UTC midnight) or ISO instant
 *       "effective_to": null,
 *       "input_per_mtok": "3", "output_per_mtok": "15",
 *       "cache_write_5m_per_mtok": "3.75", "cache_write_1h_per_mtok": "6", "cache_read_per_mtok": "0.30",
 *       "cache_write_per_mtok": {"30m": "3.125", "12h": "6.25"},      // other retentions (keys ^[1-9][0-9]*(m|h|d)$, not 5m/1h)
 *       "other_rates": {"audio_input": "..."},
 *       "long_context": {"threshold_tokens": 200000, "input_per_mtok": "6", "output_per_mtok": "22.50",
 *                        "cache_write_5m_per_mtok": "7.50", "cache_write_1h_per_mtok": "12", "cache_read_per_mtok": "0.60"},
 *       "batch_multiplier": "0.5",
 *       "service_tier_multipliers": {"priority": "2"},
 *       "region_multipliers": {"us": "1.1"},
 *       "discount_multiplier": null,
 *       "source_url": "https://...", "source_read_on": "2026-11-23",
 *       "notes": "..."
 *     }
 *   ]
 * }
 * }</pre>
 * Unknown fields are refused (a typo in a rate name must not silently drop a rate).
 */
public final class PriceCatalogJson {

    public static final String FORMAT = "tokenledger-prices";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final Set<String> ENTRY_FIELDS = Set.of("entry_id", "provider", "model", "aliases", "model_patterns",
            "effective_from", "effective_to", "currency", "input_per_mtok", "output_per_mtok", "cache_write_5m_per_mtok",
            "cache_write_1h_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok", "other_rates", "long_context", "batch_multiplier",
            "service_tier_multipliers", "region_multipliers", "discount_multiplier", "source_url", "source_read_on", "notes");
    private static final Set<String> TIER_FIELDS = Set.of("threshold_tokens", "input_per_mtok", "output_per_mtok",
            "cache_write_5m_per_mtok", "cache_write_1h_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok");

    private PriceCatalogJson() {
    }

    public static List<PriceEntry> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read price catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a catalog; {@code origin} names the source in error messages. */
    public static List<PriceEntry> read(InputStream in, String origin) throws IOException {
        final JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("entries").isArray()) {
            throw new IllegalArgumentException(origin + " is not a TokenLedger price catalog: expected an object with an"
                    + " \"entries\" array (for LiteLLM's model_prices_and_context_window.json use --format litellm)");
        }
        final List<PriceEntry> entries = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root.get("entries")) {
            entries.add(entry(n, origin + " entries[" + i + "]"));
            i++;
        }
        return entries;
    }

    static PriceEntry entry(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            final String f = it.next();
            if (!ENTRY_FIELDS.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "' (known: " + new java.util.TreeSet<>(ENTRY_FIELDS) + ")");
            }
        }
        final String provider = text(n, "provider", where, true);
        final String model = text(n, "model", where, true);
        final Instant from = instant(n, "effective_from", where, true);
        final String where2 = where + " (" + provider + "/" + model + ")";
        String id = text(n, "entry_id", where2, false);
        if (id == null) {
            id = defaultId(provider, model, from);
        }
        final PriceEntry.Builder b = PriceEntry.newBuilder()
                .setEntryId(id)
                .setProvider(provider)
                .setModel(model)
                .setAliases(strings(n, "aliases", where2))
                .setModelPatterns(strings(n, "model_patterns", where2))
                .setEffectiveFrom(from)
                .setEffectiveTo(instant(n, "effective_to", where2, false))
                .setInputPerMtok(decimal(n, "input_per_mtok", where2, true))
                .setOutputPerMtok(decimal(n, "output_per_mtok", where2, true))
                .setCacheWrite5mPerMtok(decimal(n, "cache_write_5m_per_mtok", where2, false))
                .setCacheWrite1hPerMtok(decimal(n, "cache_write_1h_per_mtok", where2, false))
                .setCacheReadPerMtok(decimal(n, "cache_read_per_mtok", where2, false))
                .setCacheWriteRates(retentionRates(n, where2))
                .setBatchMultiplier(decimal(n, "batch_multiplier", where2, false))
                .setDiscountMultiplier(decimal(n, "discount_multiplier", where2, false))
                .setSourceUrl(text(n, "source_url", where2, true))
                .setSourceReadOn(date(n, "source_read_on", where2))
                .setNotes(text(n, "notes", where2, false));
        final String currency = text(n, "currency", where2, false);
        if (currency != null) {
            b.setCurrency(currency);
        }
        final List<ClassRate> other = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> e : decimalMap(n, "other_rates", where2)) {
            other.add(ClassRate.newBuilder().setTokenClass(e.getKey()).setPerMtok(e.getValue()).build());
        }
        b.setOtherRates(other);
        b.setServiceTierMultipliers(named(n, "service_tier_multipliers", where2));
        b.setRegionMultipliers(named(n, "region_multipliers", where2));
        final JsonNode lc = n.get("long_context");
        if (lc != null && !lc.isNull()) {
            final String w = where2 + " long_context";
            if (!lc.isObject()) {
                throw new IllegalArgumentException(w + ": expected an object");
            }
            for (Iterator<String> it = lc.fieldNames(); it.hasNext(); ) {
                final String f = it.next();
                if (!TIER_FIELDS.contains(f)) {
                    throw new IllegalArgumentException(w + ": unknown field '" + f + "'");
                }
            }
            final JsonNode th = lc.get("threshold_tokens");
            if (th == null || !th.canConvertToLong() || !th.isIntegralNumber()) {
                throw new IllegalArgumentException(w + ": threshold_tokens must be an integer, got " + th);
            }
            b.setLongContext(LongContextTier.newBuilder()
                    .setThresholdTokens(th.asLong())
                    .setInputPerMtok(decimal(lc, "input_per_mtok", w, true))
                    .setOutputPerMtok(decimal(lc, "output_per_mtok", w, true))
                    .setCacheWrite5mPerMtok(decimal(lc, "cache_write_5m_per_mtok", w, false))
                    .setCacheWrite1hPerMtok(decimal(lc, "cache_write_1h_per_mtok", w, false))
                    .setCacheReadPerMtok(decimal(lc, "cache_read_per_mtok", w, false))
                    .setCacheWriteRates(retentionRates(lc, w))
                    .build());
        }
        try {
            return PriceCatalog.validated(b.build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** The conventional id: {@code provider/model@YYYY-MM-DD} (or the full instant when not midnight UTC). */
    public static String defaultId(String provider, String model, Instant from) {
        final LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate();
        final String when = day.atStartOfDay(ZoneOffset.UTC).toInstant().equals(from) ? day.toString() : from.toString();
        return provider + "/" + model + "@" + when;
    }

    /** Writes entries in this format (decimals as plain strings, stripped of trailing zeros). */
    public static String write(Collection<PriceEntry> entries) {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        final ArrayNode arr = root.putArray("entries");
        for (PriceEntry e : entries) {
            arr.add(toJson(e));
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** One entry as a JSON object of this format. */
    public static ObjectNode toJson(PriceEntry e) {
        final ObjectNode o = MAPPER.createObjectNode();
        o.put("entry_id", e.getEntryId());
        o.put("provider", e.getProvider());
        o.put("model", e.getModel());
        e.getAliases().forEach(o.putArray("aliases")::add);
        e.getModelPatterns().forEach(o.putArray("model_patterns")::add);
        o.put("effective_from", dateOrInstant(e.getEffectiveFrom()));
        if (e.getEffectiveTo() != null) {
            o.put("effective_to", dateOrInstant(e.getEffectiveTo()));
        }
        putDecimal(o, "input_per_mtok", e.getInputPerMtok());
        putDecimal(o, "output_per_mtok", e.getOutputPerMtok());
        putDecimal(o, "cache_write_5m_per_mtok", e.getCacheWrite5mPerMtok());
        putDecimal(o, "cache_write_1h_per_mtok", e.getCacheWrite1hPerMtok());
        putDecimal(o, "cache_read_per_mtok", e.getCacheReadPerMtok());
        putRetentionRates(o, e.getCacheWriteRates());
        if (!e.getOtherRates().isEmpty()) {
            final ObjectNode other = o.putObject("other_rates");
            e.getOtherRates().forEach(r -> putDecimal(other, r.getTokenClass(), r.getPerMtok()));
        }
        if (e.getLongContext() != null) {
            final LongContextTier t = e.getLongContext();
            final ObjectNode lc = o.putObject("long_context");
            lc.put("threshold_tokens", t.getThresholdTokens());
            putDecimal(lc, "input_per_mtok", t.getInputPerMtok());
            putDecimal(lc, "output_per_mtok", t.getOutputPerMtok());
            putDecimal(lc, "cache_write_5m_per_mtok", t.getCacheWrite5mPerMtok());
            putDecimal(lc, "cache_write_1h_per_mtok", t.getCacheWrite1hPerMtok());
            putDecimal(lc, "cache_read_per_mtok", t.getCacheReadPerMtok());
            putRetentionRates(lc, t.getCacheWriteRates());
        }
        putDecimal(o, "batch_multiplier", e.getBatchMultiplier());
        if (!e.getServiceTierMultipliers().isEmpty()) {
            final ObjectNode st = o.putObject("service_tier_multipliers");
            e.getServiceTierMultipliers().forEach(m -> putDecimal(st, m.getName(), m.getMultiplier()));
        }
        if (!e.getRegionMultipliers().isEmpty()) {
            final ObjectNode rm = o.putObject("region_multipliers");
            e.getRegionMultipliers().forEach(m -> putDecimal(rm, m.getName(), m.getMultiplier()));
        }
        putDecimal(o, "discount_multiplier", e.getDiscountMultiplier());
        o.put("source_url", e.getSourceUrl());
        o.put("source_read_on", e.getSourceReadOn().toString());
        if (e.getNotes() != null) {
            o.put("notes", e.getNotes());
        }
        return o;
    }

    /** A decimal as plain text without trailing zeros ("3.75", "0.3", "15"). */
    public static String plain(BigDecimal d) {
        final BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    private static void putRetentionRates(ObjectNode o, Map<String, BigDecimal> rates) {
        if (rates != null && !rates.isEmpty()) {
            final ObjectNode w = o.putObject("cache_write_per_mtok");
            new TreeMap<>(rates).forEach((k, v) -> putDecimal(w, k, v));
        }
    }

    /**
     * {@code "cache_write_per_mtok": {"30m": "3.125", "12h": "5"}}: cache-write rates by retention key for
     * retentions other than 5m and 1h (those keep {@code cache_write_5m_per_mtok} / {@code cache_write_1h_per_mtok}).
     */
    private static Map<String, BigDecimal> retentionRates(JsonNode n, String where) {
        final Map<String, BigDecimal> out = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> e : decimalMap(n, "cache_write_per_mtok", where)) {
            final String problem = CacheRetention.problemAsMapKey(e.getKey());
            if (problem != null) {
                final String hint = CacheRetention.hasOwnField(e.getKey())
                        ? "; use \"cache_write_" + e.getKey() + "_per_mtok\"" : "";
                throw new IllegalArgumentException(where + ": cache_write_per_mtok: " + problem + hint);
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static void putDecimal(ObjectNode o, String field, BigDecimal d) {
        if (d != null) {
            o.put(field, plain(d));
        }
    }

    private static String dateOrInstant(Instant i) {
        final LocalDate day = i.atZone(ZoneOffset.UTC).toLocalDate();
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().equals(i) ? day.toString() : i.toString();
    }

    private static String text(JsonNode n, String field, String where, boolean required) {
        final JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": " + field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode n, String field, String where) {
        final JsonNode v = n.get(field);
        final List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": " + field + " must be an array of strings, got " + v);
        }
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException(where + ": " + field + " must hold strings, got " + s);
            }
            out.add(s.asText());
        }
        return out;
    }

    static BigDecimal decimal(JsonNode n, String field, String where, boolean required) {
        final JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": " + field + " is required (a decimal string such as \"3.00\")");
            }
            return null;
        }
        return decimalValue(v, field, where);
    }

    private static BigDecimal decimalValue(JsonNode v, String field, String where) {
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + field + " = \"" + v.asText() + "\" is not a decimal number");
            }
        }
        if (v.isNumber()) {
            // USE_BIG_DECIMAL_FOR_FLOATS: the parser kept the exact decimal text, never a double.
            return v.decimalValue();
        }
        throw new IllegalArgumentException(where + ": " + field + " must be a decimal string such as \"3.00\", got " + v);
    }

    private static Iterable<Map.Entry<String, BigDecimal>> decimalMap(JsonNode n, String field, String where) {
        final JsonNode v = n.get(field);
        final List<Map.Entry<String, BigDecimal>> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(where + ": " + field + " must be an object of name -> decimal string, got " + v);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            out.add(Map.entry(e.getKey(), decimalValue(e.getValue(), field + "." + e.getKey(), where)));
        }
        return out;
    }

    private static List<NamedMultiplier> named(JsonNode n, String field, String where) {
        final List<NamedMultiplier> out = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> e : decimalMap(n, field, where)) {
            out.add(NamedMultiplier.newBuilder().setName(e.getKey()).setMultiplier(e.getValue()).build());
        }
        return out;
    }

    private static Instant instant(JsonNode n, String field, String where, boolean required) {
        final String s = text(n, field, where, required);
        if (s == null) {
            return null;
        }
        return parseInstant(s, where + ": " + field);
    }

    /** "2025-09-29" (UTC midnight) or an ISO-8601 instant ("2025-09-29T00:00:00Z"). */
    public static Instant parseInstant(String s, String what) {
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " = \"" + s + "\" is not a date (YYYY-MM-DD) or an ISO-8601 instant");
        }
    }

    private static LocalDate date(JsonNode n, String field, String where) {
        final String s = text(n, field, where, true);
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": " + field + " = \"" + s + "\" is not a date (YYYY-MM-DD)");
        }
    }
}
