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
package dev.tokenledger.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.UsageSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: region ({@code usage.inference_geo}), service tier and OpenAI cache writes by retention, on response
 * bodies shaped like the providers' documentation (Anthropic data-residency page and a real Messages usage object;
 * OpenAI input details with {@code cache_write_tokens} / {@code cache_write_12h_tokens}, see /work/price-audit.md §4).
 */
class RegionTierCacheWriteExtractionTest {

    @Test
    void anthropicInferenceGeoBecomesTheRegion() {
        ProviderUsage u = AnthropicUsage.fromResponse(Fixtures.read("anthropic/message-inference-geo-us.json"));
        assertThat(u.region()).isEqualTo("us");
        assertThat(u.serviceTier()).isEqualTo("standard");
        assertThat(u.inputTokens()).isEqualTo(100_000);
        assertThat(u.cacheWrite5mTokens()).isEqualTo(20_000);
        assertThat(u.cacheReadTokens()).isEqualTo(200_000);
        assertThat(u.outputTokens()).isEqualTo(10_000);
        assertThat(u.cacheWriteTokens()).isEmpty();
        // a response without the field (older models, older fixtures) has no region
        assertThat(AnthropicUsage.fromResponse(Fixtures.read("anthropic/message-cache-ttl.json")).region()).isNull();
    }

    @Test
    void anthropicStreamKeepsTheInferenceGeoOfMessageStart() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.ANTHROPIC_MESSAGES, "anthropic/stream-inference-geo.sse");
        ProviderUsage u = acc.usage();
        assertThat(acc.usageFinal()).isTrue();
        assertThat(u.region()).isEqualTo("us");
        assertThat(u.serviceTier()).isEqualTo("standard");
        assertThat(u.inputTokens()).isEqualTo(472);
        assertThat(u.cacheReadTokens()).isEqualTo(2000);
        assertThat(u.outputTokens()).isEqualTo(15);
    }

    @Test
    void openAiResponsesCacheWritesComeOutOfInputByRetention() {
        ProviderUsage u = OpenAiResponsesUsage.fromResponse(Fixtures.read("openai-responses/response-cache-writes.json"));
        // input_tokens 360,000 includes cached 50,000 + 30m writes 200,000 + 12h writes 100,000: uncached 10,000
        assertThat(u.inputTokens()).isEqualTo(10_000);
        assertThat(u.cacheReadTokens()).isEqualTo(50_000);
        assertThat(u.cacheWriteTokens()).isEqualTo(Map.of("30m", 200_000L, "12h", 100_000L));
        assertThat(u.outputTokens()).isEqualTo(2_000);
        assertThat(u.reasoningTokens()).isEqualTo(512);
        assertThat(u.serviceTier()).isEqualTo("fast");
        assertThat(u.model()).isEqualTo("gpt-6.2-sol-2026-11-17");
        // disjoint classes add up to the provider's total_tokens
        assertThat(u.totalTokens()).isEqualTo(362_000);
    }

    @Test
    void openAiResponsesStreamReadsWritesAndTheTierOfTheCompletedResponse() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_RESPONSES, "openai-responses/stream-cache-writes.sse");
        ProviderUsage u = acc.usage();
        assertThat(u.source()).isEqualTo(UsageSource.PROVIDER);
        // 12,000 - cached 4,000 - 30m writes 6,000 = 2,000
        assertThat(u.inputTokens()).isEqualTo(2_000);
        assertThat(u.cacheWriteTokens()).isEqualTo(Map.of("30m", 6_000L));
        // the tier actually served, from response.completed (not the "auto" of response.created)
        assertThat(u.serviceTier()).isEqualTo("priority");
        assertThat(u.totalTokens()).isEqualTo(12_045);
    }

    @Test
    void openAiChatCacheWritesComeOutOfThePrompt() {
        ProviderUsage u = OpenAiChatUsage.fromResponse(Fixtures.read("openai-chat/completion-cache-writes.json"));
        // prompt 9,000 - cached 1,000 - 30m 3,000 - 12h 4,000 = 1,000
        assertThat(u.inputTokens()).isEqualTo(1_000);
        assertThat(u.cacheReadTokens()).isEqualTo(1_000);
        assertThat(u.cacheWriteTokens()).isEqualTo(Map.of("30m", 3_000L, "12h", 4_000L));
        assertThat(u.serviceTier()).isEqualTo("flex");
        assertThat(u.totalTokens()).isEqualTo(9_300);
    }

    @Test
    void openAiChatStreamFinalChunkCarriesWritesAndTier() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_CHAT_COMPLETIONS, "openai-chat/stream-cache-writes.sse");
        ProviderUsage u = acc.usage();
        // 1,400 - cached 280 - 30m 1,000 = 120
        assertThat(u.inputTokens()).isEqualTo(120);
        assertThat(u.cacheWriteTokens()).isEqualTo(Map.of("30m", 1_000L));
        assertThat(u.serviceTier()).isEqualTo("fast");
        assertThat(u.totalTokens()).isEqualTo(1_402);
    }

    @Test
    void writesLargerThanThePromptAreRefusedAsInconsistent() {
        String body = """
                {"model": "gpt-6-sol", "service_tier": "default", "usage": {"input_tokens": 100,
                 "input_tokens_details": {"cached_tokens": 50, "cache_write_tokens": 80}, "output_tokens": 1}}""";
        assertThatThrownBy(() -> OpenAiResponsesUsage.fromResponse(body)).isInstanceOf(UsageExtractionException.class)
                .hasMessageContaining("input_tokens").hasMessageContaining("cache_write_tokens");
    }

    @Test
    void olderResponsesWithoutWriteFieldsAreUnchanged() {
        ProviderUsage u = OpenAiResponsesUsage.fromResponse(Fixtures.read("openai-responses/response-reasoning-cache.json"));
        assertThat(u.cacheWriteTokens()).isEmpty();
        assertThat(u.inputTokens()).isEqualTo(904);
    }
}
