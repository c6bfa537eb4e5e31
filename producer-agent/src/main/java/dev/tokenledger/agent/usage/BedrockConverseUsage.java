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
 * Amazon Bedrock Converse usage. Facts: {@code usage.inputTokens} is the uncached input (cache reads and
 * writes are reported apart in {@code cacheReadInputTokens} / {@code cacheWriteInputTokens}); writes are
 * 5-minute unless {@code cacheDetails} lists checkpoints with {@code ttl: "1h"}. The response does not
 * name the model (it is the request's modelId). ConverseStream: the usage is in the {@code metadata}
 * event; events are given either as {@code {"metadata": {...}}} objects or by name with their payload.
 */
public final class BedrockConverseUsage {
    static final String API = "Bedrock Converse";
    private static final String PROVIDER = "bedrock";

    private BedrockConverseUsage() {
    }

    public static ProviderUsage fromResponse(String json) {
        JsonNode root = Json.parse(API, json);
        if (root.has("message") && !root.has("usage") && !root.has("output")) {
            throw new UsageExtractionException(API + ": error response, no usage: " + Json.snippet(root.toString()));
        }
        return fromUsage(Json.object(API, root, "usage", true));
    }

    public static ProviderUsage fromUsage(JsonNode usage) {
        long input = Json.count(API, usage, "inputTokens");
        long output = Json.count(API, usage, "outputTokens");
        long read = Json.count(API, usage, "cacheReadInputTokens");
        long write = Json.count(API, usage, "cacheWriteInputTokens");
        long write1h = 0;
        JsonNode details = usage.get("cacheDetails");
        if (details != null && details.isArray()) {
            for (JsonNode d : details) {
                if ("1h".equals(Json.text(d, "ttl"))) {
                    write1h += Json.count(API, d, "inputTokens");
                }
            }
        }
        long write5m = Json.minus(API, "cacheWriteInputTokens", write, "cacheDetails[ttl=1h].inputTokens", write1h);
        return new ProviderUsage(PROVIDER, null, input, output, 0, write5m, write1h, read, Map.of(), null, UsageSource.PROVIDER);
    }

    static final class Stream implements StreamUsageAccumulator {
        private ProviderUsage finalUsage;
        private long deltas;
        private int toolCalls;

        @Override
        public void accept(String eventName, JsonNode data) {
            String type = eventName;
            JsonNode payload = data;
            if (type == null && data.size() == 1) {
                type = data.fieldNames().next();
                payload = data.get(type);
            }
            if (type == null) {
                return;
            }
            switch (type) {
                case "contentBlockStart" -> {
                    if (payload.path("start").has("toolUse")) {
                        toolCalls++;
                    }
                }
                case "contentBlockDelta" -> deltas++;
                case "metadata" -> {
                    JsonNode u = payload.get("usage");
                    if (u != null && u.isObject()) {
                        finalUsage = fromUsage(u);
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public boolean usageFinal() {
            return finalUsage != null;
        }

        @Override
        public ProviderUsage usage() {
            return finalUsage != null ? finalUsage : ProviderUsage.counted(PROVIDER, null, deltas);
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
            return null;
        }
    }
}
