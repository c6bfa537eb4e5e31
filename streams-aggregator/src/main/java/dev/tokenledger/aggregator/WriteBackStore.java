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
package dev.tokenledger.aggregator;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Pending per-partition sums (the partial stages' values and {@link TokenHistograms}):
 * a plain {@link HashMap} of mutable values that every event adds into, backed by a changelogged
 * in-memory key-value store that receives only the keys changed since the last commit, once each,
 * when the task commits.
 *
 * <p>Exactly-once: Kafka Streams calls {@link #flushCache()} on every commit of the task, before the
 * producer's transaction is committed (it is how the record caches of its own stores are flushed),
 * so the changelog written in a transaction holds every sum up to the input offsets committed in
 * it. A task closed dirty ({@link #clearCache()}, a crash) drops the map; the store is then restored
 * from the changelog and the uncommitted input is processed again. The map is loaded from the
 * restored store on first use.
 *
 * <p>{@code CachedStateStore} is an internal Kafka Streams interface: the price of writing once per
 * key and commit instead of once per event and dimension (a serialization and a cache entry each).
 * {@code AggregatorTopologyTest} checks that a commit writes the pending sums and a restart keeps them.
 */
final class WriteBackStore<V> implements StateStore, CachedStateStore<String, V> {
    private final KeyValueStore<String, V> inner;
    private final Map<String, V> live = new HashMap<>();
    /** Keys changed since the last commit (absent from {@link #live}: deleted). */
    private final Set<String> dirty = new HashSet<>();
    /** Keys the inner store holds. */
    private final Set<String> persisted = new HashSet<>();
    private boolean loaded;

    private WriteBackStore(KeyValueStore<String, V> inner) {
        this.inner = inner;
    }

    /**
     * The builder to add to the topology: changelogged, never cached (this store is the cache).
     * {@code serde} writes a value to the changelog and reads it back on restore.
     */
    static <V> StoreBuilder<WriteBackStore<V>> builder(String name, Serde<V> serde) {
        return new Builder<>(name, serde, new HashMap<>(), true);
    }

    /** The running value under {@code storeKey}, created by {@code empty} if there is none; marked changed (callers mutate it). */
    V value(String storeKey, Supplier<V> empty) {
        load();
        V p = live.get(storeKey);
        if (p == null) {
            p = empty.get();
            live.put(storeKey, p);
        }
        dirty.add(storeKey);
        return p;
    }

    /** Every pending value by key, removed from the store (their deletion reaches the changelog at the next commit). */
    Map<String, V> drain() {
        load();
        Map<String, V> out = new HashMap<>(live);
        dirty.addAll(live.keySet());
        live.clear();
        return out;
    }

    private void load() {
        if (loaded) {
            return;
        }
        try (KeyValueIterator<String, V> it = inner.all()) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                live.put(kv.key, kv.value);
                persisted.add(kv.key);
            }
        }
        loaded = true;
    }

    /**
     * Writes every key changed since the last commit to the inner store (and so to its changelog, in the
     * commit's transaction). The map is then dropped and re-read from the inner store on next use: the
     * inner store is the truth between commits, so a task moved to a standby and back, whose inner store a
     * restore updated meanwhile, never works from an old map.
     */
    @Override
    public void flushCache() {
        for (String key : dirty) {
            V p = live.get(key);
            if (p != null) {
                inner.put(key, p);
                persisted.add(key);
            } else if (persisted.remove(key)) {
                inner.delete(key);
            }
        }
        dirty.clear();
        live.clear();
        persisted.clear();
        loaded = false;
    }

    @Override
    public void clearCache() {
        live.clear();
        dirty.clear();
        persisted.clear();
        loaded = false;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        flushCache();
        inner.commit(changelogOffsets);
    }

    @Override
    public void close() {
        clearCache();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    private static final class Builder<V> implements StoreBuilder<WriteBackStore<V>> {
        private final String name;
        private final Serde<V> serde;
        private Map<String, String> logConfig;
        private boolean logging;

        Builder(String name, Serde<V> serde, Map<String, String> logConfig, boolean logging) {
            this.name = name;
            this.serde = serde;
            this.logConfig = logConfig;
            this.logging = logging;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withLoggingEnabled(Map<String, String> config) {
            this.logConfig = new HashMap<>(config);
            this.logging = true;
            return this;
        }

        @Override
        public StoreBuilder<WriteBackStore<V>> withLoggingDisabled() {
            throw new UnsupportedOperationException("pending sums must be changelogged to stay exact");
        }

        @Override
        public WriteBackStore<V> build() {
            return new WriteBackStore<>(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                    serde).withLoggingEnabled(logConfig).withCachingDisabled().build());
        }

        @Override
        public Map<String, String> logConfig() {
            return logConfig;
        }

        @Override
        public boolean loggingEnabled() {
            return logging;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
