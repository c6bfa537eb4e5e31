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
 * apps: the aggregator's usage dedup (event_id), its adjustment dedup (adjustment_id) and the enforcer's dedup of both,
 * once per event or adjustment before its fan-out. An id is kept in a window store at the time it was seen and the
 * store's retention bounds how long: a repeat within {@code horizonMs} either side is found, a repeat later than that
 * is not. Usage events, whose copies carry the event's own occurred_at, are looked up at that time only
 * ({@link #firstAt}).
 *
 * <p>Needs kafka-streams on the classpath (a {@code provided} dependency of this module: only the Streams apps use it).
 */
public final class DedupWindow {
    private DedupWindow() {
    }

    /**
     * True the first time {@code key} is seen at exactly {@code at}, and then records it there; false for a repeat.
     * One point lookup in one segment (RocksDB's bloom filter answers most first times without a read), where
     * {@link #firstTime} seeks every segment of twice the horizon: for ids whose copies all carry the same time,
     * as every copy of a usage event carries its occurred_at (a retry or replay re-sends the record).
     */
    public static boolean firstAt(WindowStore<String, Long> seen, String key, long at) {
        if (seen.fetch(key, at) != null) {
            return false;
        }
        seen.put(key, at, at);
        return true;
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
