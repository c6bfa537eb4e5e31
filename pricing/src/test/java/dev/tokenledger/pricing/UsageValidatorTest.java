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

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class UsageValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final UsageValidator validator = new UsageValidator(1_000_000, Duration.ofMinutes(5));

    private static UsageEvent.Builder event() {
        return UsageEvent.newBuilder().setEventId("e1").setKind(UsageKind.COMPLETED).setOccurredAt(NOW)
                .setFeatureId("summarize").setRequestId("r1").setProvider("anthropic").setModel("claude-sonnet-4-5")
                .setInputTokens(100).setOutputTokens(50);
    }

    private void refused(UsageEvent e, DeadLetterReason reason, String mentions) {
        assertThatThrownBy(() -> validator.validate(e, NOW.toEpochMilli()))
                .isInstanceOf(InvalidUsageException.class).hasMessageContaining(mentions)
                .asInstanceOf(InstanceOfAssertFactories.type(InvalidUsageException.class))
                .extracting(InvalidUsageException::reason).isEqualTo(reason);
    }

    @Test
    void acceptsAWellFormedEventUpToTheSkewLimit() {
        assertThatCode(() -> validator.validate(event().setOccurredAt(NOW.plus(Duration.ofMinutes(5))).build(),
                NOW.toEpochMilli())).doesNotThrowAnyException();
    }

    @Test
    void refusesEachBrokenRuleNamingTheFieldAndValue() {
        refused(event().setFeatureId("").build(), DeadLetterReason.MISSING_FEATURE, "feature_id");
        refused(event().setEventId(" ").build(), DeadLetterReason.MISSING_EVENT_ID, "event_id");
        refused(event().setOutputTokens(-3).build(), DeadLetterReason.NEGATIVE_TOKENS, "output_tokens = -3");
        refused(event().setCacheReadTokens(1_000_001).build(), DeadLetterReason.ABSURD_TOKENS, "cache_read_tokens = 1000001");
        refused(event().setOtherTokens(Map.of("audio_input", -1L)).build(), DeadLetterReason.NEGATIVE_TOKENS,
                "other_tokens[audio_input]");
        refused(event().setOccurredAt(NOW.plus(Duration.ofMinutes(6))).build(), DeadLetterReason.FUTURE_EVENT, "ahead");
    }

    @Test
    void refusesBadCacheWriteRetentionsAndCountsNamingFieldAndValue() {
        refused(event().setCacheWriteTokens(Map.of("30min", 10L)).build(), DeadLetterReason.INVALID_CACHE_RETENTION,
                "cache_write_tokens[30min] = 10");
        refused(event().setCacheWriteTokens(Map.of("5m", 10L)).build(), DeadLetterReason.INVALID_CACHE_RETENTION,
                "cache_write_tokens[5m] = 10");
        refused(event().setCacheWriteTokens(Map.of("30m", -5L)).build(), DeadLetterReason.NEGATIVE_TOKENS,
                "cache_write_tokens[30m] = -5");
        refused(event().setCacheWriteTokens(Map.of("12h", 1_000_001L)).build(), DeadLetterReason.ABSURD_TOKENS,
                "cache_write_tokens[12h] = 1000001");
        assertThatCode(() -> validator.validate(event().setCacheWriteTokens(Map.of("30m", 10L, "12h", 20L, "24h", 1L)).build(),
                NOW.toEpochMilli())).doesNotThrowAnyException();
    }
}
