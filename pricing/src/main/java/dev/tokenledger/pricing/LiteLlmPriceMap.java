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
import dev.tokenledger.avro.ClassRate;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.NamedMultiplier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.schemas.CacheRetention;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's community price map ({@code model_prices_and_context_window.json}: an object of model
 * name to per-token prices) into {@link PriceEntry} values.
 *
 * <p>Prices there are USD per token written as JSON numbers ({@code 3e-06}). They are parsed as the exact
 * decimal text ({@link DeserializationFeature#USE_BIG_DECIMAL_FOR_FLOATS}, never a {@code double}) and
 * multiplied by 1,000,000 to get the per-million rate TokenLedger stores.
 *
 * <p>Mapping: {@code input_cost_per_token} / {@code output_cost_per_token} -> input / output;
 * {@code cache_creation_input_token_cost} -> cache_write_5m (OpenAI: the 30m write of cache_write_rates, the one
 * retention its price covers); {@code cache_creation_input_token_cost_above_1hr}
 * -> cache_write_1h; {@code cache_read_input_token_cost} -> cache_read; {@code *_above_<N>k_tokens} -> a
 * long-context tier at N x 1000 tokens, {@code cache_creation_input_token_cost_above_1hr_above_<N>k_tokens} its
 * 1-hour write rate, {@code *_above_<N>k_tokens_priority|_flex} accepted when they are the entry's
 * service-tier multiplier of the tier rate (a tier field absent for a class means that class keeps its base
 * rate, as in LiteLLM; absent tier cache rates stay absent and are priced at the tier input rate, flagged);
 * {@code *_batches} -> batch multiplier; {@code *_priority} / {@code *_flex} -> service-tier multipliers;
 * {@code input_cost_per_audio_token} / {@code output_cost_per_audio_token} -> other classes
 * {@code audio_input} / {@code audio_output}. {@code litellm_provider} gives the provider
 * ({@code gemini} and {@code vertex_ai-language-models} become {@code google}, others are kept); a {@code provider/} prefix on
 * the key is stripped from the model name and the full key kept as an alias.
 *
 * <p><b>Refused, never guessed</b> (returned in {@link Result#refused()} with the reason): non-chat modes
 * (embedding, image_generation, audio_transcription, ...), entries without both token costs, entries billed
 * per second / character / image / request / pixel / query, reasoning tokens priced apart from output,
 * several long-context thresholds, multipliers that are not the same for input and output, and any other
 * {@code *cost*} field TokenLedger does not know (it may mean a billing model we would get wrong).
 */
public final class LiteLlmPriceMap {

    /** Where LiteLLM publishes the map; used as the default source URL. */
    public static final String LITELLM_URL =
            "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final Set<String> CHAT_MODES = Set.of("chat", "completion", "responses");
    private static final Pattern ABOVE = Pattern.compile(
            "(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost_above_1hr"
                    + "|cache_creation_input_token_cost)_above_(\\d+)k_tokens(_priority|_flex)?");
    private static final Set<String> KNOWN_COSTS = Set.of("input_cost_per_token", "output_cost_per_token",
            "cache_creation_input_token_cost", "cache_creation_input_token_cost_above_1hr", "cache_read_input_token_cost",
            "input_cost_per_token_batches", "output_cost_per_token_batches", "input_cost_per_token_priority",
            "output_cost_per_token_priority", "input_cost_per_token_flex", "output_cost_per_token_flex",
            "cache_read_input_token_cost_priority", "cache_read_input_token_cost_flex",
            "input_cost_per_audio_token", "output_cost_per_audio_token", "output_cost_per_reasoning_token");
    /** Price fields that mean a non-token billing model. */
    private static final List<String> OTHER_UNITS = List.of("per_second", "per_character", "per_image", "per_request",
            "per_pixel", "per_query", "per_video", "per_minute", "per_page");

    private LiteLlmPriceMap() {
    }

    /** A refused entry: the key in the file and why it was not loaded. */
    public record Refusal(String model, String reason) {
    }

    /** What a load produced: the entries it could map and the ones it refused. */
    public record Result(List<PriceEntry> entries, List<Refusal> refused) {
        public Result {
            entries = List.copyOf(entries);
            refused = List.copyOf(refused);
        }
    }

    /**
     * Loads a LiteLLM price map file.
     *
     * @param effectiveFrom effective_from of every entry (the file carries no dates)
     * @param readOn the date recorded as source_read_on
     */
    public static Result load(Path file, Instant effectiveFrom, LocalDate readOn) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString(), effectiveFrom, readOn);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read LiteLLM price map " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The map's JSON object of model name -> prices.
     *
     * @throws IllegalArgumentException naming {@code origin} when it is not JSON or not such an object
     */
    static JsonNode readMap(InputStream in, String origin) throws IOException {
        final JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(origin + " is not a LiteLLM price map: expected a JSON object of model name -> prices");
        }
        return root;
    }

    public static Result load(InputStream in, String origin, Instant effectiveFrom, LocalDate readOn) throws IOException {
        final JsonNode root = readMap(in, origin);
        final List<PriceEntry> entries = new ArrayList<>();
        final List<Refusal> refused = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            if ("sample_spec".equals(e.getKey())) {
                continue; // LiteLLM's documentation entry, not a model
            }
            try {
                entries.add(entry(e.getKey(), e.getValue(), effectiveFrom, readOn));
            } catch (Refused r) {
                refused.add(new Refusal(e.getKey(), r.getMessage()));
            } catch (IllegalArgumentException bad) {
                refused.add(new Refusal(e.getKey(), bad.getMessage()));
            }
        }
        return new Result(entries, refused);
    }

    private static PriceEntry entry(String key, JsonNode n, Instant effectiveFrom, LocalDate readOn) {
        if (!n.isObject()) {
            throw new Refused("not an object");
        }
        final String mode = n.path("mode").asText("");
        if (!mode.isEmpty() && !CHAT_MODES.contains(mode)) {
            throw new Refused("mode '" + mode + "' is not a chat/completion model; TokenLedger prices token usage of LLM calls only");
        }
        final TreeSet<String> unknown = new TreeSet<>();
        final TreeMap<Long, Map<String, BigDecimal>> tiers = new TreeMap<>();
        for (Iterator<String> f = n.fieldNames(); f.hasNext(); ) {
            final String field = f.next();
            if (!field.contains("cost")) {
                continue;
            }
            final Matcher m = ABOVE.matcher(field);
            if (m.matches()) {
                tiers.computeIfAbsent(Long.parseLong(m.group(2)) * 1000L, k -> new TreeMap<>())
                        .put(m.group(3) == null ? m.group(1) : m.group(1) + m.group(3), perMillion(n, field));
                continue;
            }
            for (String unit : OTHER_UNITS) {
                if (field.contains(unit) && isNonZero(n.get(field))) {
                    throw new Refused("billed " + unit.replace('_', ' ') + " (" + field + "), not per token");
                }
            }
            if (!KNOWN_COSTS.contains(field) && isNonZero(n.get(field))) {
                unknown.add(field);
            }
        }
        if (!unknown.isEmpty()) {
            throw new Refused("unknown cost fields " + unknown + ": they may mean a billing model TokenLedger would get wrong");
        }
        final BigDecimal input = perMillion(n, "input_cost_per_token");
        final BigDecimal output = perMillion(n, "output_cost_per_token");
        if (input == null || output == null) {
            throw new Refused("no input_cost_per_token / output_cost_per_token: nothing to price tokens with");
        }
        final BigDecimal reasoning = perMillion(n, "output_cost_per_reasoning_token");
        if (reasoning != null && reasoning.compareTo(output) != 0) {
            throw new Refused("reasoning tokens priced apart from output (" + plain(reasoning) + " vs " + plain(output)
                    + " per million); TokenLedger prices reasoning inside output");
        }
        if (tiers.size() > 1) {
            throw new Refused("several long-context thresholds " + tiers.keySet() + "; TokenLedger models one tier");
        }
        final String litellmProvider = n.path("litellm_provider").asText("");
        if (litellmProvider.isEmpty()) {
            throw new Refused("no litellm_provider");
        }
        final String provider = provider(litellmProvider);
        String model = key;
        final int slash = key.indexOf('/');
        if (slash > 0) {
            model = key.substring(slash + 1);
        }
        // OpenAI's one published cache-write price (GPT-5.6 and later) is the 30-minute retention's
        final boolean openAi = "openai".equals(provider);
        final List<String> notes = new ArrayList<>();
        notes.add("Loaded from LiteLLM's price map (key '" + key + "', litellm_provider '" + litellmProvider + "').");
        final PriceEntry.Builder b = PriceEntry.newBuilder()
                .setEntryId(PriceCatalogJson.defaultId(provider, model, effectiveFrom))
                .setProvider(provider)
                .setModel(model)
                .setAliases(model.equals(key) ? List.of() : List.of(key))
                .setEffectiveFrom(effectiveFrom)
                .setInputPerMtok(input)
                .setOutputPerMtok(output)
                .setCacheWrite5mPerMtok(openAi ? null : perMillion(n, "cache_creation_input_token_cost"))
                .setCacheWriteRates(thirtyMinuteWrite(openAi, perMillion(n, "cache_creation_input_token_cost")))
                .setCacheWrite1hPerMtok(perMillion(n, "cache_creation_input_token_cost_above_1hr"))
                .setCacheReadPerMtok(perMillion(n, "cache_read_input_token_cost"))
                .setSourceUrl(LITELLM_URL)
                .setSourceReadOn(readOn);
        final List<ClassRate> other = new ArrayList<>();
        final BigDecimal audioIn = perMillion(n, "input_cost_per_audio_token");
        if (audioIn != null) {
            other.add(ClassRate.newBuilder().setTokenClass("audio_input").setPerMtok(audioIn).build());
        }
        final BigDecimal audioOut = perMillion(n, "output_cost_per_audio_token");
        if (audioOut != null) {
            other.add(ClassRate.newBuilder().setTokenClass("audio_output").setPerMtok(audioOut).build());
        }
        b.setOtherRates(other);
        b.setBatchMultiplier(ratio(n, "batches", input, output, key));
        final List<NamedMultiplier> serviceTiers = new ArrayList<>();
        for (String tier : List.of("priority", "flex")) {
            final BigDecimal r = ratio(n, tier, input, output, key);
            if (r != null) {
                serviceTiers.add(NamedMultiplier.newBuilder().setName(tier).setMultiplier(r).build());
            }
        }
        b.setServiceTierMultipliers(serviceTiers);
        if (!tiers.isEmpty()) {
            final long threshold = tiers.firstKey();
            final Map<String, BigDecimal> t = tiers.get(threshold);
            final BigDecimal tierInput = t.getOrDefault("input_cost_per_token", input);
            final BigDecimal tierOutput = t.getOrDefault("output_cost_per_token", output);
            if (!t.containsKey("input_cost_per_token") || !t.containsKey("output_cost_per_token")) {
                notes.add("Long-context tier lists only " + t.keySet() + "; the other classes keep their base rate above "
                        + threshold + " tokens, as LiteLLM does.");
            }
            final BigDecimal tierRead = t.get("cache_read_input_token_cost");
            final BigDecimal tierWrite = t.get("cache_creation_input_token_cost");
            if ((tierRead == null && n.has("cache_read_input_token_cost"))
                    || (tierWrite == null && n.has("cache_creation_input_token_cost"))) {
                notes.add("No long-context cache rate in the map: cache tokens above " + threshold
                        + " are priced at the tier input rate and flagged.");
            }
            b.setLongContext(LongContextTier.newBuilder()
                    .setThresholdTokens(threshold)
                    .setInputPerMtok(tierInput)
                    .setOutputPerMtok(tierOutput)
                    .setCacheWrite5mPerMtok(openAi ? null : tierWrite)
                    .setCacheWriteRates(thirtyMinuteWrite(openAi, tierWrite))
                    .setCacheWrite1hPerMtok(t.get("cache_creation_input_token_cost_above_1hr"))
                    .setCacheReadPerMtok(tierRead)
                    .build());
            for (NamedMultiplier tier : serviceTiers) {
                checkTierServiceRate(t, tier, "input_cost_per_token", tierInput, threshold);
                checkTierServiceRate(t, tier, "output_cost_per_token", tierOutput, threshold);
                if (tierRead != null) {
                    checkTierServiceRate(t, tier, "cache_read_input_token_cost", tierRead, threshold);
                }
            }
            for (String field : t.keySet()) {
                final String suffix = field.endsWith("_priority") ? "priority" : field.endsWith("_flex") ? "flex" : null;
                if (suffix != null && serviceTiers.stream().noneMatch(x -> x.getName().equals(suffix))) {
                    throw new Refused("long-context " + suffix + " price (" + field.replace("_" + suffix, "_above_"
                            + threshold / 1000 + "k_tokens_" + suffix) + ") without a base " + suffix + " price");
                }
            }
        }
        b.setNotes(String.join(" ", notes));
        return PriceCatalog.validated(b.build());
    }

    private static Map<String, BigDecimal> thirtyMinuteWrite(boolean openAi, BigDecimal rate) {
        return openAi && rate != null ? Map.of(CacheRetention.THIRTY_MINUTES, rate) : Map.of();
    }

    /**
     * TokenLedger applies one service-tier multiplier to list and long-context rates alike: a
     * long-context priority/flex price is accepted only when it is that multiple of the tier rate.
     */
    private static void checkTierServiceRate(Map<String, BigDecimal> tierRates, NamedMultiplier tier, String base,
                                             BigDecimal tierRate, long threshold) {
        final BigDecimal priced = tierRates.get(base + "_" + tier.getName());
        if (priced == null) {
            return;
        }
        final BigDecimal expected = tierRate.multiply(tier.getMultiplier());
        if (priced.compareTo(expected) != 0) {
            throw new Refused(base + "_above_" + threshold / 1000 + "k_tokens_" + tier.getName() + " is " + plain(priced)
                    + " per million, not the x" + plain(tier.getMultiplier()) + " " + tier.getName() + " multiplier of the tier rate "
                    + plain(tierRate) + " (" + plain(expected) + "); TokenLedger applies one " + tier.getName()
                    + " multiplier to every rate");
        }
    }

    /** Multiplier of a {@code *_<suffix>} price pair relative to the base; null when absent. */
    private static BigDecimal ratio(JsonNode n, String suffix, BigDecimal input, BigDecimal output, String key) {
        final BigDecimal in = perMillion(n, "input_cost_per_token_" + suffix);
        final BigDecimal out = perMillion(n, "output_cost_per_token_" + suffix);
        if (in == null && out == null) {
            return null;
        }
        if (in == null || out == null || input.signum() == 0 || output.signum() == 0) {
            throw new Refused(suffix + " prices given for only one of input/output, or base price zero");
        }
        final BigDecimal ri = in.divide(input, 12, RoundingMode.HALF_EVEN).stripTrailingZeros();
        final BigDecimal ro = out.divide(output, 12, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (ri.compareTo(ro) != 0) {
            throw new Refused(suffix + " prices are not one multiplier of the base (input x" + plain(ri) + ", output x"
                    + plain(ro) + ")");
        }
        return ri;
    }

    /** A LiteLLM per-token price field as USD per million tokens, exactly; null when absent. */
    static BigDecimal perMillion(JsonNode n, String field) {
        final JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        final BigDecimal perToken;
        if (v.isNumber()) {
            perToken = v.decimalValue();
        } else if (v.isTextual()) {
            try {
                perToken = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " = \"" + v.asText() + "\" is not a number");
            }
        } else {
            throw new IllegalArgumentException(field + " must be a number, got " + v);
        }
        if (perToken.signum() < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + perToken.toPlainString());
        }
        final BigDecimal perMillion = perToken.multiply(MILLION);
        return perMillion.signum() == 0 ? BigDecimal.ZERO : perMillion.stripTrailingZeros();
    }

    private static boolean isNonZero(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isNumber()) {
            return v.decimalValue().signum() != 0;
        }
        return !v.isBoolean();
    }

    private static String provider(String litellmProvider) {
        final String p = litellmProvider.toLowerCase(Locale.ROOT);
        if (p.equals("gemini") || p.equals("vertex_ai-language-models")) {
            return "google";
        }
        if (p.equals("text-completion-openai")) {
            return "openai";
        }
        return p;
    }

    private static String plain(BigDecimal d) {
        return PriceCatalogJson.plain(d);
    }

    /** Control flow for a refused entry (message = reason). */
    private static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
