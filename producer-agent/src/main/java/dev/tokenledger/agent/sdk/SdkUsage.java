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
package dev.tokenledger.agent.sdk;

import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.Usage;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.ResponseUsage;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.UsageSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the official SDKs' typed usage objects to {@link ProviderUsage}, with the same provider facts as the
 * raw-JSON extractors (see {@link dev.tokenledger.agent.usage.AnthropicUsage},
 * {@link dev.tokenledger.agent.usage.OpenAiChatUsage}, {@link dev.tokenledger.agent.usage.OpenAiResponsesUsage}).
 * Each method only touches its own SDK's classes, so an application with only one SDK on the classpath
 * can use it.
 */
public final class SdkUsage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SdkUsage.class);

    private SdkUsage() {
    }

    /** Anthropic {@code Message.usage()}. */
    public static ProviderUsage anthropic(Usage usage, String model) {
        long write5m;
        long write1h;
        Optional<CacheCreation> breakdown = usage.cacheCreation();
        if (breakdown.isPresent()) {
            write5m = breakdown.get().ephemeral5mInputTokens();
            write1h = breakdown.get().ephemeral1hInputTokens();
        } else {
            write5m = usage.cacheCreationInputTokens().orElse(0L);
            write1h = 0;
        }
        // inference_geo is newer than this SDK's typed Usage: it arrives among the additional properties
        com.anthropic.core.JsonValue geoValue = usage._additionalProperties().get("inference_geo");
        String geo = geoValue == null || geoValue.isNull() || geoValue.isMissing() ? null : geoValue.convert(String.class);
        return new ProviderUsage("anthropic", model, usage.inputTokens(), usage.outputTokens(), 0, write5m, write1h,
                usage.cacheReadInputTokens().orElse(0L), Map.of(),
                usage.serviceTier().map(Usage.ServiceTier::asString).orElse(null), UsageSource.PROVIDER, geo, Map.of());
    }

    /** OpenAI Chat Completions {@code ChatCompletion.usage()}: cached and audio come out of the prompt. */
    public static ProviderUsage openAiChat(CompletionUsage usage, String model, String serviceTier) {
        long cached = usage.promptTokensDetails().flatMap(CompletionUsage.PromptTokensDetails::cachedTokens).orElse(0L);
        long audioIn = usage.promptTokensDetails().flatMap(CompletionUsage.PromptTokensDetails::audioTokens).orElse(0L);
        long reasoning = usage.completionTokensDetails().flatMap(CompletionUsage.CompletionTokensDetails::reasoningTokens).orElse(0L);
        long audioOut = usage.completionTokensDetails().flatMap(CompletionUsage.CompletionTokensDetails::audioTokens).orElse(0L);
        Map<String, Long> other = new HashMap<>();
        if (audioIn > 0) {
            other.put("audio_input", audioIn);
        }
        if (audioOut > 0) {
            other.put("audio_output", audioOut);
        }
        Map<String, Long> writes = openAiCacheWrites(usage.promptTokensDetails()
                .map(CompletionUsage.PromptTokensDetails::_additionalProperties).orElse(Map.of()));
        return new ProviderUsage("openai", model, usage.promptTokens() - cached - audioIn - total(writes), usage.completionTokens() - audioOut,
                reasoning, 0, 0, cached, other, serviceTier, UsageSource.PROVIDER, null, writes);
    }

    /** OpenAI Responses {@code Response.usage()}: cached is a subset of input, reasoning of output. */
    public static ProviderUsage openAiResponses(ResponseUsage usage, String model, String serviceTier) {
        long cached = usage.inputTokensDetails().cachedTokens();
        Map<String, Long> writes = openAiCacheWrites(usage.inputTokensDetails()._additionalProperties());
        return new ProviderUsage("openai", model, usage.inputTokens() - cached - total(writes), usage.outputTokens(),
                usage.outputTokensDetails().reasoningTokens(), 0, 0, cached, Map.of(), serviceTier, UsageSource.PROVIDER, null, writes);
    }

    /**
     * The cache writes this SDK version does not type yet ({@code cache_write_tokens} = 30-minute retention,
     * {@code cache_write_12h_tokens} = 12-hour), read like the raw-JSON extractors do (see
     * {@link dev.tokenledger.agent.usage.OpenAiResponsesUsage}): both are inside the prompt count.
     */
    private static Map<String, Long> openAiCacheWrites(Map<String, com.openai.core.JsonValue> details) {
        Map<String, Long> writes = new java.util.TreeMap<>();
        put(writes, dev.tokenledger.schemas.CacheRetention.THIRTY_MINUTES, details.get("cache_write_tokens"));
        put(writes, dev.tokenledger.schemas.CacheRetention.TWELVE_HOURS, details.get("cache_write_12h_tokens"));
        return writes;
    }

    private static void put(Map<String, Long> writes, String retention, com.openai.core.JsonValue count) {
        Long n = count == null || count.isNull() || count.isMissing() ? null : count.convert(Long.class);
        if (n != null && n < 0) {
            throw new dev.tokenledger.agent.usage.UsageExtractionException("usage field " + retention + " cache writes = " + n + " is negative");
        }
        if (n != null && n != 0) {
            writes.put(retention, n);
        }
    }

    private static long total(Map<String, Long> writes) {
        long sum = 0;
        for (long v : writes.values()) {
            sum += v;
        }
        return sum;
    }

    /**
     * Records the usage a mapping gives, or, when the provider's numbers contradict each other (a
     * cached count above the prompt, say), records the call as FAILED with error class
     * {@code invalid_usage}: the caller's successful call is never turned into an exception.
     */
    static void record(dev.tokenledger.agent.LedgerCall call, java.util.function.Supplier<ProviderUsage> usage) {
        final ProviderUsage mapped;
        try {
            mapped = usage.get();
        } catch (dev.tokenledger.agent.usage.UsageExtractionException | IllegalArgumentException e) {
            LOG.warn("Provider usage is inconsistent, call recorded as invalid_usage: {}", e.getMessage());
            call.recordFailure("invalid_usage");
            return;
        }
        call.recordUsage(mapped);
    }
}
