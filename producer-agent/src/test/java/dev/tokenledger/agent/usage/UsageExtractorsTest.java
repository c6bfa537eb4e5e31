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

/** Whole-response extractors on fixtures written from the providers' documented response shapes. */
class UsageExtractorsTest {

    @Test
    void anthropicSplitsCacheWritesByTtlAndKeepsInputUncached() {
        ProviderUsage u = AnthropicUsage.fromResponse(Fixtures.read("anthropic/message-cache-ttl.json"));
        assertThat(u.provider()).isEqualTo("anthropic");
        assertThat(u.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(u.inputTokens()).isEqualTo(25);
        assertThat(u.cacheWrite5mTokens()).isEqualTo(1200);
        assertThat(u.cacheWrite1hTokens()).isEqualTo(500);
        assertThat(u.cacheReadTokens()).isEqualTo(12000);
        assertThat(u.outputTokens()).isEqualTo(310);
        assertThat(u.reasoningTokens()).isZero();
        assertThat(u.serviceTier()).isEqualTo("standard");
        assertThat(u.source()).isEqualTo(UsageSource.PROVIDER);
        assertThat(u.totalTokens()).isEqualTo(25 + 1200 + 500 + 12000 + 310);
    }

    @Test
    void anthropicCacheCreationWithoutBreakdownIsFiveMinute() {
        ProviderUsage u = AnthropicUsage.fromResponse(Fixtures.read("anthropic/message-cache-legacy.json"));
        assertThat(u.cacheWrite5mTokens()).isEqualTo(2048);
        assertThat(u.cacheWrite1hTokens()).isZero();
        assertThat(u.inputTokens()).isEqualTo(14);
        assertThat(u.outputTokens()).isEqualTo(3);
    }

    @Test
    void openAiChatRemovesCachedFromPromptAndKeepsReasoningInsideOutput() {
        ProviderUsage u = OpenAiChatUsage.fromResponse(Fixtures.read("openai-chat/completion-reasoning-cache.json"));
        assertThat(u.inputTokens()).isEqualTo(2006 - 1920);
        assertThat(u.cacheReadTokens()).isEqualTo(1920);
        assertThat(u.outputTokens()).isEqualTo(300);
        assertThat(u.reasoningTokens()).isEqualTo(192);
        assertThat(u.model()).isEqualTo("o3-mini-2025-01-31");
        assertThat(u.serviceTier()).isEqualTo("default");
        // disjoint classes add up to the provider's total
        assertThat(u.totalTokens()).isEqualTo(2306);
    }

    @Test
    void openAiChatMovesAudioTokensToTheirOwnClasses() {
        ProviderUsage u = OpenAiChatUsage.fromResponse(Fixtures.read("openai-chat/completion-audio.json"));
        assertThat(u.inputTokens()).isEqualTo(20);
        assertThat(u.outputTokens()).isEqualTo(60);
        assertThat(u.otherTokens()).isEqualTo(Map.of("audio_input", 100L, "audio_output", 200L));
        assertThat(u.totalTokens()).isEqualTo(380);
    }

    @Test
    void openAiResponsesCachedIsSubsetOfInputAndReasoningOfOutput() {
        ProviderUsage u = OpenAiResponsesUsage.fromResponse(Fixtures.read("openai-responses/response-reasoning-cache.json"));
        assertThat(u.inputTokens()).isEqualTo(904);
        assertThat(u.cacheReadTokens()).isEqualTo(4096);
        assertThat(u.outputTokens()).isEqualTo(700);
        assertThat(u.reasoningTokens()).isEqualTo(512);
        assertThat(u.serviceTier()).isEqualTo("flex");
        assertThat(u.totalTokens()).isEqualTo(5700);
    }

    @Test
    void geminiAddsThoughtsToOutputAndRemovesCachedFromPrompt() {
        ProviderUsage u = GeminiUsage.fromResponse(Fixtures.read("gemini/response-thoughts-cache.json"));
        assertThat(u.provider()).isEqualTo("google");
        assertThat(u.model()).isEqualTo("gemini-2.5-pro");
        assertThat(u.inputTokens()).isEqualTo(10500 - 8000);
        assertThat(u.cacheReadTokens()).isEqualTo(8000);
        assertThat(u.outputTokens()).isEqualTo(420 + 1337);
        assertThat(u.reasoningTokens()).isEqualTo(1337);
        assertThat(u.totalTokens()).isEqualTo(12257);
    }

    @Test
    void bedrockReportsCacheApartFromInput() {
        ProviderUsage u = BedrockConverseUsage.fromResponse(Fixtures.read("bedrock/converse-cache.json"));
        assertThat(u.inputTokens()).isEqualTo(300);
        assertThat(u.outputTokens()).isEqualTo(150);
        assertThat(u.cacheReadTokens()).isEqualTo(2000);
        assertThat(u.cacheWrite5mTokens()).isEqualTo(1000);
        assertThat(u.totalTokens()).isEqualTo(3450);
        assertThat(u.model()).isNull();
    }

    @Test
    void bedrockSplitsCacheWritesByTtlFromCacheDetails() {
        ProviderUsage u = BedrockConverseUsage.fromResponse(Fixtures.read("bedrock/converse-cache-1h.json"));
        assertThat(u.cacheWrite1hTokens()).isEqualTo(600);
        assertThat(u.cacheWrite5mTokens()).isEqualTo(400);
    }

    @Test
    void notJsonIsAClearError() {
        assertThatThrownBy(() -> AnthropicUsage.fromResponse("<html>502 Bad Gateway</html>"))
                .isInstanceOf(UsageExtractionException.class)
                .hasMessageContaining("Anthropic Messages")
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("502 Bad Gateway");
    }

    @Test
    void missingUsageBlockIsAClearError() {
        assertThatThrownBy(() -> OpenAiChatUsage.fromResponse("{\"id\":\"x\",\"choices\":[]}"))
                .isInstanceOf(UsageExtractionException.class)
                .hasMessageContaining("no 'usage' block");
    }

    @Test
    void providerErrorBodyIsNamed() {
        assertThatThrownBy(() -> AnthropicUsage.fromResponse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
                .isInstanceOf(UsageExtractionException.class)
                .hasMessageContaining("overloaded_error");
    }

    @Test
    void nonNumericAndNegativeCountsNameTheField() {
        assertThatThrownBy(() -> AnthropicUsage.fromResponse("{\"usage\":{\"input_tokens\":\"many\",\"output_tokens\":1}}"))
                .hasMessageContaining("'input_tokens'")
                .hasMessageContaining("many");
        assertThatThrownBy(() -> GeminiUsage.fromResponse("{\"usageMetadata\":{\"promptTokenCount\":-5}}"))
                .hasMessageContaining("'promptTokenCount'")
                .hasMessageContaining("-5");
    }

    @Test
    void cachedLargerThanPromptIsRejectedAsInconsistent() {
        String body = "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":50}}}";
        assertThatThrownBy(() -> OpenAiChatUsage.fromResponse(body))
                .isInstanceOf(UsageExtractionException.class)
                .hasMessageContaining("cached_tokens")
                .hasMessageContaining("prompt_tokens");
    }

    @Test
    void everyApiHasAnExtractor() {
        for (ProviderApi api : ProviderApi.values()) {
            assertThat(api.extractor()).isNotNull();
            assertThat(api.newStreamAccumulator().provider()).isEqualTo(api.provider());
        }
    }
}
