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
package dev.tokenledger.agent.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Per logical request (root_request_id) state shared by its streamed calls: when the first one started and
 * how many tool calls they have made. Entries idle for longer than {@code retainNanos} are forgotten.
 */
public final class LogicalRequests {
    private final ConcurrentHashMap<String, State> byRoot = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long retainNanos;

    /** State of one logical request. */
    public static final class State {
        final long startNanos;
        final AtomicInteger toolCalls = new AtomicInteger();
        volatile long lastSeenNanos;

        State(long startNanos) {
            this.startNanos = startNanos;
            this.lastSeenNanos = startNanos;
        }

        public long startNanos() {
            return startNanos;
        }

        public int toolCalls() {
            return toolCalls.get();
        }
    }

    public LogicalRequests(LongSupplier nanoClock, long retainNanos) {
        this.nanoClock = nanoClock;
        this.retainNanos = retainNanos;
    }

    public State join(String rootRequestId) {
        long now = nanoClock.getAsLong();
        if (byRoot.size() > 10_000) {
            evictIdle(now);
        }
        State s = byRoot.computeIfAbsent(rootRequestId, k -> new State(now));
        s.lastSeenNanos = now;
        return s;
    }

    private void evictIdle(long now) {
        for (Map.Entry<String, State> e : byRoot.entrySet()) {
            if (now - e.getValue().lastSeenNanos > retainNanos) {
                byRoot.remove(e.getKey(), e.getValue());
            }
        }
    }

    public int size() {
        return byRoot.size();
    }
}
