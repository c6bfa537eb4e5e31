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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.CacheRetention;
import java.util.Map;
import java.util.TreeMap;

/**
 * Token counts of one request in the canonical, disjoint classes (see {@link TokenClass}).
 * {@code reasoning} is a subset of {@code output}, carried for reporting only: it is never priced.
 * Every count must be {@code >= 0}.
 *
 * @param input uncached input tokens (cache reads and writes excluded)
 * @param output output tokens, reasoning included
 * @param reasoning reasoning tokens (subset of output; not priced)
 * @param cacheWrite5m tokens written to a 5-minute prompt cache
 * @param cacheWrite1h tokens written to a 1-hour prompt cache
 * @param cacheRead tokens served from the prompt cache
 * @param other other billed classes by name, disjoint from the canonical ones (sorted by name)
 * @param cacheWrites tokens written to a prompt cache of a retention other than 5m and 1h, by retention key
 *     ({@code 30m}, {@code 12h}; see {@link CacheRetention}): input-side tokens, disjoint from {@code input}
 */
public record TokenCounts(long input, long output, long reasoning, long cacheWrite5m, long cacheWrite1h,
                          long cacheRead, Map<String, Long> other, Map<String, Long> cacheWrites) {

    /** Counts without cache writes of other retentions. */
    public TokenCounts(long input, long output, long reasoning, long cacheWrite5m, long cacheWrite1h, long cacheRead,
                       Map<String, Long> other) {
        this(input, output, reasoning, cacheWrite5m, cacheWrite1h, cacheRead, other, Map.of());
    }

    public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, 0, 0, Map.of());

    public TokenCounts {
        requireNonNegative("input_tokens", input);
        requireNonNegative("output_tokens", output);
        requireNonNegative("reasoning_tokens", reasoning);
        requireNonNegative("cache_write_5m_tokens", cacheWrite5m);
        requireNonNegative("cache_write_1h_tokens", cacheWrite1h);
        requireNonNegative("cache_read_tokens", cacheRead);
        final TreeMap<String, Long> copy = new TreeMap<>();
        if (other != null) {
            for (Map.Entry<String, Long> e : other.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank()) {
                    throw new IllegalArgumentException("other_tokens has a blank class name");
                }
                final long n = e.getValue() == null ? 0 : e.getValue();
                requireNonNegative("other_tokens[" + e.getKey() + "]", n);
                copy.put(e.getKey(), n);
            }
        }
        other = java.util.Collections.unmodifiableMap(copy);
        final TreeMap<String, Long> writes = new TreeMap<>();
        if (cacheWrites != null) {
            for (Map.Entry<String, Long> e : cacheWrites.entrySet()) {
                final String problem = CacheRetention.problemAsMapKey(e.getKey());
                if (problem != null) {
                    throw new IllegalArgumentException("cache_write_tokens: " + problem);
                }
                final long n = e.getValue() == null ? 0 : e.getValue();
                requireNonNegative("cache_write_tokens[" + e.getKey() + "]", n);
                writes.put(e.getKey(), n);
            }
        }
        cacheWrites = java.util.Collections.unmodifiableMap(writes);
    }

    /** Input and output only (no cache, no other classes). */
    public static TokenCounts of(long input, long output) {
        return new TokenCounts(input, output, 0, 0, 0, 0, Map.of());
    }

    /** The canonical counts of a usage event. */
    public static TokenCounts of(UsageEvent event) {
        final Map<String, Long> other = new TreeMap<>();
        if (event.getOtherTokens() != null) {
            event.getOtherTokens().forEach((k, v) -> other.put(k.toString(), v));
        }
        final Map<String, Long> writes = new TreeMap<>();
        if (event.getCacheWriteTokens() != null) {
            event.getCacheWriteTokens().forEach((k, v) -> writes.put(k.toString(), v));
        }
        return new TokenCounts(event.getInputTokens(), event.getOutputTokens(), event.getReasoningTokens(),
                event.getCacheWrite5mTokens(), event.getCacheWrite1hTokens(), event.getCacheReadTokens(), other, writes);
    }

    /** Input-side tokens: input + cache writes of every retention + cache reads (what long-context thresholds are measured on). */
    public long inputSideTokens() {
        long sum = Math.addExact(Math.addExact(input, cacheWrite5m), Math.addExact(cacheWrite1h, cacheRead));
        for (long w : cacheWrites.values()) {
            sum = Math.addExact(sum, w);
        }
        return sum;
    }

    /** Count of a canonical or other class by name (0 when absent). */
    public long count(String tokenClass) {
        return switch (tokenClass) {
            case TokenClass.INPUT -> input;
            case TokenClass.OUTPUT -> output;
            case TokenClass.CACHE_WRITE_5M -> cacheWrite5m;
            case TokenClass.CACHE_WRITE_1H -> cacheWrite1h;
            case TokenClass.CACHE_READ -> cacheRead;
            default -> tokenClass.startsWith(TokenClass.CACHE_WRITE_PREFIX)
                    && cacheWrites.containsKey(tokenClass.substring(TokenClass.CACHE_WRITE_PREFIX.length()))
                    ? cacheWrites.get(tokenClass.substring(TokenClass.CACHE_WRITE_PREFIX.length()))
                    : other.getOrDefault(tokenClass, 0L);
        };
    }

    /** Class-wise sum (used to check additivity). */
    public TokenCounts plus(TokenCounts o) {
        final Map<String, Long> sum = new TreeMap<>(other);
        o.other.forEach((k, v) -> sum.merge(k, v, Math::addExact));
        final Map<String, Long> writes = new TreeMap<>(cacheWrites);
        o.cacheWrites.forEach((k, v) -> writes.merge(k, v, Math::addExact));
        return new TokenCounts(Math.addExact(input, o.input), Math.addExact(output, o.output),
                Math.addExact(reasoning, o.reasoning), Math.addExact(cacheWrite5m, o.cacheWrite5m),
                Math.addExact(cacheWrite1h, o.cacheWrite1h), Math.addExact(cacheRead, o.cacheRead), sum, writes);
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
    }
}
