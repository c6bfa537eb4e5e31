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

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenledger.avro.ClassRate;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.NamedMultiplier;
import dev.tokenledger.avro.PriceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers "does our price catalog still agree with LiteLLM's community price map?" before an invoice does:
 * compares the catalog in force at an instant with a map in LiteLLM's format
 * ({@code model_prices_and_context_window.json}) and lists every model whose rates differ or that is
 * missing on either side. Used by {@code tokenledger prices check --litellm FILE}.
 *
 * <p><b>Scope.</b> Only the providers TokenLedger prices: LiteLLM keys whose {@code litellm_provider} is
 * {@code anthropic}, {@code openai} / {@code text-completion-openai}, or {@code gemini} /
 * {@code vertex_ai-language-models} (both {@code google}), of a token-billed mode (chat, completion,
 * responses, or none given); on the catalog side, the entries of those providers in force at the instant.
 *
 * <p><b>Matching.</b> A LiteLLM key is looked up in the catalog the way an event's model is
 * ({@link PriceCatalog#find}: model name, then aliases, then patterns, case-insensitively), first without
 * a {@code provider/} prefix ({@code gemini/gemini-2.5-flash} is {@code gemini-2.5-flash}), then as
 * written. A key with no entry in force is "missing in the catalog"; an entry in force that no key
 * matched is "missing in LiteLLM".
 *
 * <p><b>Rates</b> are compared exactly (USD per million tokens; LiteLLM's per-token numbers are read as
 * their decimal text and multiplied by 1,000,000, never through a {@code double}): input, output, cache
 * read, cache writes ({@code cache_creation_input_token_cost}: LiteLLM's one write price is the provider's default
 * retention, so it is compared with the catalog's 5m rate for Anthropic and Google and its 30m rate for OpenAI,
 * whose published write price is for 30 minutes; {@code cache_creation_input_token_cost_above_1hr}: 1h), audio input / output (the catalog's
 * {@code audio_input} / {@code audio_output} classes), the long-context tier (threshold and its rates;
 * a tier rate LiteLLM leaves out is the base rate, as LiteLLM prices it), and, where LiteLLM lists them,
 * batch, priority and flex prices (the catalog's rate times its multiplier; a catalog {@code fast} multiplier
 * stands for priority when there is no {@code priority} one, OpenAI's new name for it) and a separate reasoning
 * price (TokenLedger bills reasoning as output). A rate on one side only is a difference, except
 * batch / service-tier prices the catalog has and LiteLLM does not list (LiteLLM omits them often; it
 * is no disagreement on a price). Not compared, because LiteLLM's format has no field for them: cache
 * writes of other retentions (12h, ...), region multipliers and negotiated discounts.
 */
public final class LiteLlmPriceCheck {

    /** LiteLLM's {@code litellm_provider} values TokenLedger prices, to TokenLedger's provider name. */
    private static final Map<String, String> PROVIDERS = Map.of(
            "anthropic", "anthropic",
            "openai", "openai",
            "text-completion-openai", "openai",
            "gemini", "google",
            "vertex_ai-language-models", "google");
    private static final Set<String> TOKEN_MODES = Set.of("chat", "completion", "responses");
    private static final Pattern ABOVE = Pattern.compile("(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
            + "|cache_creation_input_token_cost_above_1hr|cache_creation_input_token_cost)_above_(\\d+)k_tokens");
    private static final List<String> SERVICE_TIERS = List.of("priority", "flex");

    static final String INPUT = "input";
    static final String OUTPUT = "output";
    static final String CACHE_READ = "cache read";
    static final String CACHE_WRITE_5M = "cache write 5m";
    static final String CACHE_WRITE_1H = "cache write 1h";
    static final String CACHE_WRITE_30M = "cache write 30m";
    static final String AUDIO_INPUT = "audio input";
    static final String AUDIO_OUTPUT = "audio output";
    static final String REASONING = "reasoning output";
    static final String LC_THRESHOLD = "long-context threshold (tokens)";
    static final String LC = "long-context ";
    /** Rates the catalog may hold that LiteLLM often leaves out: absent on LiteLLM's side is no difference. */
    private static final Set<String> OPTIONAL_IN_LITELLM = Set.of("batch input", "batch output", "priority input", "priority output",
            "priority cache read", "flex input", "flex output", "flex cache read", REASONING);

    private LiteLlmPriceCheck() {
    }

    /** Which side lacks the model, or neither (both have it and some rate differs). */
    public enum Kind { RATES_DIFFER, MISSING_IN_CATALOG, MISSING_IN_LITELLM }

    /** One rate that differs; a null value means that side has no such rate. */
    public record RateDifference(String rate, BigDecimal catalog, BigDecimal litellm) {
        public RateDifference {
            catalog = normal(catalog);
            litellm = normal(litellm);
        }

        /** {@code cache read: catalog 0.2, LiteLLM 0.1} ({@code -} for a missing value). */
        public String describe() {
            return rate + ": catalog " + show(catalog) + ", LiteLLM " + show(litellm);
        }
    }

    /**
     * One model that differs or is missing on one side.
     *
     * @param litellmKey the LiteLLM key (null when missing in LiteLLM)
     * @param entryId the catalog entry (null when missing in the catalog)
     * @param rates the differing rates (RATES_DIFFER), or the rates of the side that has the model
     */
    public record Finding(Kind kind, String provider, String model, String litellmKey, String entryId, List<RateDifference> rates) {
        public Finding {
            rates = List.copyOf(rates);
        }

        /** The finding as one line of text. */
        public String line() {
            final StringBuilder s = new StringBuilder();
            switch (kind) {
                case RATES_DIFFER -> {
                    s.append("DIFFERS            ").append(provider).append('/').append(model).append(" (LiteLLM '").append(litellmKey)
                            .append("', entry ").append(entryId).append("): ");
                    s.append(String.join("; ", rates.stream().map(RateDifference::describe).toList()));
                }
                case MISSING_IN_CATALOG -> {
                    s.append("MISSING IN CATALOG ").append(provider).append('/').append(model).append(" (LiteLLM '").append(litellmKey)
                            .append("'): ");
                    s.append(String.join(", ", rates.stream().map(r -> r.rate() + " " + show(r.litellm())).toList()));
                }
                case MISSING_IN_LITELLM -> {
                    s.append("MISSING IN LITELLM ").append(provider).append('/').append(model).append(" (entry ").append(entryId)
                            .append("): ");
                    s.append(String.join(", ", rates.stream().map(r -> r.rate() + " " + show(r.catalog())).toList()));
                }
                default -> throw new IllegalStateException(kind.toString());
            }
            return s.toString();
        }
    }

    /**
     * What the comparison found.
     *
     * @param compared LiteLLM keys in scope (providers and modes TokenLedger prices)
     * @param agreeing of those, the keys whose every compared rate equals the catalog's
     * @param findings differing and missing models: differing first, then missing in the catalog, then missing in LiteLLM
     */
    public record Report(Instant at, int compared, int agreeing, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        public boolean hasDifferences() {
            return !findings.isEmpty();
        }

        public long count(Kind kind) {
            return findings.stream().filter(f -> f.kind() == kind).count();
        }
    }

    /** Compares {@code catalog} at {@code at} with the LiteLLM map in {@code file}. */
    public static Report compare(PriceCatalog catalog, Path file, Instant at) {
        try (InputStream in = Files.newInputStream(file)) {
            return compare(catalog, in, file.toString(), at);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read LiteLLM price map " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compares {@code catalog} at {@code at} with a LiteLLM map read from {@code in}.
     *
     * @throws IllegalArgumentException when the input is not JSON or not an object of model name to prices, or
     *     a price is not a non-negative number (naming {@code origin}, the key and the field)
     */
    public static Report compare(PriceCatalog catalog, InputStream in, String origin, Instant at) throws IOException {
        final JsonNode root = LiteLlmPriceMap.readMap(in, origin);
        final List<Finding> differ = new ArrayList<>();
        final List<Finding> missingInCatalog = new ArrayList<>();
        final Set<String> matchedEntries = new HashSet<>();
        int compared = 0;
        int agreeing = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = it.next();
            final String key = field.getKey();
            final JsonNode n = field.getValue();
            if ("sample_spec".equals(key) || !n.isObject()) {
                continue;
            }
            final String provider = PROVIDERS.get(n.path("litellm_provider").asText("").toLowerCase(Locale.ROOT));
            final String mode = n.path("mode").asText("");
            if (provider == null || (!mode.isEmpty() && !TOKEN_MODES.contains(mode))) {
                continue;
            }
            final Map<String, BigDecimal> litellm;
            try {
                litellm = litellmRates(n, provider);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(origin + ": '" + key + "': " + bad.getMessage());
            }
            if (!litellm.containsKey(INPUT) || !litellm.containsKey(OUTPUT)) {
                continue; // not priced per token (per second, per image, ...): nothing to compare
            }
            compared++;
            final String model = key.indexOf('/') > 0 ? key.substring(key.indexOf('/') + 1) : key;
            final PriceEntry entry = catalog.find(provider, model, at).or(() -> catalog.find(provider, key, at)).orElse(null);
            if (entry == null) {
                final List<RateDifference> rates = new ArrayList<>();
                for (String rate : List.of(INPUT, OUTPUT, CACHE_READ, CACHE_WRITE_5M, CACHE_WRITE_30M, CACHE_WRITE_1H, LC_THRESHOLD)) {
                    if (litellm.containsKey(rate)) {
                        rates.add(new RateDifference(rate, null, litellm.get(rate)));
                    }
                }
                missingInCatalog.add(new Finding(Kind.MISSING_IN_CATALOG, provider, model, key, null, rates));
                continue;
            }
            matchedEntries.add(entry.getEntryId());
            final List<RateDifference> diffs = differences(catalogRates(entry), litellm, writeRate(provider));
            if (diffs.isEmpty()) {
                agreeing++;
            } else {
                differ.add(new Finding(Kind.RATES_DIFFER, provider, entry.getModel(), key, entry.getEntryId(), diffs));
            }
        }
        final List<Finding> missingInLitellm = new ArrayList<>();
        final Set<String> providers = new HashSet<>(PROVIDERS.values());
        for (PriceEntry e : catalog.entries()) {
            if (providers.contains(e.getProvider().toLowerCase(Locale.ROOT)) && PriceCatalog.isInForce(e, at)
                    && !matchedEntries.contains(e.getEntryId())) {
                final List<RateDifference> rates = new ArrayList<>();
                rates.add(new RateDifference(INPUT, e.getInputPerMtok(), null));
                rates.add(new RateDifference(OUTPUT, e.getOutputPerMtok(), null));
                missingInLitellm.add(new Finding(Kind.MISSING_IN_LITELLM, e.getProvider(), e.getModel(), null, e.getEntryId(), rates));
            }
        }
        final Comparator<Finding> order = Comparator.comparing(Finding::provider).thenComparing(Finding::model)
                .thenComparing(f -> f.litellmKey() == null ? "" : f.litellmKey());
        differ.sort(order);
        missingInCatalog.sort(order);
        missingInLitellm.sort(order);
        final List<Finding> all = new ArrayList<>(differ);
        all.addAll(missingInCatalog);
        all.addAll(missingInLitellm);
        return new Report(at, compared, agreeing, all);
    }

    /** The rates of a catalog entry by name (see the class comment), per million tokens. */
    static Map<String, BigDecimal> catalogRates(PriceEntry e) {
        final Map<String, BigDecimal> r = new LinkedHashMap<>();
        put(r, INPUT, e.getInputPerMtok());
        put(r, OUTPUT, e.getOutputPerMtok());
        put(r, CACHE_READ, e.getCacheReadPerMtok());
        put(r, CACHE_WRITE_5M, e.getCacheWrite5mPerMtok());
        put(r, CACHE_WRITE_1H, e.getCacheWrite1hPerMtok());
        // a write rate equal to the input rate is "billed as input" (OpenAI before GPT-5.6), which LiteLLM says by listing none
        new TreeMap<>(e.getCacheWriteRates()).forEach((retention, rate) -> {
            if (rate.compareTo(e.getInputPerMtok()) != 0) {
                put(r, "cache write " + retention, rate);
            }
        });
        for (ClassRate c : e.getOtherRates()) {
            if ("audio_input".equals(c.getTokenClass())) {
                put(r, AUDIO_INPUT, c.getPerMtok());
            } else if ("audio_output".equals(c.getTokenClass())) {
                put(r, AUDIO_OUTPUT, c.getPerMtok());
            }
        }
        put(r, REASONING, e.getOutputPerMtok());
        final LongContextTier t = e.getLongContext();
        if (t != null) {
            r.put(LC_THRESHOLD, BigDecimal.valueOf(t.getThresholdTokens()));
            put(r, LC + INPUT, t.getInputPerMtok());
            put(r, LC + OUTPUT, t.getOutputPerMtok());
            put(r, LC + CACHE_READ, t.getCacheReadPerMtok());
            put(r, LC + CACHE_WRITE_5M, t.getCacheWrite5mPerMtok());
            put(r, LC + CACHE_WRITE_1H, t.getCacheWrite1hPerMtok());
            new TreeMap<>(t.getCacheWriteRates()).forEach((retention, rate) -> {
                if (rate.compareTo(t.getInputPerMtok()) != 0) {
                    put(r, LC + "cache write " + retention, rate);
                }
            });
        }
        if (e.getBatchMultiplier() != null) {
            put(r, "batch input", e.getInputPerMtok().multiply(e.getBatchMultiplier()));
            put(r, "batch output", e.getOutputPerMtok().multiply(e.getBatchMultiplier()));
        }
        final Map<String, BigDecimal> tiers = new TreeMap<>();
        for (NamedMultiplier m : e.getServiceTierMultipliers()) {
            tiers.put(m.getName().toLowerCase(Locale.ROOT), m.getMultiplier());
        }
        // OpenAI renamed Priority processing to Fast mode; LiteLLM keeps the *_priority fields.
        if (!tiers.containsKey("priority") && tiers.containsKey("fast")) {
            tiers.put("priority", tiers.get("fast"));
        }
        for (String tier : SERVICE_TIERS) {
            final BigDecimal m = tiers.get(tier);
            if (m != null) {
                put(r, tier + " input", e.getInputPerMtok().multiply(m));
                put(r, tier + " output", e.getOutputPerMtok().multiply(m));
                if (e.getCacheReadPerMtok() != null) {
                    put(r, tier + " cache read", e.getCacheReadPerMtok().multiply(m));
                }
            }
        }
        return r;
    }

    /** The rates of one LiteLLM entry by name, per million tokens. */
    static Map<String, BigDecimal> litellmRates(JsonNode n, String provider) {
        // LiteLLM has one cache-write price: the provider's default retention, 5 minutes at Anthropic, 30 minutes at
        // OpenAI ("The cache write price is for 30 minutes of retention", OpenAI's model pages).
        final String write = writeRate(provider);
        final Map<String, BigDecimal> r = new LinkedHashMap<>();
        final BigDecimal input = LiteLlmPriceMap.perMillion(n, "input_cost_per_token");
        final BigDecimal output = LiteLlmPriceMap.perMillion(n, "output_cost_per_token");
        put(r, INPUT, input);
        put(r, OUTPUT, output);
        put(r, CACHE_READ, LiteLlmPriceMap.perMillion(n, "cache_read_input_token_cost"));
        put(r, write, LiteLlmPriceMap.perMillion(n, "cache_creation_input_token_cost"));
        put(r, CACHE_WRITE_1H, LiteLlmPriceMap.perMillion(n, "cache_creation_input_token_cost_above_1hr"));
        put(r, AUDIO_INPUT, LiteLlmPriceMap.perMillion(n, "input_cost_per_audio_token"));
        put(r, AUDIO_OUTPUT, LiteLlmPriceMap.perMillion(n, "output_cost_per_audio_token"));
        put(r, REASONING, LiteLlmPriceMap.perMillion(n, "output_cost_per_reasoning_token"));
        final TreeMap<Long, Map<String, BigDecimal>> tiers = new TreeMap<>();
        for (Iterator<String> f = n.fieldNames(); f.hasNext(); ) {
            final String field = f.next();
            final Matcher m = ABOVE.matcher(field);
            if (m.matches()) {
                final BigDecimal v = LiteLlmPriceMap.perMillion(n, field);
                if (v != null) {
                    tiers.computeIfAbsent(Long.parseLong(m.group(2)) * 1000L, k -> new TreeMap<>()).put(m.group(1), v);
                }
            }
        }
        if (!tiers.isEmpty()) {
            // TokenLedger models one tier: compare LiteLLM's first (lowest) threshold.
            final long threshold = tiers.firstKey();
            final Map<String, BigDecimal> t = tiers.get(threshold);
            r.put(LC_THRESHOLD, BigDecimal.valueOf(threshold));
            put(r, LC + INPUT, t.getOrDefault("input_cost_per_token", input));
            put(r, LC + OUTPUT, t.getOrDefault("output_cost_per_token", output));
            put(r, LC + CACHE_READ, t.get("cache_read_input_token_cost"));
            put(r, LC + write, t.get("cache_creation_input_token_cost"));
            put(r, LC + CACHE_WRITE_1H, t.get("cache_creation_input_token_cost_above_1hr"));
        }
        put(r, "batch input", LiteLlmPriceMap.perMillion(n, "input_cost_per_token_batches"));
        put(r, "batch output", LiteLlmPriceMap.perMillion(n, "output_cost_per_token_batches"));
        for (String tier : SERVICE_TIERS) {
            put(r, tier + " input", LiteLlmPriceMap.perMillion(n, "input_cost_per_token_" + tier));
            put(r, tier + " output", LiteLlmPriceMap.perMillion(n, "output_cost_per_token_" + tier));
            put(r, tier + " cache read", LiteLlmPriceMap.perMillion(n, "cache_read_input_token_cost_" + tier));
        }
        return r;
    }

    /** The catalog rate LiteLLM's {@code cache_creation_input_token_cost} is: the provider's default retention. */
    private static String writeRate(String provider) {
        return "openai".equals(provider) ? CACHE_WRITE_30M : CACHE_WRITE_5M;
    }

    /**
     * Every rate that differs, in the order of {@code catalog}'s names, then LiteLLM-only names.
     *
     * @param litellmWrite the cache-write rate LiteLLM's one write price stands for (others but 1h it cannot express)
     */
    static List<RateDifference> differences(Map<String, BigDecimal> catalog, Map<String, BigDecimal> litellm, String litellmWrite) {
        final List<RateDifference> out = new ArrayList<>();
        // When only one side has a long-context tier, the threshold line says so; its rates are not listed one by one.
        final boolean bothTiers = catalog.containsKey(LC_THRESHOLD) && litellm.containsKey(LC_THRESHOLD);
        for (Map.Entry<String, BigDecimal> c : catalog.entrySet()) {
            final BigDecimal l = litellm.get(c.getKey());
            if (l == null) {
                if (!OPTIONAL_IN_LITELLM.contains(c.getKey()) && (bothTiers || !isTierRate(c.getKey()))
                        && litellmCanExpress(c.getKey(), litellmWrite)) {
                    out.add(new RateDifference(c.getKey(), c.getValue(), null));
                }
            } else if (l.compareTo(c.getValue()) != 0) {
                out.add(new RateDifference(c.getKey(), c.getValue(), l));
            }
        }
        for (Map.Entry<String, BigDecimal> l : litellm.entrySet()) {
            if (!catalog.containsKey(l.getKey()) && (bothTiers || !isTierRate(l.getKey()))) {
                out.add(new RateDifference(l.getKey(), null, l.getValue()));
            }
        }
        return out;
    }

    /** False for cache writes of a retention LiteLLM's format has no field for (12h, ...): absent there is no difference. */
    private static boolean litellmCanExpress(String rate, String litellmWrite) {
        final String base = rate.startsWith(LC) ? rate.substring(LC.length()) : rate;
        return !base.startsWith("cache write ") || base.equals(litellmWrite) || base.equals(CACHE_WRITE_1H);
    }

    private static boolean isTierRate(String rate) {
        return rate.startsWith(LC) && !LC_THRESHOLD.equals(rate);
    }

    private static void put(Map<String, BigDecimal> rates, String name, BigDecimal value) {
        if (value != null) {
            rates.put(name, value);
        }
    }

    /** Without trailing zeros (scale 12 on the catalog side), never in exponent form: 45, 0.15, 272000. */
    private static BigDecimal normal(BigDecimal d) {
        if (d == null) {
            return null;
        }
        final BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static String show(BigDecimal d) {
        return d == null ? "-" : PriceCatalogJson.plain(d);
    }
}
