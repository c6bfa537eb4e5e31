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

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that holds nothing: it lets a processor run code in every commit of its task, before the transaction
 * commits, the way Kafka Streams flushes its own record caches (a KTable's cache forwards its newest value per key
 * there). Kafka Streams calls {@link #flushCache()} on every store of a task when it prepares a commit and then
 * flushes the producer, so records forwarded from the hook are in that commit's transaction; {@link #clearCache()}
 * when a task is closed dirty (its uncommitted input will be processed again).
 *
 * <p>{@code CachedStateStore} is an internal Kafka Streams interface (as for the aggregator's write-back store);
 * {@code EnforcerTopologyTest} (TopologyTestDriver commits after every record) and the enforcer's ITs pin the behaviour.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private boolean open;
    private Runnable onCommit = () -> { };
    private Runnable onDirtyClose = () -> { };

    private CommitHook(String name) {
        this.name = name;
    }

    static StoreBuilder<CommitHook> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHook> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException(name + " holds no state to log");
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHook build() {
                return new CommitHook(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** {@code onCommit} runs in every commit of the task; {@code onDirtyClose} when its uncommitted work is dropped. */
    void on(Runnable onCommit, Runnable onDirtyClose) {
        this.onCommit = onCommit;
        this.onDirtyClose = onDirtyClose;
    }

    @Override
    public void flushCache() {
        onCommit.run();
    }

    @Override
    public void clearCache() {
        onDirtyClose.run();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException(name + " has no changelog to restore");
        });
        open = true;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
