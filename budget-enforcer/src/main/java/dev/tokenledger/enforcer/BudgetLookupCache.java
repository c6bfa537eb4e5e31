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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What a stream task derived from the global budget store (a scope's {@link BudgetPolicy}, the scopes of a
 * (feature, tenant)), kept until the store changes. Budgets change rarely and are looked up on every record;
 * a lookup reads RocksDB, decodes the Avro budget and validates it, so the enforcer derived the same answer
 * once per record. The store's updater calls {@link Version#changed} after every put or delete, so an entry
 * is never used after a budget change the task could have seen: the version is read before the store, and a
 * change between the two only makes the next record look again. Entries also expire after
 * {@link #MAX_AGE_MS} of wall clock, so even a store rebuilt without its updater (a global store re-restored
 * after an invalid offset) is seen within that time. One instance per task, used by its stream thread only.
 */
final class BudgetLookupCache<K, V> {
    /** Longest an entry is used without looking the store up again. */
    static final long MAX_AGE_MS = 1_000L;
    /** Entries kept at most (least recently used dropped first): one per scope or (feature, tenant). */
    static final int MAX_ENTRIES = 10_000;

    /** Change counter of the global budget store, shared by the updater and every task of one topology. */
    static final class Version {
        private final AtomicLong value = new AtomicLong();

        void changed() {
            value.incrementAndGet();
        }

        long current() {
            return value.get();
        }
    }

    private final Version version;
    private final Map<K, V> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    private long filledVersion = -1;
    private long filledAtMs;

    BudgetLookupCache(Version version) {
        this.version = version;
    }

    /**
     * The cached value of {@code key}, or {@code lookup}'s (cached, null included). A lookup that throws is
     * not cached: the next record looks again (and logs again).
     */
    V get(K key, long nowMs, Function<K, V> lookup) {
        final long v = version.current();
        if (v != filledVersion || nowMs - filledAtMs >= MAX_AGE_MS || nowMs < filledAtMs) {
            entries.clear();
            filledVersion = v;
            filledAtMs = nowMs;
        }
        if (entries.containsKey(key)) {
            return entries.get(key);
        }
        final V value = lookup.apply(key);
        entries.put(key, value);
        return value;
    }
}
