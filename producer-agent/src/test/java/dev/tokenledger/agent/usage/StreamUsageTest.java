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

import dev.tokenledger.avro.UsageSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streamed responses: where the usage block arrives, tool calls, and counting when it never arrives. */
class StreamUsageTest {

    @Test
    void anthropicCombinesMessageStartInputWithMessageDeltaOutput() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.ANTHROPIC_MESSAGES, "anthropic/stream-tool-use.sse");
        assertThat(acc.usageFinal()).isTrue();
        ProviderUsage u = acc.usage();
        assertThat(u.inputTokens()).isEqualTo(472);
        assertThat(u.cacheReadTokens()).isEqualTo(2000);
        assertThat(u.outputTokens()).isEqualTo(89);
        assertThat(u.source()).isEqualTo(UsageSource.PROVIDER);
        assertThat(acc.toolCalls()).isEqualTo(1);
        assertThat(acc.outputDeltas()).isEqualTo(5);
        assertThat(acc.model()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void anthropicCutStreamCountsReceivedDeltasButKeepsReportedInput() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.ANTHROPIC_MESSAGES, "anthropic/stream-cut.sse");
        assertThat(acc.usageFinal()).isFalse();
        ProviderUsage u = acc.usage();
        assertThat(u.source()).isEqualTo(UsageSource.COUNTED);
        assertThat(u.inputTokens()).isEqualTo(472);
        assertThat(u.outputTokens()).isEqualTo(4);
    }

    @Test
    void openAiIncludeUsageFinalChunkWithEmptyChoices() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_CHAT_COMPLETIONS, "openai-chat/stream-include-usage.sse");
        assertThat(acc.usageFinal()).isTrue();
        ProviderUsage u = acc.usage();
        assertThat(u.inputTokens()).isEqualTo(120);
        assertThat(u.cacheReadTokens()).isEqualTo(1280);
        assertThat(u.outputTokens()).isEqualTo(2);
        assertThat(u.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(acc.outputDeltas()).isEqualTo(2);
    }

    @Test
    void openAiFinalChunkWhoseChoicesAreNotEmptyStillYieldsUsageAndContent() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_CHAT_COMPLETIONS, "openai-chat/stream-final-chunk-with-choices.sse");
        assertThat(acc.usageFinal()).isTrue();
        assertThat(acc.usage().inputTokens()).isEqualTo(57);
        assertThat(acc.usage().outputTokens()).isEqualTo(2);
        // the "!" in the usage chunk was counted as content too
        assertThat(acc.outputDeltas()).isEqualTo(2);
    }

    @Test
    void openAiToolCallsCountedOncePerCallNotPerFragment() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_CHAT_COMPLETIONS, "openai-chat/stream-tool-calls.sse");
        assertThat(acc.toolCalls()).isEqualTo(2);
        assertThat(acc.usage().outputTokens()).isEqualTo(40);
    }

    @Test
    void openAiStreamWithoutUsageIsCountedAndMarked() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_CHAT_COMPLETIONS, "openai-chat/stream-cut.sse");
        assertThat(acc.usageFinal()).isFalse();
        assertThat(acc.usage().source()).isEqualTo(UsageSource.COUNTED);
        assertThat(acc.usage().outputTokens()).isEqualTo(3);
        assertThat(acc.usage().inputTokens()).isZero();
    }

    @Test
    void openAiResponsesUsageFromResponseCompleted() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.OPENAI_RESPONSES, "openai-responses/stream-function-call.sse");
        assertThat(acc.usageFinal()).isTrue();
        assertThat(acc.usage().inputTokens()).isEqualTo(64);
        assertThat(acc.usage().cacheReadTokens()).isEqualTo(256);
        assertThat(acc.usage().outputTokens()).isEqualTo(45);
        assertThat(acc.toolCalls()).isEqualTo(1);
        assertThat(acc.outputDeltas()).isEqualTo(4);
    }

    @Test
    void geminiLastUsageMetadataWinsAndThoughtsAreOutput() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.GEMINI_GENERATE_CONTENT, "gemini/stream.sse");
        assertThat(acc.usageFinal()).isTrue();
        ProviderUsage u = acc.usage();
        assertThat(u.inputTokens()).isEqualTo(30);
        assertThat(u.outputTokens()).isEqualTo(70);
        assertThat(u.reasoningTokens()).isEqualTo(20);
        assertThat(u.model()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void bedrockStreamUsageFromMetadataEvent() {
        StreamUsageAccumulator acc = Fixtures.replay(ProviderApi.BEDROCK_CONVERSE, "bedrock/converse-stream.jsonl");
        assertThat(acc.usageFinal()).isTrue();
        assertThat(acc.usage().inputTokens()).isEqualTo(410);
        assertThat(acc.usage().outputTokens()).isEqualTo(33);
        assertThat(acc.toolCalls()).isEqualTo(1);
        assertThat(acc.outputDeltas()).isEqualTo(3);
    }

    @Test
    void sseParserJoinsMultiLineDataAndIgnoresComments() {
        List<SseParser.SseEvent> events = SseParser.parseAll(": keep-alive\nevent: a\ndata: {\"x\":\ndata: 1}\n\ndata: [DONE]");
        assertThat(events).containsExactly(new SseParser.SseEvent("a", "{\"x\":\n1}"), new SseParser.SseEvent(null, "[DONE]"));
    }
}
