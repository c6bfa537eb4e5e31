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
import dev.tokenledger.avro.CostLine;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.NamedMultiplier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exact cost of a request: {@code cost = sum over classes of tokens x effective rate / 1e6}.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li><b>Disjoint classes.</b> input (uncached), output (reasoning included: {@code reasoning} is never
 *       priced on its own), cache_write_5m, cache_write_1h, cache_read, cache writes of other retentions
 *       ({@code cache_write_30m}, {@code cache_write_12h}, ... from {@code cache_write_rates}), and named other classes.</li>
 *   <li><b>Long-context tier.</b> When the input-side tokens (input + cache writes of every retention + cache reads) are
 *       strictly above the entry's {@code long_context.threshold_tokens}, the WHOLE request (every class,
 *       cache classes and output included) is priced at the tier's rates. Other classes keep their
 *       {@code other_rates} (no published tier has separate rates for them).</li>
 *   <li><b>Missing rate.</b> A token class with tokens but no rate on the entry (or on the long-context tier
 *       in force: the tier's rate is never replaced by the base rate) is not priced at some other rate: it
 *       costs 0, a note names the class, the entry and the tier, and the result is
 *       {@link PricingStatus#PARTIALLY_PRICED} (a lower bound). Guessing a rate is what produced invoice
 *       mismatches (a class the model bills at its own rate priced at the input rate looks right and is
 *       wrong); the flag makes the catalog gap visible so it is fixed there. Extractors normalise provider
 *       usage so a class is only filled when the provider bills it as such.</li>
 *   <li><b>Multipliers.</b> batch ({@code batch_multiplier} when the call was batched), service tier (by
 *       name, case-insensitive; standard/default/auto/on_demand are list price), region (by name,
 *       case-insensitive; {@code global} is list price), and the negotiated {@code discount_multiplier},
 *       multiplied together into one factor applied to every class. A service tier or region the entry has
 *       no multiplier for is left out (list price), with a note naming it and the entry, and the result is
 *       {@link PricingStatus#PARTIALLY_PRICED}. A batch call on an entry without batch pricing is priced at
 *       list with a note (an upper bound, so still PRICED). Rates are per model; there is no global cache
 *       multiplier.</li>
 * </ol>
 *
 * <p><b>Money.</b> {@link BigDecimal} only, no {@code double} anywhere. Effective rates are exact
 * products; each class cost is {@code tokens x rate / 1e6} at scale 12 (pico-dollars, the same value as
 * {@link Money#costOf(long, BigDecimal)}), which is exact for every published rate (at most 6 decimals per
 * million) times the catalog multipliers (HALF_EVEN applies only to digits beyond the 12th, which no
 * shipped rate produces); the total is the exact sum of the class costs. Rounding to cents happens only when a human reads it
 * ({@link Money#toCents(BigDecimal)} / {@link Money#format(BigDecimal, int)}).
 */
public final class UsagePricer {

    /** Service-tier names that mean "list price" when the entry does not list them. */
    private static final Set<String> LIST_PRICE_TIERS = Set.of("standard", "default", "auto", "on_demand", "on-demand");
    /**
     * Region names that mean "list price" when the entry does not list them: Anthropic reports
     * {@code usage.inference_geo = "global"} for calls served without US-only residency, at standard pricing
     * (https://platform.claude.com/docs/en/build-with-claude/data-residency, read 2026-12-05).
     */
    private static final Set<String> LIST_PRICE_REGIONS = Set.of("global");
    /** The service-tier name that means "a batch call" when the entry lists no multiplier by that name. */
    private static final String BATCH_TIER = "batch";

    private UsagePricer() {
    }

    /**
     * Prices a usage event with the entry in force at its {@code occurred_at}. An unknown model gives a
     * complete {@link CostedUsage} with {@link PricingStatus#UNPRICED} and every amount zero (the caller
     * counts and alerts on it; it is never a silent $0).
     *
     * @param pricedAt processing time, recorded as {@code priced_at}
     */
    public static CostedUsage price(UsageEvent event, PriceCatalog catalog, Instant pricedAt) {
        final TokenCounts counts = TokenCounts.of(event);
        final Optional<PriceEntry> entry = catalog.find(event.getProvider().toString(), event.getModel().toString(),
                event.getOccurredAt());
        if (entry.isEmpty()) {
            return unpriced(event, counts, pricedAt);
        }
        return costed(event, price(counts, entry.get(), PricingOptions.of(event)), pricedAt);
    }

    /** A priced {@link CostedUsage} from a breakdown computed for {@code event}. */
    public static CostedUsage costed(UsageEvent event, PriceBreakdown b, Instant pricedAt) {
        final List<CostLine> others = new ArrayList<>();
        for (ClassCost c : b.otherClasses()) {
            others.add(CostLine.newBuilder().setTokenClass(c.tokenClass()).setTokens(c.tokens())
                    .setRatePerMtok(c.ratePerMtok()).setCostUsd(c.costUsd()).build());
        }
        final Map<String, BigDecimal> writeCosts = new java.util.TreeMap<>();
        b.cacheWriteLines().forEach((retention, line) -> writeCosts.put(retention, line.costUsd()));
        return CostedUsage.newBuilder()
                .setEvent(event)
                .setPricingStatus(b.partial() ? PricingStatus.PARTIALLY_PRICED : PricingStatus.PRICED)
                .setCostInputUsd(b.cost(TokenClass.INPUT))
                .setCostOutputUsd(b.cost(TokenClass.OUTPUT))
                .setCostCacheWrite5mUsd(b.cost(TokenClass.CACHE_WRITE_5M))
                .setCostCacheWrite1hUsd(b.cost(TokenClass.CACHE_WRITE_1H))
                .setCostCacheReadUsd(b.cost(TokenClass.CACHE_READ))
                .setCostOtherUsd(b.otherTotal())
                .setCostCacheWriteOtherUsd(b.cacheWriteOtherTotal())
                .setCacheWriteCosts(writeCosts)
                .setPricingNotes(new ArrayList<>(b.notes()))
                .setTotalCostUsd(b.total())
                .setOtherCosts(others)
                .setCacheSavingsUsd(b.cacheSavings())
                .setLongContextApplied(b.longContextApplied())
                .setMultiplier(b.multiplier())
                .setPriceEntryId(b.entry().getEntryId())
                .setPriceEffectiveFrom(b.entry().getEffectiveFrom())
                .setPriceSourceUrl(b.entry().getSourceUrl())
                .setPricedAt(pricedAt)
                .build();
    }

    /** The UNPRICED record of an event: every amount zero, multiplier 1, no entry. */
    public static CostedUsage unpriced(UsageEvent event, Instant pricedAt) {
        return unpriced(event, TokenCounts.of(event), pricedAt);
    }

    private static CostedUsage unpriced(UsageEvent event, TokenCounts counts, Instant pricedAt) {
        final List<CostLine> others = new ArrayList<>();
        counts.other().forEach((k, v) -> others.add(CostLine.newBuilder().setTokenClass(k).setTokens(v)
                .setRatePerMtok(Money.ZERO).setCostUsd(Money.ZERO).build()));
        return CostedUsage.newBuilder()
                .setEvent(event)
                .setPricingStatus(PricingStatus.UNPRICED)
                .setCostInputUsd(Money.ZERO)
                .setCostOutputUsd(Money.ZERO)
                .setCostCacheWrite5mUsd(Money.ZERO)
                .setCostCacheWrite1hUsd(Money.ZERO)
                .setCostCacheReadUsd(Money.ZERO)
                .setCostOtherUsd(Money.ZERO)
                .setCostCacheWriteOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.ZERO)
                .setOtherCosts(others)
                .setCacheSavingsUsd(Money.ZERO)
                .setLongContextApplied(false)
                .setMultiplier(Money.ONE)
                .setPriceEntryId(null)
                .setPriceEffectiveFrom(null)
                .setPriceSourceUrl(null)
                .setPricedAt(pricedAt)
                .build();
    }

    /**
     * The pure pricing function everything else builds on: the cost of {@code counts} under
     * {@code entry} served as {@code opts}. Does not look at effective dates (the caller picked the entry).
     */
    public static PriceBreakdown price(TokenCounts counts, PriceEntry entry, PricingOptions opts) {
        final List<String> notes = new ArrayList<>();
        if (counts.reasoning() > counts.output()) {
            notes.add("reasoning_tokens (" + counts.reasoning() + ") exceed output_tokens (" + counts.output()
                    + "): reasoning must be counted inside output; only output_tokens were priced");
        }
        final LongContextTier tier = entry.getLongContext();
        final boolean longContext = tier != null && counts.inputSideTokens() > tier.getThresholdTokens();
        final Rates rates = longContext ? Rates.of(tier) : Rates.of(entry);
        final String tierLabel = longContext ? "the long-context tier (above " + tier.getThresholdTokens() + " input-side tokens)"
                : "the standard rates";
        final List<String> missing = new ArrayList<>();
        final BigDecimal multiplier = multiplier(entry, opts, notes, missing);

        final List<ClassCost> lines = new ArrayList<>();
        lines.add(line(TokenClass.INPUT, counts.input(), rates.input, multiplier));
        lines.add(line(TokenClass.OUTPUT, counts.output(), rates.output, multiplier));
        lines.add(rated(TokenClass.CACHE_WRITE_5M, counts.cacheWrite5m(), rates.cacheWrite5m, multiplier, tierLabel, entry, missing));
        lines.add(rated(TokenClass.CACHE_WRITE_1H, counts.cacheWrite1h(), rates.cacheWrite1h, multiplier, tierLabel, entry, missing));
        lines.add(rated(TokenClass.CACHE_READ, counts.cacheRead(), rates.cacheRead, multiplier, tierLabel, entry, missing));
        final List<String> retentions = new ArrayList<>(counts.cacheWrites().keySet());
        for (String retention : retentions) {
            lines.add(rated(TokenClass.cacheWrite(retention), counts.cacheWrites().get(retention), rates.cacheWrites.get(retention),
                    multiplier, tierLabel, entry, missing));
        }
        for (Map.Entry<String, Long> other : counts.other().entrySet()) {
            // other_rates are not tiered (no published tier has separate rates for them)
            lines.add(rated(other.getKey(), other.getValue(), otherRate(entry, other.getKey()), multiplier, "other_rates", entry, missing));
        }
        BigDecimal total = Money.ZERO;
        for (ClassCost c : lines) {
            total = total.add(c.costUsd());
        }
        BigDecimal savings = Money.ZERO;
        if (rates.cacheRead != null && counts.cacheRead() > 0) {
            savings = cost(counts.cacheRead(), rates.input.subtract(rates.cacheRead).multiply(multiplier));
        }
        notes.addAll(missing);
        return new PriceBreakdown(entry, lines, Money.toScale(total), savings, longContext, Money.toScale(multiplier),
                notes, retentions, missing);
    }

    /**
     * Upper bound of what a request can cost before it is sent, whatever cache behaviour and service
     * tier it ends up with: every input-side token at the highest input-side rate of the entry (input,
     * cache writes of every retention, cache read), the long-context tier when {@code inputSideTokens} exceeds its threshold,
     * {@code maxOutputTokens} at the output rate, times the discount overlay and the largest service-tier
     * and region multipliers that are above 1 (batch is never assumed). For the budget gate's
     * pre-dispatch hold.
     */
    public static BigDecimal worstCase(PriceEntry entry, long inputSideTokens, long maxOutputTokens) {
        BigDecimal m = entry.getDiscountMultiplier() == null ? BigDecimal.ONE : entry.getDiscountMultiplier();
        m = m.multiply(maxAtLeastOne(entry.getServiceTierMultipliers()))
                .multiply(maxAtLeastOne(entry.getRegionMultipliers()));
        return worstCase(entry, inputSideTokens, maxOutputTokens, m);
    }

    /** Like {@link #worstCase(PriceEntry, long, long)} for a call whose batch/tier/region are known. */
    public static BigDecimal worstCase(PriceEntry entry, long inputSideTokens, long maxOutputTokens, PricingOptions opts) {
        return worstCase(entry, inputSideTokens, maxOutputTokens, multiplier(entry, opts, new ArrayList<>(), new ArrayList<>()));
    }

    private static BigDecimal worstCase(PriceEntry entry, long inputSideTokens, long maxOutputTokens, BigDecimal m) {
        if (inputSideTokens < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("worst case needs non-negative token counts, got inputSideTokens="
                    + inputSideTokens + " maxOutputTokens=" + maxOutputTokens);
        }
        final LongContextTier tier = entry.getLongContext();
        final Rates r = tier != null && inputSideTokens > tier.getThresholdTokens() ? Rates.of(tier) : Rates.of(entry);
        BigDecimal inputSide = r.input;
        final List<BigDecimal> inputSideRates = new ArrayList<>(java.util.Arrays.asList(r.cacheWrite5m, r.cacheWrite1h, r.cacheRead));
        inputSideRates.addAll(r.cacheWrites.values());
        for (BigDecimal c : inputSideRates) {
            if (c != null && c.compareTo(inputSide) > 0) {
                inputSide = c;
            }
        }
        return Money.toScale(cost(inputSideTokens, inputSide.multiply(m)).add(cost(maxOutputTokens, r.output.multiply(m))));
    }

    /** Combined batch x service tier x region x discount multiplier (exact, unscaled). */
    static BigDecimal multiplier(PriceEntry entry, PricingOptions opts, List<String> notes, List<String> missing) {
        BigDecimal m = BigDecimal.ONE;
        // Anthropic reports usage.service_tier "batch" on Message Batches results: the batch price, not a tier of its own
        final boolean batchTier = opts.serviceTier() != null && BATCH_TIER.equalsIgnoreCase(opts.serviceTier())
                && named(entry.getServiceTierMultipliers(), opts.serviceTier()).isEmpty();
        if (opts.batch() || batchTier) {
            if (entry.getBatchMultiplier() != null) {
                m = m.multiply(entry.getBatchMultiplier());
            } else {
                notes.add("batch call but entry " + entry.getEntryId() + " has no batch_multiplier: priced at list");
            }
        }
        if (opts.serviceTier() != null && !opts.serviceTier().isBlank() && !batchTier) {
            final Optional<BigDecimal> t = named(entry.getServiceTierMultipliers(), opts.serviceTier());
            if (t.isPresent()) {
                m = m.multiply(t.get());
            } else if (!LIST_PRICE_TIERS.contains(opts.serviceTier().toLowerCase(Locale.ROOT))) {
                missing.add("service tier '" + opts.serviceTier() + "' has no multiplier on entry " + entry.getEntryId()
                        + ": priced at list without it (the invoice may be above or below: a discount tier such as flex bills less)");
            }
        }
        if (opts.region() != null && !opts.region().isBlank()) {
            final Optional<BigDecimal> r = named(entry.getRegionMultipliers(), opts.region());
            if (r.isPresent()) {
                m = m.multiply(r.get());
            } else if (!LIST_PRICE_REGIONS.contains(opts.region().toLowerCase(Locale.ROOT))) {
                missing.add("region '" + opts.region() + "' has no multiplier on entry " + entry.getEntryId()
                        + ": priced at list without it (the invoice may be above or below)");
            }
        }
        if (entry.getDiscountMultiplier() != null) {
            m = m.multiply(entry.getDiscountMultiplier());
        }
        return m;
    }

    private static Optional<BigDecimal> named(List<NamedMultiplier> list, String name) {
        if (list == null) {
            return Optional.empty();
        }
        for (NamedMultiplier nm : list) {
            if (nm.getName().toString().equalsIgnoreCase(name)) {
                return Optional.of(nm.getMultiplier());
            }
        }
        return Optional.empty();
    }

    private static BigDecimal maxAtLeastOne(List<NamedMultiplier> list) {
        BigDecimal max = BigDecimal.ONE;
        if (list != null) {
            for (NamedMultiplier nm : list) {
                if (nm.getMultiplier().compareTo(max) > 0) {
                    max = nm.getMultiplier();
                }
            }
        }
        return max;
    }

    private static BigDecimal otherRate(PriceEntry entry, String tokenClass) {
        if (entry.getOtherRates() != null) {
            for (ClassRate r : entry.getOtherRates()) {
                if (r.getTokenClass().toString().equals(tokenClass)) {
                    return r.getPerMtok();
                }
            }
        }
        return null;
    }

    /** The line of a class whose rate may be missing: no rate and tokens => cost 0 and a note naming what is missing. */
    private static ClassCost rated(String tokenClass, long tokens, BigDecimal rate, BigDecimal multiplier, String tierLabel,
                                   PriceEntry entry, List<String> missing) {
        if (rate != null) {
            return line(tokenClass, tokens, rate, multiplier);
        }
        if (tokens > 0) {
            missing.add(tokens + " " + tokenClass + " tokens not priced: entry " + entry.getEntryId() + " has no "
                    + tokenClass + " rate in " + tierLabel + " (counted at 0, a lower bound)");
        }
        return new ClassCost(tokenClass, tokens, Money.ZERO, Money.ZERO);
    }

    private static ClassCost line(String tokenClass, long tokens, BigDecimal rate, BigDecimal multiplier) {
        final BigDecimal effective = multiplier.compareTo(BigDecimal.ONE) == 0 ? rate : rate.multiply(multiplier);
        return new ClassCost(tokenClass, tokens, Money.toScale(effective), cost(tokens, effective));
    }

    /**
     * {@code tokens x ratePerMillion / 1e6} at scale 12: the same value as {@link Money#costOf(long, BigDecimal)}
     * (exact product, moved six places, HALF_EVEN only beyond 12 decimals), without the exact-division
     * search BigDecimal.divide does (an order of magnitude slower on the hot path).
     */
    static BigDecimal cost(long tokens, BigDecimal ratePerMillion) {
        if (tokens == 0 || ratePerMillion.signum() == 0) {
            return Money.ZERO;
        }
        return Money.toScale(ratePerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6));
    }

    /** The rates of the tier in force (cache rates may be null; cache writes of other retentions by key). */
    private record Rates(BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
                         BigDecimal cacheRead, Map<String, BigDecimal> cacheWrites) {
        static Rates of(PriceEntry e) {
            return new Rates(e.getInputPerMtok(), e.getOutputPerMtok(), e.getCacheWrite5mPerMtok(),
                    e.getCacheWrite1hPerMtok(), e.getCacheReadPerMtok(), writes(e.getCacheWriteRates()));
        }

        static Rates of(LongContextTier t) {
            return new Rates(t.getInputPerMtok(), t.getOutputPerMtok(), t.getCacheWrite5mPerMtok(),
                    t.getCacheWrite1hPerMtok(), t.getCacheReadPerMtok(), writes(t.getCacheWriteRates()));
        }

        private static Map<String, BigDecimal> writes(Map<String, BigDecimal> in) {
            final Map<String, BigDecimal> out = new java.util.TreeMap<>();
            if (in != null) {
                in.forEach((k, v) -> out.put(k.toString(), v));
            }
            return out;
        }
    }
}
