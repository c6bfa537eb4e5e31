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
package dev.tokenledger.schemas.streams;

import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * "Has this id been seen within the dedup horizon?" The one check behind every exactly-once-per-id rule of the Streams
 * apps: the aggregator's usage dedup (event_id), its adjustment dedup (adjustment_id) and the enforcer's per-scope dedup
 * of usage and adjustments. An id is kept in a window store at the time it was seen and the store's retention bounds
 * how long: a repeat within {@code horizonMs} either side is found, a repeat later than that is not.
 *
 * <p>Needs kafka-streams on the classpath (a {@code provided} dependency of this module: only the Streams apps use it).
 */
public final class DedupWindow {
    private DedupWindow() {
    }

    /**
     * True the first time {@code key} is seen within {@code horizonMs} around {@code at}, and then records it at
     * {@code at}; false for a repeat (nothing recorded).
     */
    public static boolean firstTime(WindowStore<String, Long> seen, String key, long at, long horizonMs) {
        try (WindowStoreIterator<Long> it = seen.fetch(key, at - horizonMs, at + horizonMs)) {
            if (it.hasNext()) {
                return false;
            }
        }
        seen.put(key, at, at);
        return true;
    }
}
