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
package dev.tokenledger.cli.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.agent.usage.GeminiUsage;
import dev.tokenledger.agent.usage.ProviderUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderResponsesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PlannedCall call(Provider provider, String model, TokenUsage usage, boolean streaming, int tools) {
        return new PlannedCall("s", provider, model, 4_096, usage, streaming, tools, 0, false);
    }

    @Test
    void anthropicUsageExcludesCacheTokensAndSplitsWritesByTtl() throws Exception {
        final TokenUsage usage = new TokenUsage(1_234, 321, 0, 1_800, 0, 0);
        final JsonNode body = JSON.readTree(ProviderResponses.anthropicMessage("msg_1",
                call(Provider.ANTHROPIC, "claude-sonnet-5-5", usage, false, 0)));
        final JsonNode u = body.get("usage");
        assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-5-5");
        assertThat(u.get("input_tokens").asLong()).isEqualTo(1_234);
        assertThat(u.get("output_tokens").asLong()).isEqualTo(321);
        assertThat(u.get("cache_creation_input_tokens").asLong()).isEqualTo(1_800);
        assertThat(u.get("cache_creation").get("ephemeral_5m_input_tokens").asLong()).isEqualTo(1_800);
        assertThat(u.get("cache_creation").get("ephemeral_1h_input_tokens").asLong()).isZero();
        assertThat(u.get("cache_read_input_tokens").asLong()).isZero();
    }

    @Test
    void anthropicStreamReportsInputAtStartAndOutputInTheFinalDeltaWithOneTokenPerDelta() throws Exception {
        final TokenUsage usage = new TokenUsage(900, 40, 0, 0, 0, 2_500);
        final List<SseEvent> events = ProviderResponses.anthropicStream("msg_2",
                call(Provider.ANTHROPIC, "claude-sonnet-5-5", usage, true, 3));
        assertThat(events.get(0).event()).isEqualTo("message_start");
        final JsonNode start = JSON.readTree(events.get(0).data()).get("message").get("usage");
        assertThat(start.get("input_tokens").asLong()).isEqualTo(900);
        assertThat(start.get("cache_read_input_tokens").asLong()).isEqualTo(2_500);
        final long deltas = events.stream().filter(e -> "content_block_delta".equals(e.event())).count();
        assertThat(deltas).isEqualTo(40);
        final long toolBlocks = events.stream().filter(e -> e.data().contains("\"tool_use\"")).count();
        assertThat(toolBlocks).isEqualTo(3);
        final SseEvent messageDelta = events.get(events.size() - 2);
        assertThat(messageDelta.event()).isEqualTo("message_delta");
        assertThat(JSON.readTree(messageDelta.data()).get("usage").get("output_tokens").asLong()).isEqualTo(40);
        assertThat(events.get(events.size() - 1).event()).isEqualTo("message_stop");
        assertThat(events.get(0).toWire()).startsWith("event: message_start\ndata: {").endsWith("}\n\n");
    }

    @Test
    void openAiPromptTokensIncludeCachedTokens() throws Exception {
        final TokenUsage usage = new TokenUsage(500, 42, 0, 0, 0, 1_280);
        final JsonNode u = JSON.readTree(ProviderResponses.openAiCompletion("chatcmpl-1",
                call(Provider.OPENAI, "gpt-5.4-mini", usage, false, 0))).get("usage");
        assertThat(u.get("prompt_tokens").asLong()).isEqualTo(1_780);
        assertThat(u.get("prompt_tokens_details").get("cached_tokens").asLong()).isEqualTo(1_280);
        assertThat(u.get("completion_tokens").asLong()).isEqualTo(42);
        assertThat(u.get("total_tokens").asLong()).isEqualTo(1_822);
    }

    @Test
    void openAiStreamEndsWithAUsageChunkWithEmptyChoicesThenDone() throws Exception {
        final TokenUsage usage = new TokenUsage(700, 12, 0, 0, 0, 0);
        final List<SseEvent> events = ProviderResponses.openAiStream("chatcmpl-2",
                call(Provider.OPENAI, "gpt-6.2-sol", usage, true, 0));
        assertThat(events).allMatch(e -> e.event() == null);
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        final JsonNode usageChunk = JSON.readTree(events.get(events.size() - 2).data());
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("prompt_tokens").asLong()).isEqualTo(700);
        final long contentChunks = events.stream().filter(e -> e.data().contains("\"content\":\"tok \"")).count();
        assertThat(contentChunks).isEqualTo(12);
    }

    @Test
    void anOutputDeltaIsAContentDeltaOfEitherStreamNeverItsFramingUsageOrEndMarker() {
        final TokenUsage usage = new TokenUsage(700, 12, 0, 0, 0, 0);
        final List<SseEvent> openAi = ProviderResponses.openAiStream("chatcmpl-3", call(Provider.OPENAI, "gpt-6.2-sol", usage, true, 0));
        assertThat(openAi.stream().filter(ProviderResponses::isOutputDelta).count()).isEqualTo(12);
        assertThat(ProviderResponses.isOutputDelta(openAi.get(0))).as("role chunk").isFalse();
        assertThat(ProviderResponses.isOutputDelta(openAi.get(openAi.size() - 2))).as("usage chunk").isFalse();
        assertThat(ProviderResponses.isOutputDelta(openAi.get(openAi.size() - 1))).as("[DONE]").isFalse();
        final List<SseEvent> anthropic = ProviderResponses.anthropicStream("msg_3",
                call(Provider.ANTHROPIC, "claude-sonnet-5-5", usage, true, 2));
        assertThat(anthropic.stream().filter(ProviderResponses::isOutputDelta).count()).isEqualTo(12);
    }

    @Test
    void openAiRefusesACacheWriteItWouldNeverReport() {
        final PlannedCall bad = call(Provider.OPENAI, "gpt-6.2-sol", new TokenUsage(1, 1, 0, 5, 0, 0), false, 0);
        assertThatThrownBy(() -> ProviderResponses.openAiCompletion("x", bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache write");
    }

    @Test
    void geminiPromptTokensIncludeCachedTokensAndTheAgentReadsThemBack() throws Exception {
        final TokenUsage usage = new TokenUsage(1_200, 120, 0, 0, 0, 2_048);
        final String body = ProviderResponses.geminiResponse("resp-1", call(Provider.GOOGLE, "gemini-3.5-flash-lite", usage, false, 0));
        final JsonNode meta = JSON.readTree(body).get("usageMetadata");
        assertThat(meta.get("promptTokenCount").asLong()).isEqualTo(3_248);
        assertThat(meta.get("cachedContentTokenCount").asLong()).isEqualTo(2_048);
        assertThat(meta.get("candidatesTokenCount").asLong()).isEqualTo(120);
        final ProviderUsage read = GeminiUsage.fromResponse(body);
        assertThat(read.provider()).isEqualTo("google");
        assertThat(read.model()).isEqualTo("gemini-3.5-flash-lite");
        assertThat(read.inputTokens()).isEqualTo(1_200);
        assertThat(read.cacheReadTokens()).isEqualTo(2_048);
        assertThat(read.outputTokens()).isEqualTo(120);
    }

    @Test
    void anthropicUsageSaysWhereInferenceRan() throws Exception {
        final JsonNode u = JSON.readTree(ProviderResponses.anthropicMessage("msg_9",
                call(Provider.ANTHROPIC, "claude-haiku-5-5", new TokenUsage(10, 1, 0, 0, 0, 0), false, 0))).get("usage");
        assertThat(u.get("inference_geo").asText()).isEqualTo("global");
        assertThat(u.get("service_tier").asText()).isEqualTo("standard");
    }

    @Test
    void errorBodiesCarryNoUsage() throws Exception {
        assertThat(JSON.readTree(ProviderResponses.anthropicOverloaded()).has("usage")).isFalse();
        assertThat(JSON.readTree(ProviderResponses.anthropicOverloaded()).get("error").get("type").asText())
                .isEqualTo("overloaded_error");
        assertThat(JSON.readTree(ProviderResponses.openAiOverloaded()).has("usage")).isFalse();
    }
}
