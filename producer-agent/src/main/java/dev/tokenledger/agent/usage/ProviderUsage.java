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

import dev.tokenledger.avro.UsageSource;
import java.util.Map;

/**
 * Token usage of one call in TokenLedger's canonical, disjoint classes (their sum is what was billed):
 * uncached input, output (reasoning included), reasoning (a subset of output, reported only), cache
 * writes by TTL (5m and 1h in their own fields, other retentions such as OpenAI's 30m / 12h in
 * {@code cacheWriteTokens}), cache reads, and other billed classes (audio, image) by name.
 *
 * @param provider     provider name ({@code anthropic}, {@code openai}, {@code google}, {@code bedrock})
 * @param model        model as the provider answered, or null if the response did not say
 * @param serviceTier  service tier as answered, or null
 * @param source       PROVIDER when read from the provider's usage block, COUNTED when counted by the agent
 * @param region       inference region / geo as answered (Anthropic {@code usage.inference_geo}), or null
 * @param cacheWriteTokens cache writes of retentions other than 5m and 1h by retention key ({@code 30m}, {@code 12h}),
 *                     disjoint from {@code inputTokens}
 */
public record ProviderUsage(String provider, String model, long inputTokens, long outputTokens, long reasoningTokens,
                            long cacheWrite5mTokens, long cacheWrite1hTokens, long cacheReadTokens,
                            Map<String, Long> otherTokens, String serviceTier, UsageSource source, String region,
                            Map<String, Long> cacheWriteTokens) {

    /** Usage without a region and without cache writes of other retentions. */
    public ProviderUsage(String provider, String model, long inputTokens, long outputTokens, long reasoningTokens,
                         long cacheWrite5mTokens, long cacheWrite1hTokens, long cacheReadTokens,
                         Map<String, Long> otherTokens, String serviceTier, UsageSource source) {
        this(provider, model, inputTokens, outputTokens, reasoningTokens, cacheWrite5mTokens, cacheWrite1hTokens, cacheReadTokens,
                otherTokens, serviceTier, source, null, Map.of());
    }

    public ProviderUsage {
        otherTokens = otherTokens == null ? Map.of() : Map.copyOf(otherTokens);
        cacheWriteTokens = cacheWriteTokens == null ? Map.of() : Map.copyOf(cacheWriteTokens);
        cacheWriteTokens.forEach((k, v) -> {
            final String problem = dev.tokenledger.schemas.CacheRetention.problemAsMapKey(k);
            if (problem != null) {
                throw new UsageExtractionException("cache_write_tokens: " + problem);
            }
            requireNonNegative("cache_write_tokens[" + k + "]", v);
        });
        requireNonNegative("input_tokens", inputTokens);
        requireNonNegative("output_tokens", outputTokens);
        requireNonNegative("reasoning_tokens", reasoningTokens);
        requireNonNegative("cache_write_5m_tokens", cacheWrite5mTokens);
        requireNonNegative("cache_write_1h_tokens", cacheWrite1hTokens);
        requireNonNegative("cache_read_tokens", cacheReadTokens);
        if (reasoningTokens > outputTokens) {
            throw new UsageExtractionException("reasoning_tokens " + reasoningTokens + " exceed output_tokens "
                    + outputTokens + " (" + provider + "): reasoning is a subset of output");
        }
        otherTokens.forEach((k, v) -> requireNonNegative(k, v));
    }

    /** Usage counted by the agent from a stream that ended without a usage block. */
    public static ProviderUsage counted(String provider, String model, long outputTokens) {
        return new ProviderUsage(provider, model, 0, outputTokens, 0, 0, 0, 0, Map.of(), null, UsageSource.COUNTED);
    }

    public static ProviderUsage none(String provider, String model) {
        return new ProviderUsage(provider, model, 0, 0, 0, 0, 0, 0, Map.of(), null, UsageSource.NONE);
    }

    public long totalTokens() {
        long sum = inputTokens + outputTokens + cacheWrite5mTokens + cacheWrite1hTokens + cacheReadTokens;
        for (long v : otherTokens.values()) {
            sum += v;
        }
        for (long v : cacheWriteTokens.values()) {
            sum += v;
        }
        return sum;
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new UsageExtractionException("usage field " + field + " = " + value + " is negative: the provider"
                    + " response is inconsistent (e.g. cached tokens larger than the prompt)");
        }
    }
}
