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
package dev.tokenledger.cli.simulator;

import java.util.Objects;

/**
 * One LLM call a feature makes for a user action (most features make one; draft_email makes an
 * agent chain of several).
 *
 * @param name               step name, carried as the {@code step} tag
 * @param provider           who serves it
 * @param tier               which model tier
 * @param systemPromptTokens the stable system-prompt prefix sent on every call
 * @param userInput          the variable part of the prompt
 * @param output             the completion length
 * @param cache              whether the system prompt is served from a prompt cache
 * @param streamingShare     the fraction of calls made as streams (0..1)
 * @param toolCalls          tool calls a streamed answer makes (agent features), 0 for none
 * @param maxTokens          the {@code max_tokens} the caller sets (the reservation's worst case)
 */
public record CallStep(String name, Provider provider, ModelTier tier, long systemPromptTokens,
                       TokenDistribution userInput, TokenDistribution output, CacheMode cache,
                       double streamingShare, TokenDistribution toolCalls, long maxTokens) {

    public CallStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(userInput, "userInput");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(toolCalls, "toolCalls");
        if (streamingShare < 0 || streamingShare > 1) {
            throw new IllegalArgumentException("streamingShare of step '" + name + "' must be in [0,1]: " + streamingShare);
        }
        if (maxTokens < output.max()) {
            throw new IllegalArgumentException("maxTokens of step '" + name + "' (" + maxTokens
                    + ") is below the largest output it can draw (" + output.max() + ")");
        }
        if (cache == CacheMode.EPHEMERAL_1H && provider != Provider.ANTHROPIC) {
            throw new IllegalArgumentException("step '" + name + "': only Anthropic offers a 1-hour cache");
        }
        if (provider == Provider.GOOGLE && (cache != CacheMode.NONE || streamingShare > 0)) {
            // the simulated Gemini responses are non-streamed generateContent bodies without context caching
            throw new IllegalArgumentException("step '" + name + "': simulated Gemini calls are uncached and not streamed");
        }
    }

    /** The model name this step calls, as the catalog knows it. */
    public String model() {
        return tier.model(provider);
    }

    /** A simple non-streamed step with no caching and no tools. */
    public static CallStep plain(String name, Provider provider, ModelTier tier, long systemPromptTokens,
                                 TokenDistribution userInput, TokenDistribution output, long maxTokens) {
        return new CallStep(name, provider, tier, systemPromptTokens, userInput, output, CacheMode.NONE, 0,
                TokenDistribution.fixed(0), maxTokens);
    }

    public CallStep withCache(CacheMode mode) {
        return new CallStep(name, provider, tier, systemPromptTokens, userInput, output, mode, streamingShare, toolCalls, maxTokens);
    }

    public CallStep withStreaming(double share) {
        return new CallStep(name, provider, tier, systemPromptTokens, userInput, output, cache, share, toolCalls, maxTokens);
    }

    public CallStep withToolCalls(TokenDistribution calls) {
        return new CallStep(name, provider, tier, systemPromptTokens, userInput, output, cache, streamingShare, calls, maxTokens);
    }
}
