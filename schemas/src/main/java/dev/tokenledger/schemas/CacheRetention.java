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
package dev.tokenledger.schemas;

import java.util.regex.Pattern;

/**
 * The retention keys of prompt-cache writes, as carried by {@code UsageEvent.cache_write_tokens},
 * {@code PriceEntry.cache_write_rates} (and its long-context tier) and {@code CostedUsage.cache_write_costs}:
 * a positive count and a unit, {@code m}, {@code h} or {@code d} ({@code 30m}, {@code 12h}, {@code 24h}).
 * The two Anthropic retentions {@link #FIVE_MINUTES} and {@link #ONE_HOUR} have their own fields in every
 * contract (old readers see them), so they are refused in the maps.
 */
public final class CacheRetention {

    /** {@code ^[1-9][0-9]*(m|h|d)$}. */
    public static final Pattern KEY = Pattern.compile("^[1-9][0-9]*(m|h|d)$");
    public static final String FIVE_MINUTES = "5m";
    public static final String ONE_HOUR = "1h";
    /** OpenAI's default retention of a cache write on GPT-5.6 and later. */
    public static final String THIRTY_MINUTES = "30m";
    /** OpenAI's extended (12-hour) retention. */
    public static final String TWELVE_HOURS = "12h";

    private CacheRetention() {
    }

    /** True when {@code key} is a well-formed retention key ({@code 5m} and {@code 1h} included). */
    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** True for {@code 5m} and {@code 1h}, which have their own fields. */
    public static boolean hasOwnField(String key) {
        return FIVE_MINUTES.equals(key) || ONE_HOUR.equals(key);
    }

    /**
     * Why {@code key} cannot be a key of a retention map ({@code cache_write_tokens}, {@code cache_write_rates}),
     * or null when it can.
     */
    public static String problemAsMapKey(String key) {
        if (!isKey(key)) {
            return "retention key '" + key + "' is not of the form ^[1-9][0-9]*(m|h|d)$ (e.g. 30m, 12h)";
        }
        if (hasOwnField(key)) {
            return "retention key '" + key + "' has its own field (cache_write_" + key + "_...), not a map entry";
        }
        return null;
    }
}
