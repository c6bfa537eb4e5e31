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
import dev.tokenledger.schemas.CacheRetention;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAI cache writes of one response (billed on GPT-5.6 and later models; earlier models report none), read from
 * the input details object ({@code usage.input_tokens_details} in the Responses API, {@code usage.prompt_tokens_details}
 * in Chat Completions):
 * <ul>
 *   <li>{@code cache_write_tokens}: tokens written with the default 30-minute retention, mapped to {@code 30m}
 *       ("The cache write price is for 30 minutes of retention", developers.openai.com/api/docs/models/gpt-6.2-sol);</li>
 *   <li>{@code cache_write_12h_tokens}: tokens written with the extended 12-hour retention, mapped to {@code 12h}.</li>
 * </ul>
 * Both are INSIDE {@code input_tokens} / {@code prompt_tokens} and disjoint from {@code cached_tokens} and from each
 * other, so the extractors subtract them from the prompt to get uncached input. Source: OpenAI's organization Usage API
 * reference, whose per-bucket fields mirror the per-response ones: "{@code input_tokens}: ... including cached and
 * cache-write tokens", "{@code input_cache_write_tokens}: ... written to the cache with a 30-minute retention period",
 * "{@code input_cache_write_12h_tokens}: ... with a 12-hour retention period" (read 2026-12-05; the per-response
 * names are confidence M for {@code cache_write_tokens} — the OpenAI/Azure SDK's {@code ResponseUsageInputTokensDetails}
 * — and L for {@code cache_write_12h_tokens}, see /work/price-audit.md section 4). If a response ever reports a write
 * count larger than the prompt, the extractor refuses it as inconsistent rather than guess.
 */
final class OpenAiCacheWrites {
    static final String THIRTY_MINUTE_FIELD = "cache_write_tokens";
    static final String TWELVE_HOUR_FIELD = "cache_write_12h_tokens";

    private OpenAiCacheWrites() {
    }

    /** The cache writes by retention key (absent or zero counts left out). */
    static Map<String, Long> of(String api, JsonNode details) {
        final Map<String, Long> out = new TreeMap<>();
        final long thirty = Json.count(api, details, THIRTY_MINUTE_FIELD);
        final long twelve = Json.count(api, details, TWELVE_HOUR_FIELD);
        if (thirty > 0) {
            out.put(CacheRetention.THIRTY_MINUTES, thirty);
        }
        if (twelve > 0) {
            out.put(CacheRetention.TWELVE_HOURS, twelve);
        }
        return out;
    }

    static long total(Map<String, Long> writes) {
        long sum = 0;
        for (long v : writes.values()) {
            sum = Math.addExact(sum, v);
        }
        return sum;
    }
}
