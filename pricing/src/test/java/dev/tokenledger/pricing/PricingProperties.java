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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of the pricing rules over generated requests and shipped entries. */
class PricingProperties {

    private static final PriceCatalog CATALOG = PriceCatalog.loadDefault();
    private static final List<PriceEntry> ENTRIES = CATALOG.entries();

    @Provide
    Arbitrary<PriceEntry> entries() {
        return Arbitraries.of(ENTRIES);
    }

    @Provide
    Arbitrary<PricingOptions> options() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(null, "default", "priority", "flex", "standard", "weird"),
                Arbitraries.of(null, "eu", "us")).as(PricingOptions::new);
    }

    @Provide
    Arbitrary<TokenCounts> counts() {
        final Arbitrary<Long> n = Arbitraries.longs().between(0, 2_000_000);
        return Combinators.combine(n, n, n, n, n, n, Arbitraries.longs().between(0, 50_000))
                .as((in, out, r, w5, w1, cr, audio) -> new TokenCounts(in, out, Math.min(r, out), w5, w1, cr,
                        audio == 0 ? Map.of() : Map.of("audio_input", audio)));
    }

    @Property(tries = 300)
    void costIsAdditiveOverSplittingTokensWhenNoTierBoundaryIsCrossed(@ForAll("entries") PriceEntry entry,
            @ForAll("options") PricingOptions opts, @ForAll("counts") TokenCounts whole, @ForAll @IntRange(min = 0, max = 1000) int permille) {
        final TokenCounts a = scaled(whole, permille);
        final TokenCounts b = minus(whole, a);
        final long threshold = entry.getLongContext() == null ? Long.MAX_VALUE : entry.getLongContext().getThresholdTokens();
        final boolean sameSide = (a.inputSideTokens() > threshold) == (whole.inputSideTokens() > threshold)
                && (b.inputSideTokens() > threshold) == (whole.inputSideTokens() > threshold);
        net.jqwik.api.Assume.that(sameSide);
        final PriceBreakdown pw = UsagePricer.price(whole, entry, opts);
        final PriceBreakdown pa = UsagePricer.price(a, entry, opts);
        final PriceBreakdown pb = UsagePricer.price(b, entry, opts);
        assertThat(pa.total().add(pb.total())).isEqualByComparingTo(pw.total());
        for (String cls : TokenClass.CANONICAL) {
            assertThat(pa.cost(cls).add(pb.cost(cls))).as(cls).isEqualByComparingTo(pw.cost(cls));
        }
    }

    @Property(tries = 300)
    void costIsNeverNegativeAndTotalIsTheSumOfClasses(@ForAll("entries") PriceEntry entry,
            @ForAll("options") PricingOptions opts, @ForAll("counts") TokenCounts counts) {
        final PriceBreakdown p = UsagePricer.price(counts, entry, opts);
        BigDecimal sum = Money.ZERO;
        for (ClassCost c : p.classes()) {
            assertThat(c.costUsd().signum()).as(c.tokenClass()).isGreaterThanOrEqualTo(0);
            sum = sum.add(c.costUsd());
        }
        assertThat(p.total()).isEqualByComparingTo(sum);
        assertThat(p.cacheSavings().signum()).isGreaterThanOrEqualTo(0);
        assertThat(p.total().scale()).isEqualTo(Money.SCALE);
    }

    @Property(tries = 200)
    void worstCaseBoundsTheActualCostForTheSameInputSideAndOutput(@ForAll("entries") PriceEntry entry,
            @ForAll("options") PricingOptions opts, @ForAll("counts") TokenCounts counts) {
        final TokenCounts noOther = new TokenCounts(counts.input(), counts.output(), counts.reasoning(), counts.cacheWrite5m(),
                counts.cacheWrite1h(), counts.cacheRead(), Map.of());
        final BigDecimal actual = UsagePricer.price(noOther, entry, opts.withBatch(false)).total();
        assertThat(UsagePricer.worstCase(entry, noOther.inputSideTokens(), noOther.output())).isGreaterThanOrEqualTo(actual);
    }

    @Property(tries = 200)
    void aPriceChangeNeverRepricesEventsBeforeItsEffectiveDate(@ForAll("entries") PriceEntry current,
            @ForAll @LongRange(min = 1, max = 400) long daysLater, @ForAll @LongRange(min = 0, max = 86_400_000L * 400) long eventOffsetMillis,
            @ForAll("counts") TokenCounts counts) {
        final Instant change = current.getEffectiveFrom().plusSeconds(daysLater * 86_400);
        final PriceEntry newer = PriceEntry.newBuilder(current)
                .setEntryId(current.getEntryId() + "-change")
                .setEffectiveFrom(change)
                .setEffectiveTo(null)
                .setInputPerMtok(current.getInputPerMtok().multiply(BigDecimal.valueOf(7)))
                .setOutputPerMtok(current.getOutputPerMtok().add(BigDecimal.ONE))
                .build();
        final Instant at = current.getEffectiveFrom().plusMillis(eventOffsetMillis);
        final PriceCatalog before = CATALOG;
        final PriceCatalog after = CATALOG.with(newer);
        final UsageEvent event = Fixtures.event(current.getProvider(), current.getModel(), at)
                .setInputTokens(counts.input()).setOutputTokens(counts.output()).setCacheReadTokens(counts.cacheRead()).build();
        final CostedUsage was = UsagePricer.price(event, before, Fixtures.NOW);
        final CostedUsage now = UsagePricer.price(event, after, Fixtures.NOW);
        if (at.isBefore(change)) {
            assertThat(now).isEqualTo(was);
        } else {
            // from the change on, the event is priced by the change or by an even later entry already in force
            assertThat(now.getPriceEffectiveFrom()).isAfterOrEqualTo(change);
        }
    }

    private static TokenCounts scaled(TokenCounts c, int permille) {
        return new TokenCounts(c.input() * permille / 1000, c.output() * permille / 1000, c.reasoning() * permille / 1000,
                c.cacheWrite5m() * permille / 1000, c.cacheWrite1h() * permille / 1000, c.cacheRead() * permille / 1000,
                c.other().isEmpty() ? Map.of() : Map.of("audio_input", c.other().get("audio_input") * permille / 1000));
    }

    private static TokenCounts minus(TokenCounts w, TokenCounts a) {
        return new TokenCounts(w.input() - a.input(), w.output() - a.output(), w.reasoning() - a.reasoning(),
                w.cacheWrite5m() - a.cacheWrite5m(), w.cacheWrite1h() - a.cacheWrite1h(), w.cacheRead() - a.cacheRead(),
                w.other().isEmpty() ? Map.of() : Map.of("audio_input", w.other().get("audio_input") - a.other().get("audio_input")));
    }
}
