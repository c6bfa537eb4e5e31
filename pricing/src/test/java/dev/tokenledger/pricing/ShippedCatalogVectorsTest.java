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
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed vectors against the SHIPPED catalog for the rates issue 14 brought up to date. Each expected
 * figure is worked out in the comment beside it from the provider's published rate (USD per million tokens;
 * cost = tokens x rate / 1e6), never copied from the pricer's output. The dated vectors go through
 * {@link UsagePricer#price(dev.tokenledger.avro.UsageEvent, PriceCatalog, Instant)} so the catalog picks the
 * entry in force at {@code occurred_at}, as the aggregator does.
 */
class ShippedCatalogVectorsTest {

    private static final PriceCatalog CATALOG = PriceCatalog.loadDefault();
    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    private static PriceBreakdown price(String provider, String model, Instant at, TokenCounts c, PricingOptions o) {
        final PriceEntry e = CATALOG.find(provider, model, at)
                .orElseThrow(() -> new AssertionError("no shipped price for " + provider + "/" + model + " at " + at));
        return UsagePricer.price(c, e, o);
    }

    private static void assertUsd(BigDecimal actual, String expected) {
        assertThat(actual).isEqualByComparingTo(expected);
        assertThat(actual.scale()).as("wire scale").isEqualTo(Money.SCALE);
    }

    // ---- Claude Sonnet 5.5: cache read $0.20 until 2026-10-07, $0.10 from then (provider release note of 2026-10-07) ----

    @Test
    void sonnet55CacheReadBeforeTheCut() {
        // 2026-10-06T23:59:59Z, launch entry: in 10,000 x 2 = 0.02 ; out 2,000 x 10 = 0.02 ;
        // cache read 1,000,000 x 0.20 = 0.20 ; total 0.24
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-sonnet-5-5", Instant.parse("2026-10-06T23:59:59Z"))
                .setInputTokens(10_000).setOutputTokens(2_000).setCacheReadTokens(1_000_000).build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertThat(c.getPriceEntryId()).isEqualTo("anthropic/claude-sonnet-5-5@2026-09-28");
        assertUsd(c.getCostCacheReadUsd(), "0.20");
        assertUsd(c.getTotalCostUsd(), "0.24");
        // savings: 1,000,000 x (2 - 0.20) / 1e6 = 1.80
        assertUsd(c.getCacheSavingsUsd(), "1.80");
    }

    @Test
    void sonnet55CacheReadFromTheCut() {
        // 2026-10-07T00:00:00Z (effective_from is inclusive): in 0.02 ; out 0.02 ; cache read 1,000,000 x 0.10 = 0.10 ;
        // total 0.14
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-sonnet-5-5-20260928", Instant.parse("2026-10-07T00:00:00Z"))
                .setInputTokens(10_000).setOutputTokens(2_000).setCacheReadTokens(1_000_000).build(), CATALOG, NOW);
        assertThat(c.getPriceEntryId()).isEqualTo("anthropic/claude-sonnet-5-5@2026-10-07");
        assertUsd(c.getCostCacheReadUsd(), "0.10");
        assertUsd(c.getTotalCostUsd(), "0.14");
        // savings: 1,000,000 x (2 - 0.10) / 1e6 = 1.90
        assertUsd(c.getCacheSavingsUsd(), "1.90");
    }

    @Test
    void sonnet55DidNotExistBeforeItsLaunch() {
        // launched 2026-09-28: an event dated the day before has no entry (the catalog used to start it on 2026-06-30)
        assertThat(CATALOG.find("anthropic", "claude-sonnet-5-5", Instant.parse("2026-09-27T23:59:59Z"))).isEmpty();
    }

    // ---- GPT-5.5: whole request at 2x input / cached input and 1.5x output above 272K input tokens ----

    @Test
    void gpt55Above272kPricesTheWholeRequestAtTheTier() {
        // input side 250,000 + 30,000 cached = 280,000 > 272,000: tier $10 in / $1.00 cached / $45 out
        // 250,000 x 10 = 2.50 ; 30,000 x 1.00 = 0.03 ; 10,000 x 45 = 0.45 ; total 2.98
        final PriceBreakdown b = price("openai", "gpt-5.5", NOW, Fixtures.counts(250_000, 10_000, 0, 0, 0, 30_000), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isTrue();
        assertUsd(b.cost(TokenClass.INPUT), "2.50");
        assertUsd(b.cost(TokenClass.CACHE_READ), "0.03");
        assertUsd(b.cost(TokenClass.OUTPUT), "0.45");
        assertUsd(b.total(), "2.98");
    }

    @Test
    void gpt55AtExactly272kStaysAtTheShortContextRates() {
        // 242,000 + 30,000 = 272,000, not above: 242,000 x 5 = 1.21 ; 30,000 x 0.50 = 0.015 ; 10,000 x 30 = 0.30 ;
        // total 1.525
        final PriceBreakdown b = price("openai", "gpt-5.5", NOW, Fixtures.counts(242_000, 10_000, 0, 0, 0, 30_000), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isFalse();
        assertUsd(b.total(), "1.525");
    }

    @Test
    void gpt55PriorityAbove272kIsTheTierTimesTheTierMultiplier() {
        // priority 2.5x of the applicable (tier) rate: 2.98 x 2.5 = 7.45
        final PriceBreakdown b = price("openai", "gpt-5.5", NOW, Fixtures.counts(250_000, 10_000, 0, 0, 0, 30_000),
                PricingOptions.LIST.withServiceTier("priority"));
        assertUsd(b.multiplier(), "2.5");
        assertUsd(b.total(), "7.45");
    }

    // ---- US-only inference (inference_geo "us") at 1.1x on every class of a newer Claude model ----

    @Test
    void usOnlyInferenceOnOpus55Costs1point1xOnEveryClass() {
        // Opus 5.5 list: in 4, out 20, 5m write 5, read 0.20 ; "us" = 1.1x:
        // in 100,000 x 4.4 = 0.44 ; out 20,000 x 22 = 0.44 ; 5m write 10,000 x 5.5 = 0.055 ; read 200,000 x 0.22 = 0.044 ;
        // total 0.979
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-opus-5-5", NOW)
                .setInputTokens(100_000).setOutputTokens(20_000).setCacheWrite5mTokens(10_000).setCacheReadTokens(200_000)
                .setRegion("us").build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertUsd(c.getMultiplier(), "1.1");
        assertUsd(c.getCostInputUsd(), "0.44");
        assertUsd(c.getCostOutputUsd(), "0.44");
        assertUsd(c.getCostCacheWrite5mUsd(), "0.055");
        assertUsd(c.getCostCacheReadUsd(), "0.044");
        assertUsd(c.getTotalCostUsd(), "0.979");
    }

    @Test
    void globalInferenceIsListPrice() {
        // same call, "global": 0.40 + 0.40 + 0.05 + 0.04 = 0.89
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-opus-5-5", NOW)
                .setInputTokens(100_000).setOutputTokens(20_000).setCacheWrite5mTokens(10_000).setCacheReadTokens(200_000)
                .setRegion("global").build(), CATALOG, NOW);
        assertUsd(c.getMultiplier(), "1");
        assertUsd(c.getTotalCostUsd(), "0.89");
    }

    @Test
    void usOnlyInferenceOnSonnet55AfterTheCut() {
        // Sonnet 5.5 from 2026-10-07 x 1.1: in 2.20, out 11, read 0.11 (apidog: "input $2.20, output $11, cache read $0.22"
        // was before the cut). in 50,000 x 2.2 = 0.11 ; out 5,000 x 11 = 0.055 ; read 500,000 x 0.11 = 0.055 ; total 0.22
        final PriceBreakdown b = price("anthropic", "claude-sonnet-5-5", NOW, Fixtures.counts(50_000, 5_000, 0, 0, 0, 500_000),
                PricingOptions.LIST.withRegion("us"));
        assertUsd(b.cost(TokenClass.CACHE_READ), "0.055");
        assertUsd(b.total(), "0.22");
    }

    // ---- Gemini: 3.5 Flash has no verified cached rate; 3.1 Flash-Lite now has one; 3.8 Flash's promotion ends ----

    @Test
    void gemini35FlashCachedRequestIsNotFullyPriced() {
        // no source confirmed a cached price for 3.5 Flash, so the entry has none and the call is a lower bound:
        // in 100,000 x 1.50 = 0.15 ; out 5,000 x 9 = 0.045 ; the 40,000 cached tokens cost 0 (never the input rate) ;
        // total 0.195, PARTIALLY_PRICED with a note naming the class and the entry
        final PriceEntry e = CATALOG.find("google", "gemini-3.5-flash", NOW).orElseThrow();
        assertThat(e.getCacheReadPerMtok()).isNull();
        final CostedUsage c = UsagePricer.price(Fixtures.event("google", "gemini-3.5-flash", NOW)
                .setInputTokens(100_000).setOutputTokens(5_000).setCacheReadTokens(40_000).build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PARTIALLY_PRICED);
        assertUsd(c.getCostInputUsd(), "0.15");
        assertUsd(c.getCostOutputUsd(), "0.045");
        assertUsd(c.getCostCacheReadUsd(), "0");
        assertUsd(c.getTotalCostUsd(), "0.195");
        assertThat(c.getPricingNotes()).singleElement().asString().contains("cache_read").contains("google/gemini-3.5-flash@2026-05-19");
    }

    @Test
    void gemini35FlashUncachedRequestIsFullyPriced() {
        // in 100,000 x 1.50 = 0.15 ; out 5,000 x 9 = 0.045 ; total 0.195
        final CostedUsage c = UsagePricer.price(Fixtures.event("google", "gemini-3.5-flash", NOW)
                .setInputTokens(100_000).setOutputTokens(5_000).build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertUsd(c.getTotalCostUsd(), "0.195");
    }

    @Test
    void gemini31FlashLiteCachedRequest() {
        // in 10,000 x 0.25 = 0.0025 ; cached 100,000 x 0.025 = 0.0025 ; out 1,000 x 1.50 = 0.0015 ; total 0.0065
        final PriceBreakdown b = price("google", "gemini-3.1-flash-lite", NOW, Fixtures.counts(10_000, 1_000, 0, 0, 0, 100_000),
                PricingOptions.LIST);
        assertUsd(b.cost(TokenClass.CACHE_READ), "0.0025");
        assertUsd(b.total(), "0.0065");
        assertThat(b.notes()).isEmpty();
    }

    @Test
    void gemini38FlashPromotionEndsOn2027_01_01() {
        // 2026-12-31: 1,000,000 in x 0.75 = 0.75 ; 100,000 out x 3.75 = 0.375 ; total 1.125
        // 2027-01-01: 1,000,000 in x 1.50 = 1.50 ; 100,000 out x 7.50 = 0.75 ; total 2.25
        final TokenCounts c = TokenCounts.of(1_000_000, 100_000);
        assertUsd(price("google", "gemini-3.8-flash", Instant.parse("2026-12-31T23:59:59Z"), c, PricingOptions.LIST).total(), "1.125");
        assertUsd(price("google", "gemini-3.8-flash", Instant.parse("2027-01-01T00:00:00Z"), c, PricingOptions.LIST).total(), "2.25");
    }

    // ---- priority and flex tiers (OpenAI's priority page: "GPT-5.4 mini — $1.50, $0.150, $9.00") ----

    @Test
    void gpt54MiniStandardPriorityAndFlex() {
        final TokenCounts c = Fixtures.counts(100_000, 10_000, 0, 0, 0, 50_000);
        // standard: 100,000 x 0.75 = 0.075 ; 50,000 x 0.075 = 0.00375 ; 10,000 x 4.50 = 0.045 ; total 0.12375
        assertUsd(price("openai", "gpt-5.4-mini", NOW, c, PricingOptions.LIST).total(), "0.12375");
        // priority: 100,000 x 1.50 = 0.15 ; 50,000 x 0.15 = 0.0075 ; 10,000 x 9 = 0.09 ; total 0.2475
        final PriceBreakdown priority = price("openai", "gpt-5.4-mini", NOW, c, PricingOptions.LIST.withServiceTier("priority"));
        assertUsd(priority.cost(TokenClass.INPUT), "0.15");
        assertUsd(priority.cost(TokenClass.CACHE_READ), "0.0075");
        assertUsd(priority.cost(TokenClass.OUTPUT), "0.09");
        assertUsd(priority.total(), "0.2475");
        assertThat(priority.notes()).isEmpty();
        // flex (50%): 100,000 x 0.375 = 0.0375 ; 50,000 x 0.0375 = 0.001875 ; 10,000 x 2.25 = 0.0225 ; total 0.061875
        final PriceBreakdown flex = price("openai", "gpt-5.4-mini", NOW, c, PricingOptions.LIST.withServiceTier("flex"));
        assertUsd(flex.total(), "0.061875");
        assertThat(flex.notes()).isEmpty();
    }

    @Test
    void fastIsPriorityOnGpt6() {
        // GPT-6.1 Sol reports service_tier "fast": 2x. in 10,000 x 4 = 0.04 ; out 1,000 x 20 = 0.02 ; total 0.06
        final TokenCounts c = TokenCounts.of(10_000, 1_000);
        assertUsd(price("openai", "gpt-6.1-sol", NOW, c, PricingOptions.LIST.withServiceTier("fast")).total(), "0.06");
        assertUsd(price("openai", "gpt-6.1-sol", NOW, c, PricingOptions.LIST.withServiceTier("priority")).total(), "0.06");
    }

    @Test
    void gpt62SolUltrafastGoesFrom3xTo6xOnMarch1st2027() {
        // standard: 10,000 x 2 = 0.02 ; 1,000 x 10 = 0.01 ; 0.03. Ultrafast 3x until 2027-02-28 = 0.09, 6x from 2027-03-01 = 0.18
        final TokenCounts c = TokenCounts.of(10_000, 1_000);
        assertUsd(price("openai", "gpt-6.2-sol", Instant.parse("2027-02-28T23:59:59Z"), c,
                PricingOptions.LIST.withServiceTier("ultrafast")).total(), "0.09");
        assertUsd(price("openai", "gpt-6.2-sol", Instant.parse("2027-03-01T00:00:00Z"), c,
                PricingOptions.LIST.withServiceTier("ultrafast")).total(), "0.18");
    }

    // ---- OpenAI cache writes by retention (GPT-5.6 and later): 30 minutes at 1.25x input, 12 hours at 2.5x ----

    @Test
    void gpt62SolCacheWriteRatesByRetention() {
        // GPT-6.2 Sol page: "The cache write price is for 30 minutes of retention. A 12-hour cache write costs $5 per
        // million tokens for short-context requests at Standard pricing": 30m $2.50 (1.25 x $2), 12h $5 (2.5 x $2);
        // above 272K "input and cache rates double": 30m $5, 12h $10.
        final PriceEntry e = CATALOG.find("openai", "gpt-6.2-sol", NOW).orElseThrow();
        assertThat(e.getCacheWriteRates()).containsOnlyKeys("30m", "12h");
        assertThat(e.getCacheWriteRates().get("30m")).isEqualByComparingTo("2.50");
        assertThat(e.getCacheWriteRates().get("12h")).isEqualByComparingTo("5");
        assertThat(e.getLongContext().getCacheWriteRates().get("30m")).isEqualByComparingTo("5");
        assertThat(e.getLongContext().getCacheWriteRates().get("12h")).isEqualByComparingTo("10");
        // 100,000 tokens written for 30 minutes: 100,000 x 2.50 / 1e6 = 0.25 ; for 12 hours: 100,000 x 5 / 1e6 = 0.50
        assertThat(Money.costOf(100_000, e.getCacheWriteRates().get("30m"))).isEqualByComparingTo("0.25");
        assertThat(Money.costOf(100_000, e.getCacheWriteRates().get("12h"))).isEqualByComparingTo("0.50");
    }

    @Test
    void aThirtyMinuteAndATwelveHourCacheWriteOnGpt62Sol() {
        // input side 20,000 + 100,000 (30m) + 40,000 (12h) = 160,000, under 272K: standard rates
        // in 20,000 x 2 = 0.04 ; 30m 100,000 x 2.50 = 0.25 ; 12h 40,000 x 5 = 0.20 ; out 2,000 x 10 = 0.02 ; total 0.51
        final CostedUsage c = UsagePricer.price(Fixtures.event("openai", "gpt-6.2-sol", NOW)
                .setInputTokens(20_000).setOutputTokens(2_000).setCacheWriteTokens(Map.of("30m", 100_000L, "12h", 40_000L)).build(),
                CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertThat(c.getCacheWriteCosts()).containsOnlyKeys("30m", "12h");
        assertUsd(c.getCacheWriteCosts().get("30m"), "0.25");
        assertUsd(c.getCacheWriteCosts().get("12h"), "0.20");
        assertUsd(c.getCostCacheWriteOtherUsd(), "0.45");
        assertUsd(c.getTotalCostUsd(), "0.51");
        assertThat(c.getPricingNotes()).isEmpty();
    }

    @Test
    void thirtyMinuteWritesCountTowardThe272kThresholdAndDoubleAboveIt() {
        // 200,000 in + 80,000 written for 30m = 280,000 > 272,000: tier in $4, 30m write $5, out $15
        // 200,000 x 4 = 0.80 ; 80,000 x 5 = 0.40 ; 2,000 x 15 = 0.03 ; total 1.23
        final CostedUsage c = UsagePricer.price(Fixtures.event("openai", "gpt-6.2-sol", NOW)
                .setInputTokens(200_000).setOutputTokens(2_000).setCacheWriteTokens(Map.of("30m", 80_000L)).build(), CATALOG, NOW);
        assertThat(c.getLongContextApplied()).isTrue();
        assertUsd(c.getCacheWriteCosts().get("30m"), "0.40");
        assertUsd(c.getTotalCostUsd(), "1.23");
    }

    @Test
    void aTwelveHourWriteOnGpt56LunaIsFlaggedNotGuessed() {
        // in 10,000 x 0.20 = 0.002 ; the 50,000 12h-written tokens have no published rate: cost 0, PARTIALLY_PRICED
        final CostedUsage c = UsagePricer.price(Fixtures.event("openai", "gpt-5.6-luna", NOW)
                .setInputTokens(10_000).setCacheWriteTokens(Map.of("12h", 50_000L)).build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PARTIALLY_PRICED);
        assertUsd(c.getTotalCostUsd(), "0.002");
        assertThat(c.getPricingNotes()).singleElement().asString().contains("12h");
    }

    @Test
    void ultrafastOnGpt6AstraHasNoVerifiedRateSoItIsFlaggedAtList() {
        // list: 10,000 x 10 = 0.10 ; 1,000 x 50 = 0.05 ; total 0.15 (a lower bound; third parties say 6x)
        final CostedUsage c = UsagePricer.price(Fixtures.event("openai", "gpt-6-astra", NOW)
                .setInputTokens(10_000).setOutputTokens(1_000).setServiceTier("ultrafast").build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PARTIALLY_PRICED);
        assertUsd(c.getTotalCostUsd(), "0.15");
        assertThat(c.getPricingNotes()).singleElement().asString().contains("ultrafast");
    }

    @Test
    void gpt56LunaBillsThirtyMinuteWritesButHasNoPublishedTwelveHourRate() {
        // GPT-5.6 Luna page: "Cache writes are billed at 1.25x the uncached input token rate": 1.25 x $0.20 = $0.25;
        // no 12-hour rate was found for GPT-5.6, so none is shipped (a 12h write is flagged, not guessed)
        final PriceEntry e = CATALOG.find("openai", "gpt-5.6-luna", NOW).orElseThrow();
        assertThat(e.getCacheWriteRates()).containsOnlyKeys("30m");
        assertThat(e.getCacheWriteRates().get("30m")).isEqualByComparingTo("0.25");
    }

    @Test
    void openAiModelsBeforeGpt56BillCacheWritesAsRegularInput() {
        for (String m : new String[] {"gpt-5.5", "gpt-5.4", "gpt-5.4-mini", "gpt-5.2", "gpt-5", "gpt-4.1", "gpt-4o"}) {
            final PriceEntry e = CATALOG.find("openai", m, NOW).orElseThrow();
            assertThat(e.getCacheWriteRates()).as(m).containsOnlyKeys("30m", "12h");
            assertThat(e.getCacheWriteRates().values()).as(m).allSatisfy(r -> assertThat(r).isEqualByComparingTo(e.getInputPerMtok()));
            assertThat(e.getCacheWrite5mPerMtok()).as(m).isNull();
        }
    }

    @Test
    void aGpt54ResponseReportingA12hCacheWriteCostsWhatTheSameTokensCostAsInput() {
        // OpenAI bills writes as regular input before GPT-5.6: 20,000 input + 80,000 12h writes at $2.50
        // = 100,000 x 2.50 / 1e6 = 0.25, exactly what 100,000 input tokens cost; fully priced
        final CostedUsage c = UsagePricer.price(Fixtures.event("openai", "gpt-5.4", NOW)
                .setInputTokens(20_000).setCacheWriteTokens(Map.of("12h", 80_000L)).build(), CATALOG, NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertUsd(c.getTotalCostUsd(), "0.25");
    }

    // ---- Opus 4.6: a whole-request tier above 200K from launch (2026-02-05) until 1M context went GA (2026-03-13) ----

    @Test
    void opus46Above200kBeforeTheGa() {
        // 2026-03-12T23:59:59Z, input side 150,000 + 60,000 read = 210,000 > 200,000: tier $10 / $37.50 / read $1.00
        // 150,000 x 10 = 1.50 ; 60,000 x 1.00 = 0.06 ; 4,000 x 37.50 = 0.15 ; total 1.71
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-opus-4-6", Instant.parse("2026-03-12T23:59:59Z"))
                .setInputTokens(150_000).setOutputTokens(4_000).setCacheReadTokens(60_000).build(), CATALOG, NOW);
        assertThat(c.getPriceEntryId()).isEqualTo("anthropic/claude-opus-4-6@2026-02-05");
        assertThat(c.getLongContextApplied()).isTrue();
        assertUsd(c.getTotalCostUsd(), "1.71");
    }

    @Test
    void opus46SameRequestAfterTheGa() {
        // 2026-03-13T00:00:00Z, no tier: 150,000 x 5 = 0.75 ; 60,000 x 0.50 = 0.03 ; 4,000 x 25 = 0.10 ; total 0.88
        final CostedUsage c = UsagePricer.price(Fixtures.event("anthropic", "claude-opus-4-6", Instant.parse("2026-03-13T00:00:00Z"))
                .setInputTokens(150_000).setOutputTokens(4_000).setCacheReadTokens(60_000).build(), CATALOG, NOW);
        assertThat(c.getPriceEntryId()).isEqualTo("anthropic/claude-opus-4-6@2026-03-13");
        assertThat(c.getLongContextApplied()).isFalse();
        assertUsd(c.getTotalCostUsd(), "0.88");
    }

    @Test
    void sonnet46Above200kBeforeTheGa() {
        // 2026-03-01: input 190,000 + 5m write 20,000 = 210,000 > 200,000: tier $6 / 5m $7.50 / out $22.50
        // 190,000 x 6 = 1.14 ; 20,000 x 7.50 = 0.15 ; 2,000 x 22.50 = 0.045 ; total 1.335
        final PriceBreakdown b = price("anthropic", "claude-sonnet-4-6", Instant.parse("2026-03-01T00:00:00Z"),
                Fixtures.counts(190_000, 2_000, 0, 20_000, 0, 0), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isTrue();
        assertUsd(b.total(), "1.335");
    }
}
