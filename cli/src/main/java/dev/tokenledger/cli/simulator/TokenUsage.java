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

/**
 * Tokens of one call in TokenLedger's canonical, disjoint classes (what the provider billed):
 * uncached input, output (reasoning included), reasoning (a subset of output), cache writes by
 * TTL and cache reads.
 */
public record TokenUsage(long input, long output, long reasoning, long cacheWrite5m, long cacheWrite1h, long cacheRead) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, 0);

    public TokenUsage {
        if (input < 0 || output < 0 || reasoning < 0 || cacheWrite5m < 0 || cacheWrite1h < 0 || cacheRead < 0) {
            throw new IllegalArgumentException("Token counts must be >= 0: " + this);
        }
        if (reasoning > output) {
            throw new IllegalArgumentException("reasoning tokens (" + reasoning + ") must be a subset of output tokens (" + output + ")");
        }
    }

    /** All input-side tokens: uncached input plus cache writes and reads. */
    public long totalInput() {
        return input + cacheWrite5m + cacheWrite1h + cacheRead;
    }

    /** Every billed token. */
    public long total() {
        return totalInput() + output;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(input + other.input, output + other.output, reasoning + other.reasoning,
                cacheWrite5m + other.cacheWrite5m, cacheWrite1h + other.cacheWrite1h, cacheRead + other.cacheRead);
    }
}
