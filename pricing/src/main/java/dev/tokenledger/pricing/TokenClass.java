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

import java.util.List;

/**
 * Names of the canonical, disjoint token classes. Their token counts add up to what the provider
 * billed; reasoning tokens are part of {@link #OUTPUT} and are never priced on their own. Any other
 * billed class (audio_input, image_input, ...) is a named "other" class priced from
 * {@code PriceEntry.other_rates}.
 */
public final class TokenClass {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String CACHE_WRITE_5M = "cache_write_5m";
    public static final String CACHE_WRITE_1H = "cache_write_1h";
    public static final String CACHE_READ = "cache_read";

    /** Prefix of the class name of a cache write of another retention: {@code cache_write_30m}, {@code cache_write_12h}. */
    public static final String CACHE_WRITE_PREFIX = "cache_write_";

    /** The canonical classes in presentation order. */
    public static final List<String> CANONICAL = List.of(INPUT, OUTPUT, CACHE_WRITE_5M, CACHE_WRITE_1H, CACHE_READ);

    private TokenClass() {
    }

    /** Class name of a cache write of {@code retention} ({@code 30m} gives {@code cache_write_30m}). */
    public static String cacheWrite(String retention) {
        return CACHE_WRITE_PREFIX + retention;
    }
}
