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
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An immutable, effective-dated price catalog: a set of {@link PriceEntry} (the Avro contract of the
 * {@code tokenledger.prices.v1} topic) indexed for lookup by provider and model.
 *
 * <p><b>Lookup</b> ({@link #find(String, String, Instant)}): provider is compared case-insensitively;
 * the model is matched first against entries' {@code model}, then their {@code aliases} (dated snapshots
 * such as {@code claude-sonnet-4-5-20250929}), then their {@code model_patterns} (Java regular
 * expressions matched against the whole name); names compare case-insensitively. Within the first stage
 * that has a match, only entries in force at the instant count ({@code effective_from <= at <
 * effective_to}); if several are, the one with the latest {@code effective_from} wins, so a price change
 * is published as a new entry with a later {@code effective_from} and events before that date keep their
 * old price.
 *
 * <p>Entries are validated and copied on the way in (every decimal brought to scale 12, the wire scale);
 * callers must not mutate the entries returned by {@link #entries()} or {@link #find}.
 */
public final class PriceCatalog {

    /** Classpath location of the shipped catalog. */
    public static final String DEFAULT_RESOURCE = "/dev/tokenledger/pricing/default-catalog.json";

    private static final PriceCatalog EMPTY = new PriceCatalog(new LinkedHashMap<>());

    private final Map<String, PriceEntry> byId;
    private final List<PriceEntry> entries;
    private final Map<String, List<PriceEntry>> byModel = new HashMap<>();
    private final Map<String, List<PriceEntry>> byAlias = new HashMap<>();
    private final Map<String, List<CompiledPattern>> patternsByProvider = new HashMap<>();
    /** Pattern matches per provider/model name, memoised (model names are few; bounded so junk cannot grow it). */
    private final java.util.concurrent.ConcurrentHashMap<String, List<PriceEntry>> patternMatches =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_MEMOISED_NAMES = 10_000;

    private PriceCatalog(LinkedHashMap<String, PriceEntry> byId) {
        this.byId = byId;
        final List<PriceEntry> sorted = new ArrayList<>(byId.values());
        sorted.sort(Comparator.comparing((PriceEntry e) -> e.getProvider())
                .thenComparing(PriceEntry::getModel)
                .thenComparing(PriceEntry::getEffectiveFrom)
                .thenComparing(PriceEntry::getEntryId));
        this.entries = List.copyOf(sorted);
        for (PriceEntry e : entries) {
            final String provider = lower(e.getProvider());
            byModel.computeIfAbsent(key(provider, e.getModel()), k -> new ArrayList<>()).add(e);
            for (String alias : e.getAliases()) {
                byAlias.computeIfAbsent(key(provider, alias), k -> new ArrayList<>()).add(e);
            }
            for (String p : e.getModelPatterns()) {
                patternsByProvider.computeIfAbsent(provider, k -> new ArrayList<>())
                        .add(new CompiledPattern(Pattern.compile(p, Pattern.CASE_INSENSITIVE), e));
            }
        }
    }

    /** An empty catalog. */
    public static PriceCatalog empty() {
        return EMPTY;
    }

    /**
     * A catalog of the given entries.
     *
     * @throws IllegalArgumentException naming the entry and field when an entry is invalid (missing field,
     *     negative rate, effective_to not after effective_from, bad pattern, ...) or two entries share an id
     */
    public static PriceCatalog of(Collection<PriceEntry> entries) {
        final LinkedHashMap<String, PriceEntry> byId = new LinkedHashMap<>();
        for (PriceEntry e : entries) {
            final PriceEntry copy = validated(e);
            if (byId.put(copy.getEntryId(), copy) != null) {
                throw new IllegalArgumentException("Duplicate price entry_id '" + copy.getEntryId()
                        + "': each entry needs a unique id (conventionally provider/model@effective_from)");
            }
        }
        return new PriceCatalog(byId);
    }

    /** The catalog shipped with TokenLedger (classpath resource {@value #DEFAULT_RESOURCE}). */
    public static PriceCatalog loadDefault() {
        try (InputStream in = PriceCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Shipped price catalog " + DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return of(PriceCatalogJson.read(in, DEFAULT_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read shipped price catalog " + DEFAULT_RESOURCE, e);
        }
    }

    /** Reads a catalog file in TokenLedger's JSON format (see {@link PriceCatalogJson}). */
    public static PriceCatalog load(Path file) {
        return of(PriceCatalogJson.read(file));
    }

    /**
     * The entry pricing {@code model} of {@code provider} at {@code at}: exact name, then aliases, then
     * patterns; among entries in force at {@code at}, the latest {@code effective_from}.
     */
    public Optional<PriceEntry> find(String provider, String model, Instant at) {
        if (provider == null || model == null || at == null) {
            return Optional.empty();
        }
        final String p = lower(provider);
        final String k = key(p, model);
        Optional<PriceEntry> hit = inForce(byModel.get(k), at);
        if (hit.isPresent()) {
            return hit;
        }
        hit = inForce(byAlias.get(k), at);
        if (hit.isPresent()) {
            return hit;
        }
        final List<CompiledPattern> patterns = patternsByProvider.get(p);
        if (patterns == null) {
            return Optional.empty();
        }
        List<PriceEntry> matching = patternMatches.get(k);
        if (matching == null) {
            final List<PriceEntry> found = new ArrayList<>();
            for (CompiledPattern cp : patterns) {
                if (cp.pattern.matcher(model).matches()) {
                    found.add(cp.entry);
                }
            }
            matching = List.copyOf(found);
            if (patternMatches.size() < MAX_MEMOISED_NAMES) {
                patternMatches.put(k, matching);
            }
        }
        return inForce(matching, at);
    }

    /** The entry with this id, if present. */
    public Optional<PriceEntry> byId(String entryId) {
        return Optional.ofNullable(byId.get(entryId));
    }

    /** A catalog with {@code entry} added, replacing any entry with the same id. */
    public PriceCatalog with(PriceEntry entry) {
        final PriceEntry copy = validated(entry);
        final LinkedHashMap<String, PriceEntry> next = new LinkedHashMap<>(byId);
        next.put(copy.getEntryId(), copy);
        return new PriceCatalog(next);
    }

    /** A catalog without the entry of this id (unchanged if absent). */
    public PriceCatalog without(String entryId) {
        if (!byId.containsKey(entryId)) {
            return this;
        }
        final LinkedHashMap<String, PriceEntry> next = new LinkedHashMap<>(byId);
        next.remove(entryId);
        return new PriceCatalog(next);
    }

    /** Every entry, sorted by provider, model, effective_from, id. */
    public List<PriceEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /**
     * Up to {@code n} known model names and aliases closest to {@code model} by edit distance
     * (case-insensitive Levenshtein), nearest first; ties by name.
     */
    public List<String> closestModels(String model, int n) {
        final TreeSet<String> names = new TreeSet<>();
        for (PriceEntry e : entries) {
            names.add(e.getModel());
            names.addAll(e.getAliases());
        }
        final String target = lower(model == null ? "" : model);
        final Map<String, Integer> distance = new HashMap<>();
        for (String name : names) {
            distance.put(name, editDistance(target, lower(name)));
        }
        return names.stream()
                .sorted(Comparator.comparing((Function<String, Integer>) distance::get).thenComparing(s -> s))
                .limit(Math.max(0, n))
                .toList();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            final int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Optional<PriceEntry> inForce(List<PriceEntry> candidates, Instant at) {
        if (candidates == null) {
            return Optional.empty();
        }
        PriceEntry best = null;
        for (PriceEntry e : candidates) {
            if (isInForce(e, at) && (best == null || isBetter(e, best))) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean isBetter(PriceEntry e, PriceEntry best) {
        final int c = e.getEffectiveFrom().compareTo(best.getEffectiveFrom());
        return c > 0 || (c == 0 && e.getEntryId().compareTo(best.getEntryId()) < 0);
    }

    /** {@code effective_from <= at < effective_to} (open-ended when effective_to is null). */
    public static boolean isInForce(PriceEntry e, Instant at) {
        return !at.isBefore(e.getEffectiveFrom()) && (e.getEffectiveTo() == null || at.isBefore(e.getEffectiveTo()));
    }

    private static String key(String lowerProvider, String model) {
        return lowerProvider + '\u0000' + lower(model);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** A deep copy of {@code e} with every decimal at scale 12, after checking each field. */
    static PriceEntry validated(PriceEntry e) {
        if (e == null) {
            throw new IllegalArgumentException("price entry is null");
        }
        final String id = e.getEntryId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("price entry for " + e.getProvider() + "/" + e.getModel() + ": entry_id is blank");
        }
        requireText(id, "provider", e.getProvider());
        requireText(id, "model", e.getModel());
        requireText(id, "source_url", e.getSourceUrl());
        if (e.getEffectiveFrom() == null) {
            throw new IllegalArgumentException("price entry " + id + ": effective_from is missing");
        }
        if (e.getSourceReadOn() == null) {
            throw new IllegalArgumentException("price entry " + id + ": source_read_on is missing");
        }
        if (e.getEffectiveTo() != null && !e.getEffectiveTo().isAfter(e.getEffectiveFrom())) {
            throw new IllegalArgumentException("price entry " + id + ": effective_to " + e.getEffectiveTo()
                    + " must be after effective_from " + e.getEffectiveFrom());
        }
        if (e.getCurrency() != null && !"USD".equals(e.getCurrency())) {
            throw new IllegalArgumentException("price entry " + id + ": currency '" + e.getCurrency()
                    + "' is not supported (TokenLedger prices in USD)");
        }
        final List<String> patterns = new ArrayList<>(e.getModelPatterns() == null ? List.of() : e.getModelPatterns());
        for (String p : patterns) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException ex) {
                throw new IllegalArgumentException("price entry " + id + ": model_patterns value '" + p
                        + "' is not a valid Java regular expression: " + ex.getDescription());
            }
        }
        final List<ClassRate> other = new ArrayList<>();
        for (ClassRate r : e.getOtherRates() == null ? List.<ClassRate>of() : e.getOtherRates()) {
            requireText(id, "other_rates.token_class", r.getTokenClass());
            other.add(ClassRate.newBuilder().setTokenClass(r.getTokenClass())
                    .setPerMtok(rate(id, "other_rates[" + r.getTokenClass() + "]", r.getPerMtok(), true)).build());
        }
        LongContextTier tier = null;
        final LongContextTier t = e.getLongContext();
        if (t != null) {
            if (t.getThresholdTokens() <= 0) {
                throw new IllegalArgumentException("price entry " + id + ": long_context.threshold_tokens must be > 0, got "
                        + t.getThresholdTokens());
            }
            tier = LongContextTier.newBuilder()
                    .setThresholdTokens(t.getThresholdTokens())
                    .setInputPerMtok(rate(id, "long_context.input_per_mtok", t.getInputPerMtok(), true))
                    .setOutputPerMtok(rate(id, "long_context.output_per_mtok", t.getOutputPerMtok(), true))
                    .setCacheWrite5mPerMtok(rate(id, "long_context.cache_write_5m_per_mtok", t.getCacheWrite5mPerMtok(), false))
                    .setCacheWrite1hPerMtok(rate(id, "long_context.cache_write_1h_per_mtok", t.getCacheWrite1hPerMtok(), false))
                    .setCacheReadPerMtok(rate(id, "long_context.cache_read_per_mtok", t.getCacheReadPerMtok(), false))
                    .setCacheWriteRates(retentionRates(id, "long_context.cache_write_rates", t.getCacheWriteRates()))
                    .build();
        }
        return PriceEntry.newBuilder()
                .setEntryId(id)
                .setProvider(e.getProvider())
                .setModel(e.getModel())
                .setAliases(new ArrayList<>(e.getAliases() == null ? List.of() : e.getAliases()))
                .setModelPatterns(patterns)
                .setEffectiveFrom(e.getEffectiveFrom())
                .setEffectiveTo(e.getEffectiveTo())
                .setCurrency(e.getCurrency() == null ? "USD" : e.getCurrency())
                .setInputPerMtok(rate(id, "input_per_mtok", e.getInputPerMtok(), true))
                .setOutputPerMtok(rate(id, "output_per_mtok", e.getOutputPerMtok(), true))
                .setCacheWrite5mPerMtok(rate(id, "cache_write_5m_per_mtok", e.getCacheWrite5mPerMtok(), false))
                .setCacheWrite1hPerMtok(rate(id, "cache_write_1h_per_mtok", e.getCacheWrite1hPerMtok(), false))
                .setCacheReadPerMtok(rate(id, "cache_read_per_mtok", e.getCacheReadPerMtok(), false))
                .setCacheWriteRates(retentionRates(id, "cache_write_rates", e.getCacheWriteRates()))
                .setOtherRates(other)
                .setLongContext(tier)
                .setBatchMultiplier(rate(id, "batch_multiplier", e.getBatchMultiplier(), false))
                .setServiceTierMultipliers(named(id, "service_tier_multipliers", e.getServiceTierMultipliers()))
                .setRegionMultipliers(named(id, "region_multipliers", e.getRegionMultipliers()))
                .setDiscountMultiplier(rate(id, "discount_multiplier", e.getDiscountMultiplier(), false))
                .setSourceUrl(e.getSourceUrl())
                .setSourceReadOn(e.getSourceReadOn())
                .setNotes(e.getNotes())
                .build();
    }

    private static List<NamedMultiplier> named(String id, String field, List<NamedMultiplier> in) {
        final List<NamedMultiplier> out = new ArrayList<>();
        for (NamedMultiplier m : in == null ? List.<NamedMultiplier>of() : in) {
            requireText(id, field + ".name", m.getName());
            out.add(NamedMultiplier.newBuilder().setName(m.getName())
                    .setMultiplier(rate(id, field + "[" + m.getName() + "]", m.getMultiplier(), true)).build());
        }
        return out;
    }

    private static void requireText(String id, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("price entry " + id + ": " + field + " is blank");
        }
    }

    /** Cache-write rates by retention: keys per {@link CacheRetention} (5m and 1h refused: they have their own fields). */
    private static Map<String, BigDecimal> retentionRates(String id, String field, Map<String, BigDecimal> in) {
        final Map<String, BigDecimal> out = new java.util.TreeMap<>();
        if (in == null) {
            return out;
        }
        for (Map.Entry<String, BigDecimal> r : in.entrySet()) {
            final String problem = CacheRetention.problemAsMapKey(r.getKey());
            if (problem != null) {
                throw new IllegalArgumentException("price entry " + id + ": " + field + ": " + problem);
            }
            out.put(r.getKey(), rate(id, field + "[" + r.getKey() + "]", r.getValue(), true));
        }
        return out;
    }

    private static BigDecimal rate(String id, String field, BigDecimal value, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("price entry " + id + ": " + field + " is missing");
            }
            return null;
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("price entry " + id + ": " + field + " must be >= 0, got " + value.toPlainString());
        }
        try {
            return value.setScale(dev.tokenledger.schemas.Money.SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException ex) {
            throw new IllegalArgumentException("price entry " + id + ": " + field + " = " + value.toPlainString()
                    + " has more than 12 decimals (the wire scale); round it explicitly");
        }
    }

    private record CompiledPattern(Pattern pattern, PriceEntry entry) {
    }
}
