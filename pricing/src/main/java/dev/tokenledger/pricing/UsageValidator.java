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

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.CacheRetention;
import java.time.Duration;
import java.util.Map;

/**
 * The admission rules of a usage event, without Kafka: a feature tag and an event id are required,
 * every token count lies in [0, maxTokensPerClass], and the event is not further in the future than
 * the skew limit. The aggregator and the budget enforcer apply the same rules. A violation throws {@link InvalidUsageException} naming the field and its value.
 */
public final class UsageValidator {
    private final long maxTokensPerClass;
    private final long futureSkewMs;

    public UsageValidator(long maxTokensPerClass, Duration futureSkewLimit) {
        this.maxTokensPerClass = maxTokensPerClass;
        this.futureSkewMs = futureSkewLimit.toMillis();
    }

    /** Checks {@code event} against the rules, {@code nowMs} being the caller's clock (aggregator or enforcer). */
    public void validate(UsageEvent event, long nowMs) {
        if (event.getEventId() == null || event.getEventId().isBlank()) {
            throw new InvalidUsageException(DeadLetterReason.MISSING_EVENT_ID,
                    "event_id is empty: the event cannot be deduplicated; the producer agent must set it");
        }
        if (event.getFeatureId() == null || event.getFeatureId().isBlank()) {
            throw new InvalidUsageException(DeadLetterReason.MISSING_FEATURE,
                    "feature_id is empty on event " + event.getEventId() + ": every call must be tagged with a feature");
        }
        tokens("input_tokens", event.getInputTokens(), event);
        tokens("output_tokens", event.getOutputTokens(), event);
        tokens("reasoning_tokens", event.getReasoningTokens(), event);
        tokens("cache_write_5m_tokens", event.getCacheWrite5mTokens(), event);
        tokens("cache_write_1h_tokens", event.getCacheWrite1hTokens(), event);
        tokens("cache_read_tokens", event.getCacheReadTokens(), event);
        for (Map.Entry<String, Long> other : event.getOtherTokens().entrySet()) {
            tokens("other_tokens[" + other.getKey() + "]", other.getValue(), event);
        }
        if (event.getCacheWriteTokens() != null) {
            for (Map.Entry<String, Long> write : event.getCacheWriteTokens().entrySet()) {
                final String problem = CacheRetention.problemAsMapKey(write.getKey());
                if (problem != null) {
                    throw new InvalidUsageException(DeadLetterReason.INVALID_CACHE_RETENTION, "cache_write_tokens["
                            + write.getKey() + "] = " + write.getValue() + " on event " + event.getEventId() + ": " + problem);
                }
                tokens("cache_write_tokens[" + write.getKey() + "]", write.getValue(), event);
            }
        }
        if (event.getGeneratedOutputTokens() != null) {
            tokens("generated_output_tokens", event.getGeneratedOutputTokens(), event);
        }
        long occurred = event.getOccurredAt().toEpochMilli();
        if (occurred > nowMs + futureSkewMs) {
            throw new InvalidUsageException(DeadLetterReason.FUTURE_EVENT,
                    "occurred_at " + event.getOccurredAt() + " of event " + event.getEventId() + " is "
                            + Duration.ofMillis(occurred - nowMs) + " ahead of the consumer's clock (limit "
                            + Duration.ofMillis(futureSkewMs) + "): fix the producer's clock");
        }
    }

    private void tokens(String field, long value, UsageEvent event) {
        if (value < 0) {
            throw new InvalidUsageException(DeadLetterReason.NEGATIVE_TOKENS,
                    field + " = " + value + " on event " + event.getEventId() + " is negative");
        }
        if (value > maxTokensPerClass) {
            throw new InvalidUsageException(DeadLetterReason.ABSURD_TOKENS,
                    field + " = " + value + " on event " + event.getEventId() + " exceeds the limit of "
                            + maxTokensPerClass + " tokens per class (max.tokens.per.class)");
        }
    }
}
