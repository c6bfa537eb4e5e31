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

/** The provider APIs whose usage blocks the agent reads, with the provider name stamped on events. */
public enum ProviderApi {
    ANTHROPIC_MESSAGES("anthropic"),
    OPENAI_CHAT_COMPLETIONS("openai"),
    OPENAI_RESPONSES("openai"),
    GEMINI_GENERATE_CONTENT("google"),
    BEDROCK_CONVERSE("bedrock");

    private final String provider;

    ProviderApi(String provider) {
        this.provider = provider;
    }

    /** The {@code provider} value of usage events. */
    public String provider() {
        return provider;
    }

    /** The extractor for whole (non-streamed) JSON responses of this API. */
    public UsageExtractor extractor() {
        return switch (this) {
            case ANTHROPIC_MESSAGES -> AnthropicUsage::fromResponse;
            case OPENAI_CHAT_COMPLETIONS -> OpenAiChatUsage::fromResponse;
            case OPENAI_RESPONSES -> OpenAiResponsesUsage::fromResponse;
            case GEMINI_GENERATE_CONTENT -> GeminiUsage::fromResponse;
            case BEDROCK_CONVERSE -> BedrockConverseUsage::fromResponse;
        };
    }

    /** A fresh accumulator for one streamed response of this API. */
    public StreamUsageAccumulator newStreamAccumulator() {
        return switch (this) {
            case ANTHROPIC_MESSAGES -> new AnthropicUsage.Stream();
            case OPENAI_CHAT_COMPLETIONS -> new OpenAiChatUsage.Stream();
            case OPENAI_RESPONSES -> new OpenAiResponsesUsage.Stream();
            case GEMINI_GENERATE_CONTENT -> new GeminiUsage.Stream();
            case BEDROCK_CONVERSE -> new BedrockConverseUsage.Stream();
        };
    }
}
