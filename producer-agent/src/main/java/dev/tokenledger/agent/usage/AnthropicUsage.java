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
 * Anthropic Messages API usage. Facts: {@code input_tokens} excludes cache reads and writes; cache writes
 * are split by TTL in {@code cache_creation.ephemeral_5m_input_tokens} / {@code ephemeral_1h_input_tokens}
 * (a response with only {@code cache_creation_input_tokens} is all 5-minute writes, the only TTL before
 * the breakdown existed); {@code output_tokens} includes extended-thinking tokens (not reported apart).
 * Streams: {@code message_start} carries the input side, {@code message_delta} the cumulative final usage.
 * Data residency: {@code usage.inference_geo} says where inference ran ({@code "us"} for US-only inference, billed
 * 1.1x on Opus 4.6 and later; {@code "global"} at standard pricing); it becomes the event's region
 * (https://platform.claude.com/docs/en/build-with-claude/data-residency, read 2026-12-05). {@code usage.service_tier}
 * ({@code "standard"}, {@code "priority"}, ...) becomes the service tier.
 */
public final class AnthropicUsage {
    static final String API = "Anthropic Messages";
    private static final String PROVIDER = "anthropic";

    private AnthropicUsage() {
    }

    public static ProviderUsage fromResponse(String json) {
        JsonNode root = Json.parse(API, json);
        if ("error".equals(Json.text(root, "type"))) {
            JsonNode err = root.get("error");
            throw new UsageExtractionException(API + ": error response, no usage: " + Json.snippet(String.valueOf(err)));
        }
        return fromUsage(Json.object(API, root, "usage", true), Json.text(root, "model"));
    }

    /** Maps a {@code usage} object. */
    public static ProviderUsage fromUsage(JsonNode usage, String model) {
        long input = Json.count(API, usage, "input_tokens");
        long output = Json.count(API, usage, "output_tokens");
        long cacheRead = Json.count(API, usage, "cache_read_input_tokens");
        long write5m;
        long write1h;
        JsonNode breakdown = Json.object(API, usage, "cache_creation", false);
        if (breakdown != null) {
            write5m = Json.count(API, breakdown, "ephemeral_5m_input_tokens");
            write1h = Json.count(API, breakdown, "ephemeral_1h_input_tokens");
        } else {
            write5m = Json.count(API, usage, "cache_creation_input_tokens");
            write1h = 0;
        }
        return new ProviderUsage(PROVIDER, model, input, output, 0, write5m, write1h, cacheRead, Map.of(),
                Json.text(usage, "service_tier"), UsageSource.PROVIDER, Json.text(usage, "inference_geo"), Map.of());
    }

    /** Follows a Messages SSE stream. */
    static final class Stream implements StreamUsageAccumulator {
        private ObjectNodeMerge usage = new ObjectNodeMerge();
        private String model;
        private boolean finalSeen;
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
                case "message_start" -> {
                    JsonNode message = data.get("message");
                    if (message != null) {
                        model = Json.text(message, "model");
                        usage.merge(message.get("usage"));
                    }
                }
                case "content_block_start" -> {
                    String blockType = Json.text(data.get("content_block"), "type");
                    if ("tool_use".equals(blockType) || "server_tool_use".equals(blockType)) {
                        toolCalls++;
                    }
                }
                case "content_block_delta" -> deltas++;
                case "message_delta" -> {
                    // cumulative: the final output count (and, on recent API versions, the input side again)
                    if (data.get("usage") != null && data.get("usage").isObject()) {
                        usage.merge(data.get("usage"));
                        finalSeen = true;
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public boolean usageFinal() {
            return finalSeen;
        }

        @Override
        public ProviderUsage usage() {
            ProviderUsage reported = fromUsage(usage.node(), model);
            if (finalSeen) {
                return reported;
            }
            // message_start reports output_tokens of 1-ish; what was generated is what we received
            long out = Math.max(reported.outputTokens(), deltas);
            return new ProviderUsage(PROVIDER, model, reported.inputTokens(), out, 0, reported.cacheWrite5mTokens(),
                    reported.cacheWrite1hTokens(), reported.cacheReadTokens(), Map.of(), reported.serviceTier(), UsageSource.COUNTED,
                    reported.region(), Map.of());
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
