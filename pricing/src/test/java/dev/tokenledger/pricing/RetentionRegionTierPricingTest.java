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
import static dev.tokenledger.pricing.Fixtures.entry;
import static dev.tokenledger.pricing.Fixtures.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * Cache writes of any retention, region and service tier (issue 14), with entries built here from the
 * providers' published rates (see /work/price-audit.md, read 2026-12-05):
 * <ul>
 *   <li>GPT-6.2 Sol (developers.openai.com/api/docs/models/gpt-6.2-sol): input 2, cached 0.10, output 10,
 *       30-minute write 2.50 (1.25x input), 12-hour write 5 ("A 12-hour cache write costs $5 per million tokens");
 *       above 272K input tokens "input and cache rates double and output costs 1.5 times": 4 / 0.20 / 15,
 *       writes 5 / 10; Fast 2x, batch 0.5.</li>
 *   <li>GPT-5.4 mini (openai.com/api-priority-processing): input 0.75, cached 0.075, output 4.50, priority 2x
 *       ($1.50 / $0.150 / $9.00), flex 0.5.</li>
 *   <li>Claude Sonnet 5.5 from 2026-10-07 (platform.claude.com release notes): input 2, output 10, 5m write 2.50,
 *       1h write 4, cache read 0.10; US-only inference ({@code inference_geo: "us"}) 1.1x.</li>
 * </ul>
 */
class RetentionRegionTierPricingTest {

    static PriceEntry gpt62Sol() {
        return entry("openai", "gpt-6.2-sol", "2026-11-17", "2", "10")
                .setCacheReadPerMtok(new BigDecimal("0.10"))
                .setCacheWriteRates(Map.of("30m", new BigDecimal("2.50"), "12h", new BigDecimal("5")))
                .setLongContext(LongContextTier.newBuilder().setThresholdTokens(272_000)
                        .setInputPerMtok(new BigDecimal("4")).setOutputPerMtok(new BigDecimal("15"))
                        .setCacheReadPerMtok(new BigDecimal("0.20"))
                        .setCacheWriteRates(Map.of("30m", new BigDecimal("5"), "12h", new BigDecimal("10"))).build())
                .setBatchMultiplier(new BigDecimal("0.5"))
                .setServiceTierMultipliers(List.of(named("fast", "2"), named("priority", "2")))
                .build();
    }

    static PriceEntry gpt54Mini() {
        return entry("openai", "gpt-5.4-mini", "2026-03-17", "0.75", "4.50")
                .setCacheReadPerMtok(new BigDecimal("0.075"))
                .setServiceTierMultipliers(List.of(named("priority", "2"), named("flex", "0.5")))
                .build();
    }

    static PriceEntry sonnet55() {
        return entry("anthropic", "claude-sonnet-5-5", "2026-10-07", "2", "10")
                .setCacheWrite5mPerMtok(new BigDecimal("2.50")).setCacheWrite1hPerMtok(new BigDecimal("4"))
                .setCacheReadPerMtok(new BigDecimal("0.10"))
                .setRegionMultipliers(List.of(named("us", "1.1")))
                .build();
    }

    private static TokenCounts counts(long input, long output, long cacheRead, Map<String, Long> writes) {
        return new TokenCounts(input, output, 0, 0, 0, cacheRead, Map.of(), writes);
    }

    private static void assertUsd(BigDecimal actual, String expected) {
        assertThat(actual).isEqualByComparingTo(expected);
        assertThat(actual.scale()).as("wire scale").isEqualTo(Money.SCALE);
    }

    @Test
    void thirtyMinuteCacheWrite() {
        // input 10,000 x 2 / 1e6 = 0.02 ; 30m write 200,000 x 2.50 / 1e6 = 0.5 ; cache read 50,000 x 0.10 / 1e6 = 0.005 ;
        // output 2,000 x 10 / 1e6 = 0.02 ; total 0.545 (input side 260,000 <= 272,000: standard rates)
        final PriceBreakdown b = UsagePricer.price(counts(10_000, 2_000, 50_000, Map.of("30m", 200_000L)), gpt62Sol(), PricingOptions.LIST);
        assertUsd(b.cost("cache_write_30m"), "0.5");
        assertUsd(b.cost(TokenClass.INPUT), "0.02");
        assertUsd(b.cost(TokenClass.CACHE_READ), "0.005");
        assertUsd(b.total(), "0.545");
        assertUsd(b.cacheWriteOtherTotal(), "0.5");
        assertThat(b.cacheWriteLines()).containsOnlyKeys("30m");
        assertThat(b.otherClasses()).isEmpty();
        assertThat(b.partial()).isFalse();
        assertThat(b.longContextApplied()).isFalse();
        assertThat(b.notes()).isEmpty();
    }

    @Test
    void twelveHourCacheWrite() {
        // 12h write 100,000 x 5 / 1e6 = 0.5 ; input 1,000 x 2 / 1e6 = 0.002 ; output 500 x 10 / 1e6 = 0.005 ; total 0.507
        final PriceBreakdown b = UsagePricer.price(counts(1_000, 500, 0, Map.of("12h", 100_000L)), gpt62Sol(), PricingOptions.LIST);
        assertUsd(b.cost("cache_write_12h"), "0.5");
        assertUsd(b.total(), "0.507");
        assertThat(b.line("cache_write_12h").ratePerMtok()).isEqualByComparingTo("5");
        assertThat(b.partial()).isFalse();
    }

    @Test
    void cacheWritesCountTowardTheLongContextThresholdAndUseTheTierRates() {
        // input 100,000 + 30m write 180,000 = 280,000 > 272,000: whole request at the tier:
        // input 100,000 x 4 / 1e6 = 0.4 ; 30m write 180,000 x 5 / 1e6 = 0.9 ; output 10,000 x 15 / 1e6 = 0.15 ; total 1.45
        final PriceBreakdown b = UsagePricer.price(counts(100_000, 10_000, 0, Map.of("30m", 180_000L)), gpt62Sol(), PricingOptions.LIST);
        assertThat(b.longContextApplied()).isTrue();
        assertUsd(b.cost("cache_write_30m"), "0.9");
        assertUsd(b.total(), "1.45");
    }

    @Test
    void aRetentionWithoutARateCostsNothingAndFlagsTheCall() {
        // GPT-5.6 Luna (developers.openai.com/api/docs/models/gpt-5.6-luna): input 0.20, cached 0.02, output 1.20,
        // 30m write 1.25 x 0.20 = 0.25 ; no published 12h rate: the entry has none.
        // input 1,000,000 x 0.20 / 1e6 = 0.2 ; 30m 100,000 x 0.25 / 1e6 = 0.025 ; 12h 10,000 -> 0 (not the input or 30m rate) ;
        // total 0.225, a lower bound
        final PriceEntry luna = entry("openai", "gpt-5.6-luna", "2026-07-30", "0.20", "1.20")
                .setCacheReadPerMtok(new BigDecimal("0.02"))
                .setCacheWriteRates(Map.of("30m", new BigDecimal("0.25"))).build();
        final PriceBreakdown b = UsagePricer.price(counts(1_000_000, 0, 0, Map.of("30m", 100_000L, "12h", 10_000L)), luna, PricingOptions.LIST);
        assertUsd(b.cost("cache_write_12h"), "0");
        assertUsd(b.cost("cache_write_30m"), "0.025");
        assertUsd(b.total(), "0.225");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).singleElement().asString().contains("10000 cache_write_12h").contains("openai/gpt-5.6-luna@2026-07-30")
                .contains("standard rates");
    }

    @Test
    void theTierInForceMissingARateIsNeverFilledFromTheBaseRate() {
        // Sol with a tier that has no 12h rate: 300,000 input + 1,000 12h = 301,000 > 272,000:
        // input 300,000 x 4 / 1e6 = 1.2 ; 12h 1,000 -> 0 (the base 12h rate 5 is not used) ; total 1.2
        final PriceEntry e = PriceEntry.newBuilder(gpt62Sol()).setLongContext(LongContextTier.newBuilder(gpt62Sol().getLongContext())
                .setCacheWriteRates(Map.of("30m", new BigDecimal("5"))).build()).build();
        final PriceBreakdown b = UsagePricer.price(counts(300_000, 0, 0, Map.of("12h", 1_000L)), e, PricingOptions.LIST);
        assertUsd(b.total(), "1.2");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).singleElement().asString().contains("cache_write_12h").contains("long-context tier (above 272000");
    }

    @Test
    void usOnlyInferenceOnANewerClaudeModel() {
        // Sonnet 5.5: input 100,000 x 2 = 0.2 ; output 10,000 x 10 = 0.1 ; cache read 200,000 x 0.10 = 0.02 ;
        // 5m write 20,000 x 2.50 = 0.05 (all / 1e6) ; list 0.37 ; inference_geo "us": 0.37 x 1.1 = 0.407
        final TokenCounts c = new TokenCounts(100_000, 10_000, 0, 20_000, 0, 200_000, Map.of());
        final PriceBreakdown us = UsagePricer.price(c, sonnet55(), PricingOptions.LIST.withRegion("us"));
        assertUsd(us.total(), "0.407");
        assertUsd(us.multiplier(), "1.1");
        assertThat(us.partial()).isFalse();
        // "global" is Anthropic's standard-price answer: 0.37, fully priced, no note
        final PriceBreakdown global = UsagePricer.price(c, sonnet55(), PricingOptions.LIST.withRegion("global"));
        assertUsd(global.total(), "0.37");
        assertThat(global.partial()).isFalse();
        assertThat(global.notes()).isEmpty();
    }

    @Test
    void anUnknownRegionIsListPriceFlagged() {
        // Sol has no region multipliers: "eu" -> input 100,000 x 2 / 1e6 = 0.2 without any uplift, a lower bound
        final PriceBreakdown b = UsagePricer.price(TokenCounts.of(100_000, 0), gpt62Sol(), PricingOptions.LIST.withRegion("eu"));
        assertUsd(b.total(), "0.2");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).singleElement().asString().contains("region 'eu'").contains("openai/gpt-6.2-sol@2026-11-17");
    }

    @Test
    void anUnknownServiceTierIsListPriceFlagged() {
        // Sol built without "ultrafast": input 100,000 x 2 / 1e6 = 0.2 at list, a lower bound
        final PriceBreakdown b = UsagePricer.price(TokenCounts.of(100_000, 0), gpt62Sol(), PricingOptions.LIST.withServiceTier("ultrafast"));
        assertUsd(b.total(), "0.2");
        assertThat(b.partial()).isTrue();
        assertThat(b.notes()).singleElement().asString().contains("service tier 'ultrafast'").contains("openai/gpt-6.2-sol@2026-11-17");
        // the list-price names are not flagged
        for (String listed : List.of("default", "auto", "standard")) {
            assertThat(UsagePricer.price(TokenCounts.of(1_000_000, 0), gpt62Sol(), PricingOptions.LIST.withServiceTier(listed)).partial())
                    .as(listed).isFalse();
        }
    }

    @Test
    void priorityAndFlexTiers() {
        // gpt-5.4-mini: input 1,000,000 x 0.75 / 1e6 = 0.75 ; output 100,000 x 4.50 / 1e6 = 0.45 ; list 1.2
        // priority x2 = 2.4 (O4: $1.50 / $9.00 per MTok) ; flex x0.5 = 0.6
        final TokenCounts c = TokenCounts.of(1_000_000, 100_000);
        assertUsd(UsagePricer.price(c, gpt54Mini(), PricingOptions.LIST).total(), "1.2");
        assertUsd(UsagePricer.price(c, gpt54Mini(), PricingOptions.LIST.withServiceTier("priority")).total(), "2.4");
        assertUsd(UsagePricer.price(c, gpt54Mini(), PricingOptions.LIST.withServiceTier("flex")).total(), "0.6");
        // Sol reports "fast" (OpenAI's new name for priority): 30m write 200,000 x 2.50 x 2 / 1e6 = 1
        assertUsd(UsagePricer.price(counts(0, 0, 0, Map.of("30m", 200_000L)), gpt62Sol(), PricingOptions.LIST.withServiceTier("fast")).total(),
                "1");
    }

    @Test
    void anthropicBatchServiceTierIsTheBatchPrice() {
        // Sonnet 5.5 with batch 0.5 (platform.claude.com pricing: batch 50%): input 1,000,000 x 2 / 1e6 = 2 ; x 0.5 = 1, no flag
        final PriceEntry e = PriceEntry.newBuilder(sonnet55()).setBatchMultiplier(new BigDecimal("0.5")).build();
        final PriceBreakdown b = UsagePricer.price(TokenCounts.of(1_000_000, 0), e, PricingOptions.LIST.withServiceTier("batch"));
        assertUsd(b.total(), "1");
        assertThat(b.partial()).isFalse();
    }

    @Test
    void worstCaseCountsTheHighestRetentionRate() {
        // highest input-side rate of Sol's standard rates is the 12h write, 5: 100,000 x 5 / 1e6 = 0.5 ; output 1,000 x 10 / 1e6 = 0.01
        // at list 0.51 ; the unknown-call bound takes the largest tier multiplier (fast/priority 2): 1.02
        assertUsd(UsagePricer.worstCase(gpt62Sol(), 100_000, 1_000, PricingOptions.LIST), "0.51");
        assertUsd(UsagePricer.worstCase(gpt62Sol(), 100_000, 1_000), "1.02");
        // above 272K the tier's 12h write (10) and output (15): 300,000 x 10 / 1e6 = 3 ; 1,000 x 15 / 1e6 = 0.015 ; 3.015
        assertUsd(UsagePricer.worstCase(gpt62Sol(), 300_000, 1_000, PricingOptions.LIST), "3.015");
    }

    @Test
    void costedUsageCarriesRetentionCostsStatusAndNotes() {
        final PriceCatalog catalog = PriceCatalog.of(List.of(gpt62Sol()));
        final UsageEvent priced = Fixtures.event("openai", "gpt-6.2-sol", NOW).setInputTokens(10_000).setOutputTokens(2_000)
                .setCacheReadTokens(50_000).setCacheWriteTokens(Map.of("30m", 200_000L)).build();
        final CostedUsage c = UsagePricer.price(priced, catalog, NOW);
        // as thirtyMinuteCacheWrite: 30m 0.5, total 0.545
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertUsd(c.getCostCacheWriteOtherUsd(), "0.5");
        assertThat(c.getCacheWriteCosts()).containsOnlyKeys("30m");
        assertUsd(c.getCacheWriteCosts().get("30m"), "0.5");
        assertUsd(c.getTotalCostUsd(), "0.545");
        assertThat(c.getPricingNotes()).isEmpty();
        assertThat(c.getOtherCosts()).isEmpty();

        final CostedUsage partial = UsagePricer.price(UsageEvent.newBuilder(priced).setRegion("eu").build(), catalog, NOW);
        assertThat(partial.getPricingStatus()).isEqualTo(PricingStatus.PARTIALLY_PRICED);
        assertThat(partial.getPricingNotes()).singleElement().asString().contains("region 'eu'");
        assertUsd(partial.getTotalCostUsd(), "0.545");

        final CostedUsage unpriced = UsagePricer.price(Fixtures.event("openai", "gpt-9", NOW).setCacheWriteTokens(Map.of("30m", 5L)).build(),
                catalog, NOW);
        assertThat(unpriced.getPricingStatus()).isEqualTo(PricingStatus.UNPRICED);
        assertUsd(unpriced.getCostCacheWriteOtherUsd(), "0");
    }

    @Test
    void anEventWrittenWithReleasedSchemaV1PricesExactlyAsBefore() throws IOException {
        final Schema v1 = new Schema.Parser().parse(Files.readString(Path.of("..", "schemas", "released", "UsageEvent", "v1.avsc")));
        final GenericRecord old = new GenericData.Record(v1);
        old.put("event_id", "evt-v1");
        old.put("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "COMPLETED"));
        old.put("occurred_at", Instant.parse("2026-10-01T00:00:00Z").toEpochMilli());
        old.put("feature_id", "summarize");
        old.put("request_id", "r1");
        old.put("attempt", 1);
        old.put("environment", "production");
        old.put("provider", "anthropic");
        old.put("model", "claude-sonnet-4-5");
        old.put("input_tokens", 1_000L);
        old.put("output_tokens", 500L);
        old.put("reasoning_tokens", 0L);
        old.put("cache_write_5m_tokens", 2_000L);
        old.put("cache_write_1h_tokens", 0L);
        old.put("cache_read_tokens", 4_000L);
        old.put("other_tokens", Map.of());
        old.put("batch", false);
        old.put("usage_source", new GenericData.EnumSymbol(v1.getField("usage_source").schema(), "PROVIDER"));
        old.put("tags", Map.of());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, enc);
        enc.flush();
        final UsageEvent read = new SpecificDatumReader<UsageEvent>(v1, UsageEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read.getCacheWriteTokens()).isEmpty();

        // Sonnet 4.5 (in 3, out 15, 5m 3.75, read 0.30): 1,000 x 3 = 0.003 ; 500 x 15 = 0.0075 ; 2,000 x 3.75 = 0.0075 ;
        // 4,000 x 0.30 = 0.0012 (all / 1e6) ; total 0.0192
        final PriceEntry sonnet45 = entry("anthropic", "claude-sonnet-4-5", "2025-09-29", "3", "15")
                .setCacheWrite5mPerMtok(new BigDecimal("3.75")).setCacheWrite1hPerMtok(new BigDecimal("6"))
                .setCacheReadPerMtok(new BigDecimal("0.30")).build();
        final CostedUsage c = UsagePricer.price(read, PriceCatalog.of(List.of(sonnet45)), NOW);
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertUsd(c.getTotalCostUsd(), "0.0192");
        assertUsd(c.getCostCacheWrite5mUsd(), "0.0075");
        assertUsd(c.getCostCacheWriteOtherUsd(), "0");
        assertThat(c.getCacheWriteCosts()).isEmpty();
        assertThat(c.getPricingNotes()).isEmpty();
    }
}
