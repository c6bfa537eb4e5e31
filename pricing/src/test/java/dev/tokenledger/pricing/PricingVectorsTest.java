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

import static dev.tokenledger.pricing.Fixtures.NOW;
import static dev.tokenledger.pricing.Fixtures.counts;
import static dev.tokenledger.pricing.Fixtures.entry;
import static dev.tokenledger.pricing.Fixtures.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed pricing vectors against the shipped catalog (and a few synthetic entries for multipliers
 * the providers do not publish). Rates are USD per million tokens; cost = tokens x rate / 1e6. The
 * arithmetic of each vector is in the comment beside it.
 */
class PricingVectorsTest {

    private static final PriceCatalog CATALOG = PriceCatalog.loadDefault();

    private static PriceBreakdown price(String provider, String model, TokenCounts c, PricingOptions o) {
        return price(provider, model, NOW, c, o);
    }

    private static PriceBreakdown price(String provider, String model, Instant at, TokenCounts c, PricingOptions o) {
        final PriceEntry e = CATALOG.find(provider, model, at)
                .orElseThrow(() -> new AssertionError("no shipped price for " + provider + "/" + model + " at " + at));
        return UsagePricer.price(c, e, o);
    }

    private static void assertUsd(BigDecimal actual, String expected) {
        assertThat(actual).isEqualByComparingTo(expected);
        assertThat(actual.scale()).as("wire scale").isEqualTo(Money.SCALE);
    }

    // ---- each canonical class (claude-sonnet-4-5: in 3, out 15, 5m 3.75, 1h 6, read 0.30) ----

    @Test
    void v01_inputAndOutput() {
        // 1,000 x 3 / 1e6 = 0.003 ; 500 x 15 / 1e6 = 0.0075 ; total 0.0105
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", TokenCounts.of(1000, 500), PricingOptions.LIST);
        assertUsd(b.cost(TokenClass.INPUT), "0.003");
        assertUsd(b.cost(TokenClass.OUTPUT), "0.0075");
        assertUsd(b.total(), "0.0105");
        assertThat(b.longContextApplied()).isFalse();
        assertUsd(b.multiplier(), "1");
    }

    @Test
    void v02_reasoningIsInsideOutputAndNeverPricedTwice() {
        // output 500 of which reasoning 300: still 500 x 15 / 1e6 = 0.0075 ; + 0.003 input = 0.0105
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(1000, 500, 300, 0, 0, 0), PricingOptions.LIST);
        assertUsd(b.total(), "0.0105");
        assertThat(b.classes()).extracting(ClassCost::tokenClass).doesNotContain("reasoning");
    }

    @Test
    void v03_cacheWrite5m() {
        // 10,000 x 3.75 / 1e6 = 0.0375
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(0, 0, 0, 10_000, 0, 0), PricingOptions.LIST);
        assertUsd(b.cost(TokenClass.CACHE_WRITE_5M), "0.0375");
        assertUsd(b.total(), "0.0375");
    }

    @Test
    void v04_cacheWrite1hIsPricedAtItsOwnTtlRate() {
        // 10,000 x 6 / 1e6 = 0.06 (not 3.75: the TTL decides the write rate)
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(0, 0, 0, 0, 10_000, 0), PricingOptions.LIST);
        assertUsd(b.cost(TokenClass.CACHE_WRITE_1H), "0.06");
        assertUsd(b.total(), "0.06");
    }

    @Test
    void v05_cacheReadAndItsSavings() {
        // 50,000 x 0.30 / 1e6 = 0.015 ; savings 50,000 x (3 - 0.30) / 1e6 = 0.135
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(0, 0, 0, 0, 0, 50_000), PricingOptions.LIST);
        assertUsd(b.cost(TokenClass.CACHE_READ), "0.015");
        assertUsd(b.cacheSavings(), "0.135");
        assertUsd(b.total(), "0.015");
    }

    @Test
    void v06_everyClassAtOnce() {
        // in 2,000 x 3 = 0.006 ; out 1,000 x 15 = 0.015 ; 5m 4,000 x 3.75 = 0.015 ; 1h 1,000 x 6 = 0.006 ;
        // read 20,000 x 0.30 = 0.006 ; total 0.048 (all / 1e6)
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(2000, 1000, 0, 4000, 1000, 20_000), PricingOptions.LIST);
        assertUsd(b.total(), "0.048");
    }

    // ---- long-context tier: whole request repriced, cache classes included ----

    @Test
    void v07_atThresholdIsNotLongContext() {
        // input side 150,000 + 50,000 = 200,000 (not > 200,000): 150,000 x 3 = 0.45 ; 50,000 x 0.30 = 0.015 ;
        // 1,000 x 15 = 0.015 ; total 0.48
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(150_000, 1000, 0, 0, 0, 50_000), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isFalse();
        assertUsd(b.total(), "0.48");
    }

    @Test
    void v08_oneTokenOverThresholdRepricesEverything() {
        // input side 200,001 > 200,000: 150,001 x 6 = 0.900006 ; 50,000 x 0.60 = 0.03 ; 1,000 x 22.50 = 0.0225 ;
        // total 0.952506
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(150_001, 1000, 0, 0, 0, 50_000), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isTrue();
        assertUsd(b.cost(TokenClass.INPUT), "0.900006");
        assertUsd(b.cost(TokenClass.CACHE_READ), "0.03");
        assertUsd(b.cost(TokenClass.OUTPUT), "0.0225");
        assertUsd(b.total(), "0.952506");
    }

    @Test
    void v09_cacheWritesCountTowardsTheThresholdAndUseTierRates() {
        // input side 1,000 + 200,000 + 10,000 = 211,000 > 200,000: 1,000 x 6 = 0.006 ; 200,000 x 7.50 = 1.5 ;
        // 10,000 x 12 = 0.12 ; 2,000 x 22.50 = 0.045 ; total 1.671
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(1000, 2000, 0, 200_000, 10_000, 0), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isTrue();
        assertUsd(b.cost(TokenClass.CACHE_WRITE_5M), "1.5");
        assertUsd(b.cost(TokenClass.CACHE_WRITE_1H), "0.12");
        assertUsd(b.total(), "1.671");
    }

    @Test
    void v10_haiku55PromptSizeTierBelow() {
        // claude-haiku-5-5, prompt 100,000 (not > 100,000): 100,000 x 0.10 = 0.01 ; 1,000 x 0.50 = 0.0005 ; total 0.0105
        final PriceBreakdown b = price("anthropic", "claude-haiku-5-5", TokenCounts.of(100_000, 1000), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isFalse();
        assertUsd(b.total(), "0.0105");
    }

    @Test
    void v11_haiku55PromptSizeTierAbove() {
        // prompt 100,001: 100,001 x 0.50 = 0.0500005 ; 1,000 x 2.50 = 0.0025 ; total 0.0525005
        final PriceBreakdown b = price("anthropic", "claude-haiku-5-5", TokenCounts.of(100_001, 1000), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isTrue();
        assertUsd(b.total(), "0.0525005");
    }

    @Test
    void v12_haiku55TierReachedThroughCacheReads() {
        // 60,000 + 50,000 read = 110,000 > 100,000: 60,000 x 0.50 = 0.03 ; 50,000 x 0.05 = 0.0025 ; 1,000 x 2.50 = 0.0025
        // total 0.035 ; savings 50,000 x (0.50 - 0.05) = 0.0225
        final PriceBreakdown b = price("anthropic", "claude-haiku-5-5", counts(60_000, 1000, 0, 0, 0, 50_000), PricingOptions.LIST);
        assertUsd(b.total(), "0.035");
        assertUsd(b.cacheSavings(), "0.0225");
    }

    @Test
    void v13_gemini25ProLongPrompt() {
        // 250,000 > 200,000: 250,000 x 2.50 = 0.625 ; 10,000 x 15 = 0.15 ; total 0.775
        final PriceBreakdown b = price("google", "gemini-2.5-pro", TokenCounts.of(250_000, 10_000), PricingOptions.LIST);
        assertUsd(b.total(), "0.775");
    }

    @Test
    void v14_gemini25ProShortPromptWithCache() {
        // 150,000 input side: 100,000 x 1.25 = 0.125 ; 10,000 x 10 = 0.1 ; 50,000 x 0.125 = 0.00625 ; total 0.23125
        final PriceBreakdown b = price("google", "gemini-2.5-pro", counts(100_000, 10_000, 0, 0, 0, 50_000), PricingOptions.LIST);
        assertUsd(b.total(), "0.23125");
    }

    // ---- batch ----

    @Test
    void v15_batchHalvesEveryClass() {
        // (100,000 x 3 + 100,000 x 15) / 1e6 = 1.8 ; x 0.5 = 0.9 (input side 100,000 stays under the 200K tier)
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", TokenCounts.of(100_000, 100_000), PricingOptions.LIST.withBatch(true));
        assertUsd(b.multiplier(), "0.5");
        assertUsd(b.total(), "0.9");
    }

    @Test
    void v16_batchAppliesToCacheReadsAndSavings() {
        // 100,000 x 0.30 x 0.5 / 1e6 = 0.015 ; savings 100,000 x (3 - 0.30) x 0.5 / 1e6 = 0.135
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-5", counts(0, 0, 0, 0, 0, 100_000), PricingOptions.LIST.withBatch(true));
        assertUsd(b.total(), "0.015");
        assertUsd(b.cacheSavings(), "0.135");
    }

    @Test
    void v17_batchWithoutBatchPricingIsListPriceAndNoted() {
        // entry has no batch_multiplier: 1e6 x 3 = 3, noted
        final PriceEntry e = entry("acme", "m", "2026-01-01", "3", "15").build();
        final PriceBreakdown b = UsagePricer.price(TokenCounts.of(1_000_000, 0), e, PricingOptions.LIST.withBatch(true));
        assertUsd(b.total(), "3");
        assertThat(b.notes()).anyMatch(n -> n.contains("batch"));
    }

    // ---- per-model cache multipliers (never one global 0.1x) ----

    @Test
    void v18_fable51CacheReadIsQuarterOfUsual() {
        // claude-fable-5-1: 1e6 x 0.25 = 0.25 (0.025x of 10)
        assertUsd(price("anthropic", "claude-fable-5-1", counts(0, 0, 0, 0, 0, 1_000_000), PricingOptions.LIST).total(), "0.25");
    }

    @Test
    void v19_opus55CacheRates() {
        // claude-opus-5-5: read 1e6 x 0.20 = 0.2 ; 5m 1e6 x 5 = 5 ; total 5.2
        assertUsd(price("anthropic", "claude-opus-5-5", counts(0, 0, 0, 1_000_000, 0, 1_000_000), PricingOptions.LIST).total(), "5.2");
    }

    @Test
    void v20_claude3HaikuRoundedCacheRates() {
        // claude-3-haiku: 5m 1e6 x 0.30 = 0.3 ; read 1e6 x 0.03 = 0.03 ; total 0.33
        assertUsd(price("anthropic", "claude-3-haiku", counts(0, 0, 0, 1_000_000, 0, 1_000_000), PricingOptions.LIST).total(), "0.33");
    }

    @Test
    void v21_gpt4oCachedInputIsHalf() {
        // gpt-4o: 1e6 x 1.25 = 1.25 (0.5x of 2.50)
        assertUsd(price("openai", "gpt-4o", counts(0, 0, 0, 0, 0, 1_000_000), PricingOptions.LIST).total(), "1.25");
    }

    @Test
    void v22_gpt41CachedInputIsQuarter() {
        // gpt-4.1: 1e6 x 0.50 = 0.5 (0.25x of 2)
        assertUsd(price("openai", "gpt-4.1", counts(0, 0, 0, 0, 0, 1_000_000), PricingOptions.LIST).total(), "0.5");
    }

    @Test
    void v23_gpt5CachedInputIsTenth() {
        // gpt-5: 1e6 x 0.125 = 0.125 (0.1x of 1.25)
        assertUsd(price("openai", "gpt-5", counts(0, 0, 0, 0, 0, 1_000_000), PricingOptions.LIST).total(), "0.125");
    }

    // ---- service tier, region, discount ----

    @Test
    void v24_openAiPriorityTier() {
        // gpt-5 priority x2: (1e6 x 1.25 + 1e6 x 10) / 1e6 x 2 = 22.5
        final PriceBreakdown b = price("openai", "gpt-5", TokenCounts.of(1_000_000, 1_000_000), PricingOptions.LIST.withServiceTier("priority"));
        assertUsd(b.multiplier(), "2");
        assertUsd(b.total(), "22.5");
    }

    @Test
    void v25_openAiFlexTier() {
        // gpt-5 flex x0.5: 11.25 x 0.5 = 5.625
        assertUsd(price("openai", "gpt-5", TokenCounts.of(1_000_000, 1_000_000), PricingOptions.LIST.withServiceTier("FLEX")).total(), "5.625");
    }

    @Test
    void v26_defaultTierIsListPriceWithoutNote() {
        // gpt-5 "default": 1.25 + 10 = 11.25
        final PriceBreakdown b = price("openai", "gpt-5", TokenCounts.of(1_000_000, 1_000_000), PricingOptions.LIST.withServiceTier("default"));
        assertUsd(b.total(), "11.25");
        assertThat(b.notes()).isEmpty();
    }

    @Test
    void v27_unknownTierIsListPriceFlaggedPartial() {
        // gpt-5 "scale" (no multiplier listed): 1.25 + 10 = 11.25 without the tier's multiplier, a lower bound, noted
        final PriceBreakdown b = price("openai", "gpt-5", TokenCounts.of(1_000_000, 1_000_000), PricingOptions.LIST.withServiceTier("scale"));
        assertUsd(b.total(), "11.25");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).anyMatch(n -> n.contains("'scale'") && n.contains("openai/gpt-5"));
    }

    @Test
    void v28_regionalUplift() {
        // region eu x1.1: (3 + 15) x 1.1 = 19.8 ; region us (not listed) = 3 + 15 = 18, flagged partial (a lower bound)
        final PriceEntry e = entry("acme", "m", "2026-01-01", "3", "15").setRegionMultipliers(List.of(named("eu", "1.1"))).build();
        assertUsd(UsagePricer.price(TokenCounts.of(1_000_000, 1_000_000), e, PricingOptions.LIST.withRegion("EU")).total(), "19.8");
        final PriceBreakdown us = UsagePricer.price(TokenCounts.of(1_000_000, 1_000_000), e, PricingOptions.LIST.withRegion("us"));
        assertUsd(us.total(), "18");
        assertThat(us.partial()).isTrue();
        assertThat(us.notes()).anyMatch(n -> n.contains("region 'us'") && n.contains("acme/m@2026-01-01"));
    }

    @Test
    void v29_negotiatedDiscount() {
        // discount 0.85: (3 + 15) x 0.85 = 15.3
        final PriceEntry e = entry("acme", "m", "2026-01-01", "3", "15").setDiscountMultiplier(new BigDecimal("0.85")).build();
        final PriceBreakdown b = UsagePricer.price(TokenCounts.of(1_000_000, 1_000_000), e, PricingOptions.LIST);
        assertUsd(b.multiplier(), "0.85");
        assertUsd(b.total(), "15.3");
    }

    @Test
    void v30_allMultipliersCombine() {
        // batch 0.5 x region eu 1.1 x discount 0.85 = 0.4675 ; 1e6 x 3 x 0.4675 = 1.4025 ; 1e6 x 15 x 0.4675 = 7.0125 ;
        // total 8.415
        final PriceEntry e = entry("acme", "m", "2026-01-01", "3", "15")
                .setBatchMultiplier(new BigDecimal("0.5"))
                .setRegionMultipliers(List.of(named("eu", "1.1")))
                .setDiscountMultiplier(new BigDecimal("0.85")).build();
        final PriceBreakdown b = UsagePricer.price(TokenCounts.of(1_000_000, 1_000_000), e, new PricingOptions(true, null, "eu"));
        assertUsd(b.multiplier(), "0.4675");
        assertUsd(b.cost(TokenClass.INPUT), "1.4025");
        assertUsd(b.cost(TokenClass.OUTPUT), "7.0125");
        assertUsd(b.total(), "8.415");
    }

    // ---- effective dates ----

    @Test
    void v31_priceChangeBetweenTwoEvents() {
        // o3 before 2025-06-10: (1e6 x 10 + 1e6 x 40) / 1e6 = 50 ; from 2025-06-10: 2 + 8 = 10
        final TokenCounts c = TokenCounts.of(1_000_000, 1_000_000);
        final PriceBreakdown before = price("openai", "o3", Instant.parse("2025-06-09T23:59:59.999Z"), c, PricingOptions.LIST);
        final PriceBreakdown after = price("openai", "o3", Instant.parse("2025-06-10T00:00:00Z"), c, PricingOptions.LIST);
        assertUsd(before.total(), "50");
        assertUsd(after.total(), "10");
        assertThat(before.entry().getEntryId()).isEqualTo("openai/o3@2025-04-16");
        assertThat(after.entry().getEntryId()).isEqualTo("openai/o3@2025-06-10");
    }

    @Test
    void v32_eventBeforeAnyEntryIsUnpriced() {
        // claude-fable-5-1 starts 2026-09-01: an event on 2026-08-31 has no price
        assertThat(CATALOG.find("anthropic", "claude-fable-5-1", Instant.parse("2026-08-31T23:59:59Z"))).isEmpty();
    }

    // ---- UNPRICED and missing rates ----

    @Test
    void v33_unknownModelIsUnpricedWithEveryAmountZero() {
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-imaginary-9", NOW)
                .setInputTokens(1000).setOutputTokens(500).setCacheReadTokens(100).setOtherTokens(Map.of("audio_input", 7L)).build(),
                CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.UNPRICED);
        assertThat(c.getPriceEntryId()).isNull();
        for (BigDecimal amount : List.of(c.getCostInputUsd(), c.getCostOutputUsd(), c.getCostCacheWrite5mUsd(),
                c.getCostCacheWrite1hUsd(), c.getCostCacheReadUsd(), c.getCostOtherUsd(), c.getTotalCostUsd(), c.getCacheSavingsUsd())) {
            assertUsd(amount, "0");
        }
        assertThat(c.getOtherCosts()).singleElement().satisfies(l -> assertThat(l.getTokens()).isEqualTo(7L));
    }

    @Test
    void v34_cacheClassWithoutRateCostsNothingAndIsFlagged() {
        // entry without a cached-input rate: the 1,000 cache-read tokens are NOT priced at the input rate:
        // cache_read 0 ; input 2,000 x 10 / 1e6 = 0.02 ; total 0.02 (a lower bound) ; savings 0
        final PriceEntry e = entry("openai", "old-model", "2024-01-01", "10", "30").build();
        final PriceBreakdown b = UsagePricer.price(counts(2000, 0, 0, 0, 0, 1000), e, PricingOptions.LIST);
        assertUsd(b.cost(TokenClass.CACHE_READ), "0");
        assertUsd(b.total(), "0.02");
        assertUsd(b.cacheSavings(), "0");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).singleElement().asString().contains("1000 cache_read").contains("openai/old-model@2024-01-01")
                .contains("standard rates");
    }

    @Test
    void v35_otherClassWithRate() {
        // gemini-2.5-flash: input 1e6 x 0.30 = 0.3 ; audio_input 1e6 x 1 = 1 ; total 1.3
        final TokenCounts c = new TokenCounts(1_000_000, 0, 0, 0, 0, 0, Map.of("audio_input", 1_000_000L));
        final PriceBreakdown b = price("google", "gemini-2.5-flash", c, PricingOptions.LIST);
        assertUsd(b.cost("audio_input"), "1");
        assertUsd(b.otherTotal(), "1");
        assertUsd(b.total(), "1.3");
    }

    @Test
    void v36_otherClassWithoutRateCostsNothingAndIsFlagged() {
        // entry without an image_output rate: 1,000 image_output tokens cost 0 (not 1,000 x 0.30 at the input rate), flagged
        final PriceEntry e = entry("google", "g", "2025-06-17", "0.30", "2.50").build();
        final TokenCounts c = new TokenCounts(0, 0, 0, 0, 0, 0, Map.of("image_output", 1000L));
        final PriceBreakdown b = UsagePricer.price(c, e, PricingOptions.LIST);
        assertUsd(b.total(), "0");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).anyMatch(n -> n.contains("image_output") && n.contains("google/g@2025-06-17"));
    }

    // ---- names, precision ----

    @Test
    void v37_datedSnapshotAndPatternPriceLikeTheModel() {
        // claude-sonnet-4-5-20250929 (alias) and -20260101 (pattern): 0.003 + 0.0075 = 0.0105, like v01
        assertUsd(price("anthropic", "claude-sonnet-4-5-20250929", TokenCounts.of(1000, 500), PricingOptions.LIST).total(), "0.0105");
        assertUsd(price("anthropic", "claude-sonnet-4-5-20260101", TokenCounts.of(1000, 500), PricingOptions.LIST).total(), "0.0105");
    }

    @Test
    void v38_singleTokenIsExact() {
        // claude-3-5-haiku 1 input token: 1 x 0.80 / 1e6 = 0.0000008 ; gpt-5-nano 1 cached token: 0.005 / 1e6 = 0.000000005
        assertUsd(price("anthropic", "claude-3-5-haiku", TokenCounts.of(1, 0), PricingOptions.LIST).total(), "0.0000008");
        assertUsd(price("openai", "gpt-5-nano", counts(0, 0, 0, 0, 0, 1), PricingOptions.LIST).total(), "0.000000005");
    }

    @Test
    void v39_costedUsageCarriesTheEntryAndEveryClass() {
        // claude-opus-4-5 batch: in 10,000 x 5 = 0.05 ; out 2,000 x 25 = 0.05 ; 5m 1,000 x 6.25 = 0.00625 ;
        // read 40,000 x 0.50 = 0.02 ; sum 0.12625 x 0.5 = 0.063125 ; savings 40,000 x 4.50 x 0.5 = 0.09
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-opus-4-5-20251101", NOW)
                .setInputTokens(10_000).setOutputTokens(2000).setCacheWrite5mTokens(1000).setCacheReadTokens(40_000)
                .setBatch(true).build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertThat(c.getPriceEntryId()).isEqualTo("anthropic/claude-opus-4-5@2025-11-24");
        assertThat(c.getPriceSourceUrl()).startsWith("https://");
        assertUsd(c.getCostInputUsd(), "0.025");
        assertUsd(c.getCostOutputUsd(), "0.025");
        assertUsd(c.getCostCacheWrite5mUsd(), "0.003125");
        assertUsd(c.getCostCacheReadUsd(), "0.01");
        assertUsd(c.getTotalCostUsd(), "0.063125");
        assertUsd(c.getCacheSavingsUsd(), "0.09");
        assertUsd(c.getMultiplier(), "0.5");
        assertThat(c.getPricedAt()).isEqualTo(NOW);
    }

    // ---- worst case for the budget gate ----

    @Test
    void v40_worstCaseUsesHighestInputSideRate() {
        // sonnet 4.5: highest input-side rate = 1h write 6: 10,000 x 6 = 0.06 ; 2,000 x 15 = 0.03 ; 0.09
        final PriceEntry e = CATALOG.find("anthropic", "claude-sonnet-4-5", NOW).orElseThrow();
        assertUsd(UsagePricer.worstCase(e, 10_000, 2000), "0.09");
    }

    @Test
    void v41_worstCaseAboveThresholdUsesTier() {
        // 250,000 > 200,000: tier max input-side = 12 (1h write): 250,000 x 12 = 3 ; 1,000 x 22.50 = 0.0225 ; 3.0225
        final PriceEntry e = CATALOG.find("anthropic", "claude-sonnet-4-5", NOW).orElseThrow();
        assertUsd(UsagePricer.worstCase(e, 250_000, 1000), "3.0225");
    }

    @Test
    void v42_worstCaseAssumesTheDearestServiceTier() {
        // gpt-5 priority x2 is the largest multiplier: (1e6 x 1.25 + 1e6 x 10) x 2 = 22.5 ; known default tier: 11.25
        final PriceEntry e = CATALOG.find("openai", "gpt-5", NOW).orElseThrow();
        assertUsd(UsagePricer.worstCase(e, 1_000_000, 1_000_000), "22.5");
        assertUsd(UsagePricer.worstCase(e, 1_000_000, 1_000_000, PricingOptions.LIST), "11.25");
    }
}
