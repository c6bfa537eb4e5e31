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
 * OpenAI Responses API usage. Facts: {@code input_tokens} includes
 * {@code input_tokens_details.cached_tokens}; {@code output_tokens} includes
 * {@code output_tokens_details.reasoning_tokens}. Streams: the usage is on the {@code response} of the
 * terminal event ({@code response.completed}, or {@code response.incomplete} / {@code response.failed}).
 * Cache writes (GPT-5.6 and later bill them): see {@link OpenAiCacheWrites}; they are inside {@code input_tokens}
 * and taken out of it, like {@code cached_tokens}. {@code service_tier} is the top-level response field.
 */
public final class OpenAiResponsesUsage {
    static final String API = "OpenAI Responses";
    private static final String PROVIDER = "openai";

    private OpenAiResponsesUsage() {
    }

    public static ProviderUsage fromResponse(String json) {
        JsonNode root = Json.parse(API, json);
        if (root.hasNonNull("error") && !root.hasNonNull("usage")) {
            throw new UsageExtractionException(API + ": error response, no usage: " + Json.snippet(root.get("error").toString()));
        }
        return fromResponseObject(root);
    }

    static ProviderUsage fromResponseObject(JsonNode response) {
        return fromUsage(Json.object(API, response, "usage", true), Json.text(response, "model"), Json.text(response, "service_tier"));
    }

    public static ProviderUsage fromUsage(JsonNode usage, String model, String serviceTier) {
        long inputTotal = Json.count(API, usage, "input_tokens");
        long cached = Json.count(API, usage.get("input_tokens_details"), "cached_tokens");
        long output = Json.count(API, usage, "output_tokens");
        long reasoning = Json.count(API, usage.get("output_tokens_details"), "reasoning_tokens");
        Map<String, Long> writes = OpenAiCacheWrites.of(API, usage.get("input_tokens_details"));
        long written = OpenAiCacheWrites.total(writes);
        long input = Json.minus(API, "input_tokens", inputTotal, "cached_tokens + cache_write_tokens + cache_write_12h_tokens", cached + written);
        Json.minus(API, "output_tokens", output, "reasoning_tokens", reasoning);
        return new ProviderUsage(PROVIDER, model, input, output, reasoning, 0, 0, cached, Map.of(), serviceTier, UsageSource.PROVIDER,
                null, writes);
    }

    /** Follows a Responses SSE stream. */
    static final class Stream implements StreamUsageAccumulator {
        private ProviderUsage finalUsage;
        private String model;
        private long deltas;
        private int toolCalls;

        @Override
        public void accept(String eventName, JsonNode data) {
            String type = Json.text(data, "type");
            if (type == null) {
                type = eventName;
            }
            if (type == null) {
                return;
            }
            switch (type) {
                case "response.created", "response.in_progress" -> {
                    JsonNode r = data.get("response");
                    if (r != null && Json.text(r, "model") != null) {
                        model = Json.text(r, "model");
                    }
                }
                case "response.output_item.added" -> {
                    String itemType = Json.text(data.get("item"), "type");
                    if ("function_call".equals(itemType) || "custom_tool_call".equals(itemType)) {
                        toolCalls++;
                    }
                }
                case "response.completed", "response.incomplete", "response.failed" -> {
                    JsonNode r = data.get("response");
                    if (r != null && r.hasNonNull("usage")) {
                        finalUsage = fromResponseObject(r);
                        if (finalUsage.model() != null) {
                            model = finalUsage.model();
                        }
                    }
                }
                default -> {
                    if (type.endsWith(".delta")) {
                        deltas++;
                    }
                }
            }
        }

        @Override
        public boolean usageFinal() {
            return finalUsage != null;
        }

        @Override
        public ProviderUsage usage() {
            return finalUsage != null ? finalUsage : ProviderUsage.counted(PROVIDER, model, deltas);
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
