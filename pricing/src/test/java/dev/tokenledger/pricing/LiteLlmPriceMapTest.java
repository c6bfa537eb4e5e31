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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PriceEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LiteLlmPriceMapTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final LocalDate READ = LocalDate.parse("2026-11-23");
    private static LiteLlmPriceMap.Result result;
    private static Map<String, PriceEntry> byModel;
    private static Map<String, String> refused;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = LiteLlmPriceMapTest.class.getResourceAsStream("/dev/tokenledger/pricing/litellm-fixture.json")) {
            result = LiteLlmPriceMap.load(in, "litellm-fixture.json", FROM, READ);
        }
        byModel = result.entries().stream().collect(Collectors.toMap(PriceEntry::getModel, Function.identity()));
        refused = result.refused().stream().collect(Collectors.toMap(LiteLlmPriceMap.Refusal::model, LiteLlmPriceMap.Refusal::reason));
    }

    @Test
    void mapsEveryTokenClassToExactPerMillionRates() {
        final PriceEntry e = byModel.get("claude-sonnet-4-5-20250929");
        assertThat(e.getProvider()).isEqualTo("anthropic");
        // 3e-06 per token = 3 per million, exactly (no binary float on the way)
        assertThat(e.getInputPerMtok()).isEqualByComparingTo("3");
        assertThat(e.getOutputPerMtok()).isEqualByComparingTo("15");
        assertThat(e.getCacheWrite5mPerMtok()).isEqualByComparingTo("3.75");
        assertThat(e.getCacheWrite1hPerMtok()).isEqualByComparingTo("6");
        assertThat(e.getCacheReadPerMtok()).isEqualByComparingTo("0.3");
        assertThat(e.getLongContext().getThresholdTokens()).isEqualTo(200_000);
        assertThat(e.getLongContext().getInputPerMtok()).isEqualByComparingTo("6");
        assertThat(e.getLongContext().getOutputPerMtok()).isEqualByComparingTo("22.5");
        assertThat(e.getLongContext().getCacheWrite5mPerMtok()).isEqualByComparingTo("7.5");
        assertThat(e.getLongContext().getCacheReadPerMtok()).isEqualByComparingTo("0.6");
        assertThat(e.getBatchMultiplier()).isEqualByComparingTo("0.5");
        assertThat(e.getEffectiveFrom()).isEqualTo(FROM);
        assertThat(e.getSourceReadOn()).isEqualTo(READ);
        assertThat(e.getSourceUrl()).contains("model_prices_and_context_window.json");
        assertThat(e.getEntryId()).isEqualTo("anthropic/claude-sonnet-4-5-20250929@2026-11-01");
    }

    @Test
    void loadedEntryPricesLikeTheShippedOne() {
        // 1,000 x 3 + 500 x 15 + 10,000 x 0.3 = 0.003 + 0.0075 + 0.003 = 0.0135
        final PriceBreakdown b = UsagePricer.price(Fixtures.counts(1000, 500, 0, 0, 0, 10_000),
                byModel.get("claude-sonnet-4-5-20250929"), PricingOptions.LIST);
        assertThat(b.total()).isEqualByComparingTo("0.0135");
    }

    @Test
    void priorityPricesBecomeAServiceTierMultiplier() {
        final PriceEntry e = byModel.get("gpt-4.1-mini");
        assertThat(e.getServiceTierMultipliers()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("priority");
            assertThat(m.getMultiplier()).isEqualByComparingTo("1.75");
        });
        assertThat(e.getCacheReadPerMtok()).isEqualByComparingTo("0.1");
        assertThat(e.getCacheWrite5mPerMtok()).isNull();
    }

    @Test
    void providerPrefixIsStrippedAndAudioBecomesAnOtherClass() {
        final PriceEntry e = byModel.get("gemini-2.5-flash");
        assertThat(e.getProvider()).isEqualTo("google");
        assertThat(e.getAliases()).containsExactly("gemini/gemini-2.5-flash");
        assertThat(e.getOtherRates()).singleElement().satisfies(r -> {
            assertThat(r.getTokenClass()).isEqualTo("audio_input");
            assertThat(r.getPerMtok()).isEqualByComparingTo("1");
        });
        assertThat(PriceCatalog.of(result.entries()).find("google", "gemini/gemini-2.5-flash", FROM)).isPresent();
    }

    @Test
    void manyDigitsStayExact() {
        // 0.00000012345678 per token x 1e6 = 0.12345678 per million, exactly
        assertThat(byModel.get("tiny-precise-model").getInputPerMtok()).isEqualByComparingTo("0.12345678");
    }

    @Test
    void refusesWhatItCannotMapAndSaysWhy() {
        assertThat(result.entries()).hasSize(5);
        assertThat(refused).containsOnlyKeys("text-embedding-3-small", "whisper-1", "per-second-chat", "no-cost-model",
                "reasoning-apart", "mystery-billing", "two-tiers", "acme-odd-long-priority");
        assertThat(refused.get("text-embedding-3-small")).contains("mode 'embedding'");
        assertThat(refused.get("whisper-1")).contains("audio_transcription");
        assertThat(refused.get("per-second-chat")).contains("per second");
        assertThat(refused.get("no-cost-model")).contains("input_cost_per_token");
        assertThat(refused.get("reasoning-apart")).contains("reasoning");
        assertThat(refused.get("mystery-billing")).contains("input_cost_per_token_cache_hit_mystery");
        assertThat(refused.get("two-tiers")).contains("128000").contains("200000");
        // 7.5 per million is x1.5 of the 5 tier rate, not the entry's x2 priority multiplier
        assertThat(refused.get("acme-odd-long-priority")).contains("input_cost_per_token_above_272k_tokens_priority is 7.5")
                .contains("x2 priority multiplier of the tier rate 5 (10)");
    }

    @Test
    void theLongContextTierKeepsItsOneHourCacheWriteRate() {
        final PriceEntry e = byModel.get("claude-sonnet-4-5-20250929");
        // cache_creation_input_token_cost_above_1hr_above_200k_tokens = 1.2e-5 per token = 12 per million
        assertThat(e.getLongContext().getCacheWrite1hPerMtok()).isEqualByComparingTo("12");
        // 150,001 input + 60,000 one-hour writes = 210,001 input-side tokens > 200K: the whole request at tier rates
        // 150,001 x 6 + 60,000 x 12 + 1,000 x 22.5 = 0.900006 + 0.72 + 0.0225 = 1.642506
        final PriceBreakdown b = UsagePricer.price(Fixtures.counts(150_001, 1_000, 0, 0, 60_000, 0), e, PricingOptions.LIST);
        assertThat(b.total()).isEqualByComparingTo("1.642506");
    }

    @Test
    void longContextPriorityPricesThatFollowTheMultiplierAreAccepted() {
        final PriceEntry e = byModel.get("acme-long-priority");
        assertThat(e.getLongContext().getThresholdTokens()).isEqualTo(272_000);
        assertThat(e.getLongContext().getInputPerMtok()).isEqualByComparingTo("5");
        assertThat(e.getServiceTierMultipliers()).singleElement()
                .satisfies(m -> assertThat(m.getMultiplier()).isEqualByComparingTo("2"));
    }

    @Test
    void inconsistentMultiplierIsRefused() throws IOException {
        final String json = "{\"m\": {\"input_cost_per_token\": 1e-6, \"output_cost_per_token\": 2e-6,"
                + " \"input_cost_per_token_batches\": 5e-7, \"output_cost_per_token_batches\": 1.5e-6,"
                + " \"litellm_provider\": \"acme\", \"mode\": \"chat\"}}";
        final LiteLlmPriceMap.Result r = LiteLlmPriceMap.load(stream(json), "inline", FROM, READ);
        assertThat(r.entries()).isEmpty();
        assertThat(r.refused()).singleElement().satisfies(x -> assertThat(x.reason()).contains("batches").contains("x0.5").contains("x0.75"));
    }

    @Test
    void anOpenAiCacheWritePriceIsTheThirtyMinuteRetentionNotTheFiveMinuteOne() throws IOException {
        // GPT-6.2 Sol-shaped: $2 in, $0.20 cached, $2.50 write (1.25 x 2), $10 out; the write is OpenAI's 30-minute one
        final String json = "{\"gpt-x\": {\"input_cost_per_token\": 2e-6, \"output_cost_per_token\": 1e-5,"
                + " \"cache_read_input_token_cost\": 2e-7, \"cache_creation_input_token_cost\": 2.5e-6,"
                + " \"litellm_provider\": \"openai\", \"mode\": \"chat\"}}";
        final PriceEntry e = LiteLlmPriceMap.load(stream(json), "inline", FROM, READ).entries().get(0);
        assertThat(e.getCacheWrite5mPerMtok()).isNull();
        assertThat(e.getCacheWriteRates()).containsOnlyKeys("30m");
        assertThat(e.getCacheWriteRates().get("30m")).isEqualByComparingTo("2.5");
    }

    @Test
    void notAPriceMapIsAClearError() {
        assertThatThrownBy(() -> LiteLlmPriceMap.load(stream("[1,2]"), "prices.json", FROM, READ))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prices.json");
        assertThatThrownBy(() -> LiteLlmPriceMap.load(stream("{oops"), "prices.json", FROM, READ))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
