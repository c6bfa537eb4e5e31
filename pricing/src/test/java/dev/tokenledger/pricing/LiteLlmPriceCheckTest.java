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

import dev.tokenledger.pricing.LiteLlmPriceCheck.Finding;
import dev.tokenledger.pricing.LiteLlmPriceCheck.Kind;
import dev.tokenledger.pricing.LiteLlmPriceCheck.RateDifference;
import dev.tokenledger.pricing.LiteLlmPriceCheck.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LiteLlmPriceCheck} on a small test catalog ({@code check-catalog.json}) and a LiteLLM map in the
 * real file's shape ({@code litellm-check-fixture.json}): per-token prices there are USD per token, so
 * {@code 1.5e-06} is 1.5 per million tokens.
 */
class LiteLlmPriceCheckTest {

    private static final Instant DEC_5 = Instant.parse("2026-12-05T00:00:00Z");
    private static PriceCatalog catalog;

    @BeforeAll
    static void loadCatalog() throws IOException {
        try (InputStream in = resource("check-catalog.json")) {
            catalog = PriceCatalog.of(PriceCatalogJson.read(in, "check-catalog.json"));
        }
    }

    @Test
    void listsEveryDifferenceAndMissingModelOnceAndCountsTheRest() throws IOException {
        final Report r = check(DEC_5);
        // In scope: 8 keys (sample_spec, an embedding, an image model and a bedrock key are not TokenLedger's to compare).
        assertThat(r.compared()).isEqualTo(8);
        // Agreeing: claude-sonnet-4-5-20250929 (alias), claude-sonnet-5-5 (the 2026-10-07 entry), o3 (the current entry),
        // gemini/gemini-2.5-flash-preview-09-2025 (pattern).
        assertThat(r.agreeing()).isEqualTo(4);
        assertThat(r.findings()).extracting(f -> f.kind() + " " + f.provider() + "/" + f.model()).containsExactly(
                "RATES_DIFFER google/gemini-3.5-flash",
                "RATES_DIFFER openai/gpt-5.4-mini",
                "RATES_DIFFER openai/gpt-5.5",
                "MISSING_IN_CATALOG openai/gpt-6.2-sol",
                "MISSING_IN_LITELLM anthropic/claude-haiku-4-5");
        assertThat(r.hasDifferences()).isTrue();
        assertThat(r.count(Kind.RATES_DIFFER)).isEqualTo(3);
    }

    @Test
    void aRateOnOneSideOnlyIsADifference() throws IOException {
        // gemini-3.5-flash: the catalog has no cache-read rate; LiteLLM's 1.5e-07 per token = 0.15 per million.
        final Finding f = byModel(check(DEC_5)).get("gemini-3.5-flash");
        assertThat(f.litellmKey()).isEqualTo("gemini/gemini-3.5-flash");
        assertThat(f.entryId()).isEqualTo("google/gemini-3.5-flash@2026-05-19");
        assertThat(f.rates()).containsExactly(new RateDifference("cache read", null, new BigDecimal("0.15")));
        assertThat(f.line()).isEqualTo("DIFFERS            google/gemini-3.5-flash (LiteLLM 'gemini/gemini-3.5-flash', entry "
                + "google/gemini-3.5-flash@2026-05-19): cache read: catalog -, LiteLLM 0.15");
    }

    @Test
    void serviceTierPricesLiteLlmListsAreComparedAgainstTheCatalogMultiplier() throws IOException {
        // gpt-5.4-mini: flex 3.75e-07 / 2.25e-06 = 0.375 / 2.25 = 0.75 x 0.5 and 4.50 x 0.5: agrees.
        // Priority 1.5e-06 / 9e-06 / 1.5e-07 = 1.5 / 9 / 0.15 per million; the catalog has no priority multiplier.
        final Finding f = byModel(check(DEC_5)).get("gpt-5.4-mini");
        assertThat(f.rates()).extracting(RateDifference::describe).containsExactly(
                "priority input: catalog -, LiteLLM 1.5",
                "priority output: catalog -, LiteLLM 9",
                "priority cache read: catalog -, LiteLLM 0.15");
        // The catalog's batch multiplier (0.5) is not listed by LiteLLM for this model: not a difference.
        assertThat(f.rates()).noneMatch(d -> d.rate().startsWith("batch"));
    }

    @Test
    void aLongContextRateLiteLlmLeavesOutIsItsBaseRate() throws IOException {
        // gpt-5.5 above 272K: LiteLLM lists input 1e-05 (= 10) and cache read 1e-06 (= 1), both as the catalog;
        // it has no output_cost_per_token_above_272k_tokens, so LiteLLM bills output at the base 3e-05 = 30
        // where the catalog's tier says 45 (1.5 x 30).
        final Finding f = byModel(check(DEC_5)).get("gpt-5.5");
        assertThat(f.rates()).containsExactly(new RateDifference("long-context output", new BigDecimal("45"), new BigDecimal("30")));
    }

    @Test
    void theCatalogInForceAtTheDateIsCompared() throws IOException {
        // Before 2026-10-07 the catalog's Sonnet 5.5 cache read is 0.20; LiteLLM's map says 1e-07 = 0.10.
        final Report oct1 = check(Instant.parse("2026-10-01T00:00:00Z"));
        final Finding f = byModel(oct1).get("claude-sonnet-5-5");
        assertThat(f.entryId()).isEqualTo("anthropic/claude-sonnet-5-5@2026-09-28");
        assertThat(f.rates()).containsExactly(new RateDifference("cache read", new BigDecimal("0.2"), new BigDecimal("0.1")));
        // From 2026-10-07 on the second entry applies and agrees.
        assertThat(byModel(check(Instant.parse("2026-10-07T00:00:00Z")))).doesNotContainKey("claude-sonnet-5-5");
    }

    @Test
    void missingModelsNameTheSideThatHasThem() throws IOException {
        final Map<String, Finding> f = byModel(check(DEC_5));
        assertThat(f.get("gpt-6.2-sol").line()).isEqualTo(
                "MISSING IN CATALOG openai/gpt-6.2-sol (LiteLLM 'gpt-6.2-sol'): input 2, output 10, cache read 0.1");
        assertThat(f.get("claude-haiku-4-5").line()).isEqualTo(
                "MISSING IN LITELLM anthropic/claude-haiku-4-5 (entry anthropic/claude-haiku-4-5@2025-10-15): input 1, output 5");
        // Not reported: o3's 2025 entry (not in force on 2026-12-05), the older Sonnet 5.5 entry, and mistral
        // (a provider the check does not cover).
        assertThat(f).doesNotContainKeys("mistral-large");
        assertThat(check(DEC_5).findings()).noneMatch(x -> "openai/o3@2025-04-16".equals(x.entryId())
                || "anthropic/claude-sonnet-5-5@2026-09-28".equals(x.entryId()));
    }

    @Test
    void aWriteRateEqualToInputIsBilledAsInputWhichLiteLlmSaysByListingNoWritePrice() throws IOException {
        // the shipped gpt-5.4 bills 30m / 12h writes at its $2.50 input rate (OpenAI before GPT-5.6); LiteLLM lists no write
        final PriceCatalog shipped = PriceCatalog.loadDefault();
        final String json = "{\"gpt-5.4\": {\"input_cost_per_token\": 2.5e-06, \"output_cost_per_token\": 1.5e-05,"
                + " \"cache_read_input_token_cost\": 2.5e-07, \"litellm_provider\": \"openai\", \"mode\": \"chat\"}}";
        final Report r = LiteLlmPriceCheck.compare(shipped, stream(json), "inline", DEC_5);
        assertThat(r.findings()).noneSatisfy(f -> assertThat(f.toString()).contains("cache write"));
    }

    @Test
    void agreeingMapHasNoDifferences() throws IOException {
        final PriceCatalog one = PriceCatalog.of(catalog.entries().stream()
                .filter(e -> e.getModel().equals("o3")).toList());
        final String json = "{\"o3-2025-04-16\": {\"input_cost_per_token\": 2e-06, \"output_cost_per_token\": 8e-06,"
                + " \"cache_read_input_token_cost\": 5e-07, \"litellm_provider\": \"openai\", \"mode\": \"chat\"}}";
        final Report r = LiteLlmPriceCheck.compare(one, stream(json), "inline", DEC_5);
        assertThat(r.compared()).isEqualTo(1);
        assertThat(r.agreeing()).isEqualTo(1);
        assertThat(r.hasDifferences()).isFalse();
    }

    @Test
    void longContextTierOnOneSideIsOneThresholdLine() throws IOException {
        final PriceCatalog one = PriceCatalog.of(catalog.entries().stream()
                .filter(e -> e.getModel().equals("gpt-5.5")).toList());
        final String json = "{\"gpt-5.5\": {\"input_cost_per_token\": 5e-06, \"output_cost_per_token\": 3e-05,"
                + " \"cache_read_input_token_cost\": 5e-07, \"litellm_provider\": \"openai\", \"mode\": \"chat\"}}";
        final Report r = LiteLlmPriceCheck.compare(one, stream(json), "inline", DEC_5);
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.rates()).containsExactly(
                new RateDifference("long-context threshold (tokens)", new BigDecimal("272000"), null)));
    }

    @Test
    void openAiCacheWritePriceIsTheThirtyMinuteRateAndTwelveHoursIsNotCompared() throws IOException {
        // GPT-6.2 Sol (developers.openai.com/api/docs/models/gpt-6.2-sol): 30-minute write 2.50, 12-hour write 5; above 272K
        // "input and cache rates double": 30m write 5, 12h write 10.
        final PriceCatalog sol = PriceCatalog.of(PriceCatalogJson.read(stream("""
                {"format": "tokenledger-prices", "version": 1, "entries": [
                  {"provider": "openai", "model": "gpt-6.2-sol", "effective_from": "2026-11-17",
                   "input_per_mtok": "2", "output_per_mtok": "10", "cache_read_per_mtok": "0.10",
                   "cache_write_per_mtok": {"30m": "2.50", "12h": "5"},
                   "long_context": {"threshold_tokens": 272000, "input_per_mtok": "4", "output_per_mtok": "15", "cache_read_per_mtok": "0.20",
                                    "cache_write_per_mtok": {"30m": "5", "12h": "10"}},
                   "source_url": "https://developers.openai.com/api/docs/models/gpt-6.2-sol", "source_read_on": "2026-12-05"}
                ]}"""), "inline"));
        // LiteLLM: 2.5e-06 = 2.5 and 5e-06 = 5 per million: the 30m rates; it has no field for 12h, so that is no difference.
        final String agreeing = """
                {"gpt-6.2-sol": {"input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1e-07,
                  "cache_creation_input_token_cost": 2.5e-06,
                  "input_cost_per_token_above_272k_tokens": 4e-06, "output_cost_per_token_above_272k_tokens": 1.5e-05,
                  "cache_read_input_token_cost_above_272k_tokens": 2e-07,
                  "cache_creation_input_token_cost_above_272k_tokens": 5e-06,
                  "litellm_provider": "openai", "mode": "responses"}}""";
        assertThat(LiteLlmPriceCheck.compare(sol, stream(agreeing), "inline", DEC_5).hasDifferences()).isFalse();
        // A map without the write prices: LiteLLM would bill writes as nothing; a difference on the 30m rates only.
        final String noWrites = agreeing.replace("\"cache_creation_input_token_cost\": 2.5e-06,", "")
                .replace("\"cache_creation_input_token_cost_above_272k_tokens\": 5e-06,", "");
        assertThat(LiteLlmPriceCheck.compare(sol, stream(noWrites), "inline", DEC_5).findings()).singleElement()
                .satisfies(f -> assertThat(f.rates()).extracting(RateDifference::describe).containsExactly(
                        "cache write 30m: catalog 2.5, LiteLLM -", "long-context cache write 30m: catalog 5, LiteLLM -"));
    }

    @Test
    void aFastMultiplierIsComparedWithLiteLlmsPriorityPrices() throws IOException {
        // OpenAI calls Priority processing "fast" on newer models; LiteLLM keeps *_priority: 2 x 2 = 4 input, 2 x 10 = 20 output.
        final PriceCatalog sol = PriceCatalog.of(PriceCatalogJson.read(stream("""
                {"format": "tokenledger-prices", "version": 1, "entries": [
                  {"provider": "openai", "model": "gpt-6-sol", "effective_from": "2026-09-22", "input_per_mtok": "2", "output_per_mtok": "10",
                   "service_tier_multipliers": {"fast": "2"},
                   "source_url": "https://developers.openai.com/api/docs/pricing", "source_read_on": "2026-12-05"}
                ]}"""), "inline"));
        final String json = "{\"gpt-6-sol\": {\"input_cost_per_token\": 2e-06, \"output_cost_per_token\": 1e-05,"
                + " \"input_cost_per_token_priority\": 4e-06, \"output_cost_per_token_priority\": 2.5e-05, \"litellm_provider\": \"openai\"}}";
        assertThat(LiteLlmPriceCheck.compare(sol, stream(json), "inline", DEC_5).findings()).singleElement()
                .satisfies(f -> assertThat(f.rates()).extracting(RateDifference::describe)
                        .containsExactly("priority output: catalog 20, LiteLLM 25"));
    }

    @Test
    void ratesCompareExactlyNotThroughDoubles() throws IOException {
        // 2.000000000001e-06 per token is exactly 2.000000000001 per million: a double would round it; here it differs from 2.
        final PriceCatalog one = PriceCatalog.of(catalog.entries().stream()
                .filter(e -> e.getModel().equals("o3") && e.getEffectiveTo() == null).toList());
        final String json = "{\"o3\": {\"input_cost_per_token\": 2.000000000001e-06, \"output_cost_per_token\": 8e-06,"
                + " \"cache_read_input_token_cost\": 5e-07, \"litellm_provider\": \"openai\"}}";
        final Report r = LiteLlmPriceCheck.compare(one, stream(json), "inline", DEC_5);
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.rates()).containsExactly(
                new RateDifference("input", new BigDecimal("2"), new BigDecimal("2.000000000001"))));
    }

    @Test
    void notAPriceMapOrABadPriceIsAClearError() {
        assertThatThrownBy(() -> LiteLlmPriceCheck.compare(catalog, stream("[1]"), "prices.json", DEC_5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prices.json").hasMessageContaining("JSON object");
        assertThatThrownBy(() -> LiteLlmPriceCheck.compare(catalog, stream("{oops"), "prices.json", DEC_5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> LiteLlmPriceCheck.compare(catalog, stream("{\"gpt-5.5\": {\"input_cost_per_token\": \"cheap\","
                + " \"output_cost_per_token\": 3e-05, \"litellm_provider\": \"openai\"}}"), "prices.json", DEC_5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gpt-5.5'").hasMessageContaining("cheap");
    }

    private static Report check(Instant at) throws IOException {
        try (InputStream in = resource("litellm-check-fixture.json")) {
            return LiteLlmPriceCheck.compare(catalog, in, "litellm-check-fixture.json", at);
        }
    }

    private static Map<String, Finding> byModel(Report r) {
        return r.findings().stream().collect(Collectors.toMap(Finding::model, Function.identity()));
    }

    private static InputStream resource(String name) {
        return LiteLlmPriceCheckTest.class.getResourceAsStream("/dev/tokenledger/pricing/" + name);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
