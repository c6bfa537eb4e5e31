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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI Chat Completions usage. Facts: {@code prompt_tokens} includes
 * {@code prompt_tokens_details.cached_tokens} and {@code audio_tokens}; {@code completion_tokens} includes
 * {@code completion_tokens_details.reasoning_tokens} and {@code audio_tokens}. So uncached text input =
 * prompt − cached − audio in; output = completion − audio out (reasoning stays inside, reported apart);
 * audio goes to the {@code audio_input} / {@code audio_output} classes. Cache writes (GPT-5.6 and later) are in
 * {@code prompt_tokens_details} as in the Responses API ({@link OpenAiCacheWrites}) and come out of the prompt too.
 * Streams with {@code stream_options.include_usage}: the usage arrives in a last chunk before
 * {@code [DONE]}; documented with empty {@code choices}, but compatible servers also put it on a chunk
 * that still carries choices, so both are read from every chunk.
 */
public final class OpenAiChatUsage {
    static final String API = "OpenAI Chat Completions";
    private static final String PROVIDER = "openai";

    private OpenAiChatUsage() {
    }

    public static ProviderUsage fromResponse(String json) {
        JsonNode root = Json.parse(API, json);
        if (root.has("error")) {
            throw new UsageExtractionException(API + ": error response, no usage: " + Json.snippet(root.get("error").toString()));
        }
        return fromUsage(Json.object(API, root, "usage", true), Json.text(root, "model"), Json.text(root, "service_tier"));
    }

    public static ProviderUsage fromUsage(JsonNode usage, String model, String serviceTier) {
        long prompt = Json.count(API, usage, "prompt_tokens");
        long completion = Json.count(API, usage, "completion_tokens");
        JsonNode pd = usage.get("prompt_tokens_details");
        JsonNode cd = usage.get("completion_tokens_details");
        long cached = Json.count(API, pd, "cached_tokens");
        long audioIn = Json.count(API, pd, "audio_tokens");
        long reasoning = Json.count(API, cd, "reasoning_tokens");
        long audioOut = Json.count(API, cd, "audio_tokens");
        Map<String, Long> writes = OpenAiCacheWrites.of(API, pd);
        long input = Json.minus(API, "prompt_tokens", prompt, "cached_tokens + audio_tokens + cache_write_tokens + cache_write_12h_tokens",
                cached + audioIn + OpenAiCacheWrites.total(writes));
        long output = Json.minus(API, "completion_tokens", completion, "completion audio_tokens", audioOut);
        Map<String, Long> other = new HashMap<>();
        if (audioIn > 0) {
            other.put("audio_input", audioIn);
        }
        if (audioOut > 0) {
            other.put("audio_output", audioOut);
        }
        if (reasoning > output) {
            throw new UsageExtractionException(API + ": 'reasoning_tokens' = " + reasoning + " is larger than the text output "
                    + output + ", but it is documented as part of completion_tokens");
        }
        return new ProviderUsage(PROVIDER, model, input, output, reasoning, 0, 0, cached, other, serviceTier, UsageSource.PROVIDER,
                null, writes);
    }

    /** Follows a Chat Completions SSE stream (data-only events, terminated by {@code [DONE]}). */
    static final class Stream implements StreamUsageAccumulator {
        private JsonNode usage;
        private String model;
        private String serviceTier;
        private long deltas;
        private final Set<String> toolCallKeys = new HashSet<>();

        @Override
        public void accept(String eventName, JsonNode chunk) {
            if (model == null) {
                model = Json.text(chunk, "model");
            }
            if (Json.text(chunk, "service_tier") != null) {
                serviceTier = Json.text(chunk, "service_tier");
            }
            JsonNode choices = chunk.get("choices");
            if (choices != null && choices.isArray()) {
                for (JsonNode choice : choices) {
                    JsonNode delta = choice.get("delta");
                    if (delta == null) {
                        continue;
                    }
                    boolean content = nonEmpty(delta, "content") || nonEmpty(delta, "refusal");
                    JsonNode calls = delta.get("tool_calls");
                    if (calls != null && calls.isArray() && !calls.isEmpty()) {
                        content = true;
                        for (JsonNode call : calls) {
                            // the first fragment of each call carries its id; later ones only the index
                            if (Json.text(call, "id") != null) {
                                toolCallKeys.add(choice.path("index").asInt() + "/" + call.path("index").asInt() + "/" + Json.text(call, "id"));
                            }
                        }
                    }
                    if (content) {
                        deltas++;
                    }
                }
            }
            JsonNode u = chunk.get("usage");
            if (u != null && u.isObject()) {
                usage = u;
            }
        }

        private static boolean nonEmpty(JsonNode delta, String field) {
            String v = Json.text(delta, field);
            return v != null && !v.isEmpty();
        }

        @Override
        public boolean usageFinal() {
            return usage != null;
        }

        @Override
        public ProviderUsage usage() {
            if (usage != null) {
                return fromUsage(usage, model, serviceTier);
            }
            return ProviderUsage.counted(PROVIDER, model, deltas);
        }

        @Override
        public long outputDeltas() {
            return deltas;
        }

        @Override
        public int toolCalls() {
            return toolCallKeys.size();
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
