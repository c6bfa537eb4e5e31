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

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows one streamed response event by event: keeps the provider's usage as it is reported, counts
 * output deltas (for a stream cut before the provider reported usage) and tool calls (for the stream
 * guard). Not thread-safe: fed by the thread reading the stream.
 */
public interface StreamUsageAccumulator {
    /**
     * @param eventName the SSE {@code event:} name, or null when the stream has none (OpenAI chat, Gemini)
     * @param data      the parsed {@code data:} payload
     */
    void accept(String eventName, JsonNode data);

    /** True once the provider has sent the usage that covers the whole response. */
    boolean usageFinal();

    /**
     * Authoritative usage when {@link #usageFinal()}; otherwise the best the stream supports: provider
     * numbers seen so far (Anthropic's input counts arrive first) with the output replaced by the count of
     * received deltas, marked COUNTED.
     */
    ProviderUsage usage();

    /** Output deltas (chunks carrying generated content or tool arguments) received so far. */
    long outputDeltas();

    /** Tool calls the model has started so far in this response. */
    int toolCalls();

    /** The provider name. */
    String provider();

    /** Model as answered, once known. */
    String model();
}
