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
package dev.tokenledger.pricing;

/** Why a usage record went to {@code tokenledger.usage-dlq.v1} (header {@code tokenledger.dlq.reason}). */
public enum DeadLetterReason {
    /** The bytes are not a Confluent-framed Avro UsageEvent (bad magic byte, truncated, corrupt). */
    UNDECODABLE,
    /** The schema id in the frame is not known to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** A token count is below zero. */
    NEGATIVE_TOKENS,
    /** A token count exceeds {@code max.tokens.per.class}. */
    ABSURD_TOKENS,
    /** A key of cache_write_tokens is not a retention ({@code ^[1-9][0-9]*(m|h|d)$}) or is 5m / 1h (own fields). */
    INVALID_CACHE_RETENTION,
    /** feature_id is empty: cost that cannot be attributed is refused at the door. */
    MISSING_FEATURE,
    /** event_id is empty: the event could never be deduplicated. */
    MISSING_EVENT_ID,
    /** occurred_at is further in the future than {@code future.skew.limit.ms}. */
    FUTURE_EVENT,
    /** occurred_at is older than stream time minus {@code dedup.horizon.ms}: cannot be proven unique. */
    BEYOND_DEDUP_HORIZON,
    /** Any other failure while processing the record (a bug): kept with its bytes to be replayed. */
    PROCESSING_ERROR
}
