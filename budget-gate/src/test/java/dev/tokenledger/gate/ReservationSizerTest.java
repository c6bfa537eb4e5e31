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
package dev.tokenledger.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.OutputTokenStats;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.schemas.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservationSizerTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final PriceCatalog CATALOG = PriceCatalog.of(List.of(PriceEntry.newBuilder()
            .setEntryId("anthropic/claude-sonnet-4-5@2025-09-29").setProvider("anthropic").setModel("claude-sonnet-4-5")
            .setEffectiveFrom(Instant.parse("2025-09-29T00:00:00Z"))
            .setInputPerMtok(Money.of("3")).setOutputPerMtok(Money.of("15"))
            .setSourceUrl("https://example.test/pricing").setSourceReadOn(LocalDate.of(2026, 11, 23)).build()));

    private static OutputTokenStats stats(String feature, long samples, long p99) {
        return OutputTokenStats.newBuilder().setFeatureId(feature).setWindowStart(AT.minusSeconds(86_400)).setWindowEnd(AT)
                .setSampleCount(samples).setP50OutputTokens(p99 / 3).setP95OutputTokens(p99 * 9 / 10).setP99OutputTokens(p99)
                .setMaxOutputTokens(p99 * 2).setP99InputSideTokens(20_000).setUpdatedAt(AT).build();
    }

    @Test
    void aKnownP99SizesTheHoldInsteadOfMaxTokens() {
        OutputTokenSizes sizes = new OutputTokenSizes();
        ReservationSizer sizer = ReservationSizer.of(CATALOG, sizes);
        // no statistics yet: 20,000 x $3/M + 4,096 x $15/M = 0.06 + 0.06144
        assertThat(sizer.worstCase("summarize", "anthropic", "claude-sonnet-4-5", 20_000, 4_096, AT)).isEqualByComparingTo("0.12144");
        // too few samples to trust: still max_tokens
        sizes.onStats(stats("summarize", OutputTokenSizes.MIN_SAMPLES - 1, 600));
        assertThat(sizer.worstCase("summarize", "anthropic", "claude-sonnet-4-5", 20_000, 4_096, AT)).isEqualByComparingTo("0.12144");
        // p99 of 600 over 500 calls: 0.06 + 600 x $15/M = 0.06 + 0.009
        sizes.onStats(stats("summarize", 500, 600));
        assertThat(sizer.worstCase("summarize", "anthropic", "claude-sonnet-4-5", 20_000, 4_096, AT)).isEqualByComparingTo("0.069");
        // a p99 above max_tokens cannot happen for this call: max_tokens caps it
        sizes.onStats(stats("draft_email", 500, 9_000));
        assertThat(sizer.worstCase("draft_email", "anthropic", "claude-sonnet-4-5", 20_000, 4_096, AT)).isEqualByComparingTo("0.12144");
        // the feature-less form never uses statistics
        assertThat(sizer.worstCase("anthropic", "claude-sonnet-4-5", 20_000, 4_096, AT)).isEqualByComparingTo("0.12144");
    }

    @Test
    void anUnknownModelIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ReservationSizer.of(CATALOG, new OutputTokenSizes())
                .worstCase("summarize", "anthropic", "claude-sonet-4-5", 10, 10, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claude-sonet-4-5");
    }
}
