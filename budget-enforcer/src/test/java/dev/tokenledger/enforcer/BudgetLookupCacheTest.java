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
package dev.tokenledger.enforcer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A task's cache of what it derives from the budgets: used until the store changes or the entry is too old. */
class BudgetLookupCacheTest {
    private final BudgetLookupCache.Version version = new BudgetLookupCache.Version();
    private final BudgetLookupCache<String, String> cache = new BudgetLookupCache<>(version);
    private final AtomicInteger lookups = new AtomicInteger();
    private final Function<String, String> lookup = k -> {
        lookups.incrementAndGet();
        return k.equals("none") ? null : k + "#" + lookups.get();
    };

    @Test
    void looksUpOncePerKeyUntilTheBudgetsChange() {
        assertThat(cache.get("global", 1_000, lookup)).isEqualTo("global#1");
        assertThat(cache.get("global", 1_001, lookup)).isEqualTo("global#1");
        assertThat(cache.get("none", 1_002, lookup)).isNull();
        assertThat(cache.get("none", 1_003, lookup)).isNull();
        assertThat(lookups).hasValue(2);
        version.changed();
        assertThat(cache.get("global", 1_004, lookup)).isEqualTo("global#3");
        assertThat(cache.get("none", 1_005, lookup)).isNull();
        assertThat(lookups).hasValue(4);
    }

    @Test
    void entriesExpireAfterTheMaxAgeOrWhenTheClockGoesBack() {
        cache.get("global", 1_000, lookup);
        cache.get("global", 1_000 + BudgetLookupCache.MAX_AGE_MS - 1, lookup);
        assertThat(lookups).hasValue(1);
        cache.get("global", 1_000 + BudgetLookupCache.MAX_AGE_MS, lookup);
        assertThat(lookups).hasValue(2);
        cache.get("global", 500, lookup);
        assertThat(lookups).hasValue(3);
    }

    @Test
    void aFailedLookupIsNotCached() {
        final Function<String, String> failing = k -> {
            lookups.incrementAndGet();
            throw new IllegalArgumentException("invalid budget");
        };
        assertThatThrownBy(() -> cache.get("global", 1_000, failing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.get("global", 1_001, failing)).isInstanceOf(IllegalArgumentException.class);
        assertThat(lookups).hasValue(2);
    }
}
