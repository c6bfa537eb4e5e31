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

import static dev.tokenledger.pricing.Fixtures.entry;
import static dev.tokenledger.pricing.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The re-pricing rule: a long-context tier that was missing from a model's entry is added from 2026-11-10.
 * Amounts recomputed by hand: 300,000 input and 1,000 output tokens cost 0.3 x $3 + 0.001 x $15 = $0.915 without
 * the tier and 0.3 x $6 + 0.001 x $22.50 = $1.8225 with it (the whole request above 200K at tier rates).
 */
class RepriceRuleTest {
    private static final PriceEntry WITHOUT_TIER = entry("acme", "big-1", "2026-11-01", "3", "15").build();
    private static final PriceEntry WITH_TIER = entry("acme", "big-1", "2026-11-10", "3", "15")
            .setLongContext(LongContextTier.newBuilder().setThresholdTokens(200_000)
                    .setInputPerMtok(new BigDecimal("6")).setOutputPerMtok(new BigDecimal("22.5")).build())
            .build();
    private static final PriceCatalog BEFORE = PriceCatalog.of(Fixtures.list(WITHOUT_TIER));
    private static final PriceCatalog AFTER = PriceCatalog.of(Fixtures.list(WITHOUT_TIER, WITH_TIER));
    private static final RepriceRule.Audit AUDIT = new RepriceRule.Audit("tier added", "run-1", Instant.parse("2026-12-05T06:00:00Z"), "maria");

    private static UsageEvent big(String day) {
        return event("acme", "big-1", Instant.parse(day + "T10:00:00Z")).setInputTokens(300_000).setOutputTokens(1_000).build();
    }

    private static CostState firstPrice(UsageEvent e) {
        final CostedUsage costed = UsagePricer.price(e, BEFORE, Instant.parse("2026-11-30T00:00:00Z"));
        return CostState.of(costed);
    }

    @Test
    void theDeltaIsTheNewPriceMinusTheCurrentOnePerClassAndInTotal() {
        final UsageEvent e = big("2026-11-15");
        final PriceAdjustment a = RepriceRule.adjust(e, firstPrice(e), AFTER, AUDIT).orElseThrow();

        assertThat(a.getOriginalCostUsd()).isEqualByComparingTo("0.915");
        assertThat(a.getPreviousCostUsd()).isEqualByComparingTo("0.915");
        assertThat(a.getNewCostUsd()).isEqualByComparingTo("1.8225");
        assertThat(a.getDeltaUsd()).isEqualByComparingTo("0.9075");
        assertThat(a.getDeltaCostInputUsd()).isEqualByComparingTo("0.9");
        assertThat(a.getDeltaCostOutputUsd()).isEqualByComparingTo("0.0075");
        assertThat(a.getDeltaCostCacheReadUsd()).isEqualByComparingTo("0");
        assertThat(a.getPreviousPriceEntryId()).isEqualTo("acme/big-1@2026-11-01");
        assertThat(a.getNewPriceEntryId()).isEqualTo("acme/big-1@2026-11-10");
        assertThat(a.getNewLongContextApplied()).as("the added tier priced the whole request: the warehouse's likely cause reads it").isTrue();
        assertThat(a.getSequence()).isEqualTo(1);
        assertThat(a.getPreviousAdjustmentId()).isNull();
        assertThat(a.getReason()).isEqualTo("tier added");
        assertThat(a.getAdjustedBy()).isEqualTo("maria");
        assertThat(a.getEvent()).isEqualTo(e);
    }

    @Test
    void theIdDependsOnWhatMovesNotOnWhenOrWhoSoARerunGetsTheSameOne() {
        final UsageEvent e = big("2026-11-15");
        final PriceAdjustment first = RepriceRule.adjust(e, firstPrice(e), AFTER, AUDIT).orElseThrow();
        final PriceAdjustment rerun = RepriceRule.adjust(e, firstPrice(e), AFTER,
                new RepriceRule.Audit(null, "run-2", Instant.parse("2026-12-06T09:00:00Z"), "li")).orElseThrow();

        assertThat(rerun.getAdjustmentId()).isEqualTo(first.getAdjustmentId()).startsWith("adj-").hasSize(4 + 32);
        assertThat(RepriceRule.adjust(big("2026-11-16"), firstPrice(big("2026-11-16")), AFTER, AUDIT).orElseThrow().getAdjustmentId())
                .as("another event").isNotEqualTo(first.getAdjustmentId());
    }

    @Test
    void noAdjustmentWhenTheCostDoesNotChangeEvenUnderANewEntry() {
        final UsageEvent small = event("acme", "big-1", Instant.parse("2026-11-15T10:00:00Z")).setInputTokens(100_000).setOutputTokens(1_000).build();

        assertThat(UsagePricer.price(small, AFTER, Instant.now()).getPriceEntryId()).isEqualTo("acme/big-1@2026-11-10");
        assertThat(RepriceRule.adjust(small, firstPrice(small), AFTER, AUDIT)).isEmpty();
    }

    @Test
    void anEventIsRepricedByTheEntryInForceAtItsOccurredAt() {
        final UsageEvent beforeTheTier = big("2026-11-05");

        assertThat(RepriceRule.adjust(beforeTheTier, firstPrice(beforeTheTier), AFTER, AUDIT)).isEmpty();
    }

    @Test
    void aSecondCorrectionStartsFromTheFirstAdjustmentAndARepeatMovesNothing() {
        final UsageEvent e = big("2026-11-15");
        final PriceAdjustment first = RepriceRule.adjust(e, firstPrice(e), AFTER, AUDIT).orElseThrow();

        assertThat(RepriceRule.adjust(e, CostState.after(first), AFTER, AUDIT)).as("same catalog again").isEmpty();

        final PriceEntry cut = PriceEntry.newBuilder(WITH_TIER).setLongContext(LongContextTier.newBuilder(WITH_TIER.getLongContext())
                .setInputPerMtok(new BigDecimal("5")).build()).build();
        final Optional<PriceAdjustment> second = RepriceRule.adjust(e, CostState.after(first),
                PriceCatalog.of(Fixtures.list(WITHOUT_TIER, cut)), AUDIT);

        assertThat(second).isPresent();
        assertThat(second.get().getSequence()).isEqualTo(2);
        assertThat(second.get().getPreviousAdjustmentId()).isEqualTo(first.getAdjustmentId());
        assertThat(second.get().getOriginalCostUsd()).isEqualByComparingTo("0.915");
        assertThat(second.get().getPreviousCostUsd()).isEqualByComparingTo("1.8225");
        // 0.3 x $5 + 0.001 x $22.50 = $1.5225
        assertThat(second.get().getNewCostUsd()).isEqualByComparingTo("1.5225");
        assertThat(second.get().getDeltaUsd()).isEqualByComparingTo("-0.3");
        assertThat(second.get().getAdjustmentId()).isNotEqualTo(first.getAdjustmentId());
    }
}
