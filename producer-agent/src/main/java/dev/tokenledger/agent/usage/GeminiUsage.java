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
import dev.tokenledger.avro.UsageSource;
import java.util.Map;

/**
 * Gemini {@code generateContent} usage ({@code usageMetadata}). Facts: {@code promptTokenCount} includes
 * {@code cachedContentTokenCount}; {@code thoughtsTokenCount} is NOT inside {@code candidatesTokenCount}
 * but is billed as output; {@code toolUsePromptTokenCount} is input on top of the prompt. So uncached
 * input = prompt − cached + tool-use prompt; output = candidates + thoughts; reasoning = thoughts.
 * Streams ({@code streamGenerateContent}): every chunk may carry {@code usageMetadata}; the last one wins,
 * and it is final once a candidate reports a {@code finishReason}.
 * Service tier: no response field naming a Gemini service tier was found on a Google page (price audit
 * 2026-12-05, open question 11), so none is read; Gemini has no per-request cache-write field (explicit caches are
 * billed as storage per hour, which TokenLedger does not meter).
 */
public final class GeminiUsage {
    static final String API = "Gemini generateContent";
    private static final String PROVIDER = "google";

    private GeminiUsage() {
    }

    public static ProviderUsage fromResponse(String json) {
        JsonNode root = Json.parse(API, json);
        if (root.has("error")) {
            throw new UsageExtractionException(API + ": error response, no usage: " + Json.snippet(root.get("error").toString()));
        }
        return fromUsageMetadata(Json.object(API, root, "usageMetadata", true), Json.text(root, "modelVersion"), UsageSource.PROVIDER);
    }

    static ProviderUsage fromUsageMetadata(JsonNode um, String model, UsageSource source) {
        long prompt = Json.count(API, um, "promptTokenCount");
        long cached = Json.count(API, um, "cachedContentTokenCount");
        long toolPrompt = Json.count(API, um, "toolUsePromptTokenCount");
        long candidates = Json.count(API, um, "candidatesTokenCount");
        long thoughts = Json.count(API, um, "thoughtsTokenCount");
        long input = Json.minus(API, "promptTokenCount", prompt, "cachedContentTokenCount", cached) + toolPrompt;
        return new ProviderUsage(PROVIDER, model, input, candidates + thoughts, thoughts, 0, 0, cached, Map.of(), null, source);
    }

    /** Follows a streamGenerateContent response (SSE with {@code alt=sse}, one response object per event). */
    static final class Stream implements StreamUsageAccumulator {
        private JsonNode lastUsage;
        private String model;
        private boolean finished;
        private long deltas;
        private int toolCalls;

        @Override
        public void accept(String eventName, JsonNode chunk) {
            if (Json.text(chunk, "modelVersion") != null) {
                model = Json.text(chunk, "modelVersion");
            }
            JsonNode candidates = chunk.get("candidates");
            if (candidates != null && candidates.isArray()) {
                for (JsonNode c : candidates) {
                    JsonNode parts = c.path("content").path("parts");
                    if (parts.isArray()) {
                        for (JsonNode p : parts) {
                            if (p.has("functionCall")) {
                                toolCalls++;
                            }
                        }
                        if (!parts.isEmpty()) {
                            deltas++;
                        }
                    }
                    if (Json.text(c, "finishReason") != null) {
                        finished = true;
                    }
                }
            }
            JsonNode um = chunk.get("usageMetadata");
            if (um != null && um.isObject()) {
                lastUsage = um;
            }
        }

        @Override
        public boolean usageFinal() {
            return finished && lastUsage != null;
        }

        @Override
        public ProviderUsage usage() {
            if (usageFinal()) {
                return fromUsageMetadata(lastUsage, model, UsageSource.PROVIDER);
            }
            if (lastUsage != null) {
                ProviderUsage partial = fromUsageMetadata(lastUsage, model, UsageSource.COUNTED);
                long out = Math.max(partial.outputTokens(), deltas);
                return new ProviderUsage(PROVIDER, model, partial.inputTokens(), out, Math.min(partial.reasoningTokens(), out),
                        0, 0, partial.cacheReadTokens(), Map.of(), null, UsageSource.COUNTED);
            }
            return ProviderUsage.counted(PROVIDER, model, deltas);
        }

        @Override
        public long outputDeltas() {
            return deltas;
        }

        @Override
        public int toolCalls() {
            return toolCalls;
        }

        @Override
        public String provider() {
            return PROVIDER;
        }

        @Override
        public String model() {
            return model;
        }
    }
}
