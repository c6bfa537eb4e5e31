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

import dev.tokenledger.avro.UsageEvent;

/**
 * The key of a record on {@value Topics#USAGE_TOPIC}: the event's <em>workflow key</em>, its
 * {@code root_request_id}, or its {@code request_id} when it has none.
 *
 * <p>Why: a producer retry or a spool re-send of an event carries the same root and request ids, so
 * with the default partitioner every copy of an event lands in the same partition, and so do all the
 * calls of one user action. Consumers can then deduplicate on {@code event_id} and sum a workflow's
 * cost inside the partition, with no repartition hop. Records keyed otherwise (producers older than
 * this contract keyed by {@code feature_id}) are still counted exactly: the aggregator re-keys those,
 * and only those, through a repartition topic ({@link #follows}).
 */
public final class UsageKeys {
    private UsageKeys() {
    }

    /** The key {@code event} is produced with: root_request_id, else request_id. */
    public static String keyOf(UsageEvent event) {
        CharSequence root = event.getRootRequestId();
        return root != null ? root.toString() : event.getRequestId().toString();
    }

    /** Whether a record keyed {@code key} follows the contract for {@code event}. */
    public static boolean follows(String key, UsageEvent event) {
        return key != null && key.equals(keyOf(event));
    }
}
