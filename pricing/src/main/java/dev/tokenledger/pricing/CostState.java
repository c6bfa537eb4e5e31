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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;

/**
 * What one usage event costs now: as first priced ({@link CostedUsage}) or, once re-priced, as its latest
 * {@link PriceAdjustment} left it. Answers "what would this event's cost move from?" for the re-pricing rule.
 *
 * @param lastAdjustmentId the adjustment this state comes from, null for the first pricing
 * @param sequence how many adjustments lead here (0 for the first pricing)
 * @param otherUsd the other classes (audio, image, ...), without other-retention cache writes
 * @param cacheWriteOtherUsd cache writes of retentions other than 5m and 1h
 */
public record CostState(String lastAdjustmentId, int sequence, BigDecimal originalUsd, String priceEntryId,
                        BigDecimal inputUsd, BigDecimal outputUsd, BigDecimal cacheWrite5mUsd, BigDecimal cacheWrite1hUsd,
                        BigDecimal cacheReadUsd, BigDecimal otherUsd, BigDecimal cacheWriteOtherUsd, BigDecimal cacheSavingsUsd,
                        BigDecimal totalUsd) {

    /** The event as first priced (or as priced now, when {@code costed} comes from the current catalog). */
    public static CostState of(CostedUsage costed) {
        return new CostState(null, 0, costed.getTotalCostUsd(), costed.getPriceEntryId(),
                costed.getCostInputUsd(), costed.getCostOutputUsd(), costed.getCostCacheWrite5mUsd(), costed.getCostCacheWrite1hUsd(),
                costed.getCostCacheReadUsd(), costed.getCostOtherUsd(), orZero(costed.getCostCacheWriteOtherUsd()),
                costed.getCacheSavingsUsd(), costed.getTotalCostUsd());
    }

    /** The event as its latest adjustment left it. */
    public static CostState after(PriceAdjustment a) {
        return new CostState(a.getAdjustmentId(), a.getSequence(), a.getOriginalCostUsd(), a.getNewPriceEntryId(),
                a.getNewCostInputUsd(), a.getNewCostOutputUsd(), a.getNewCostCacheWrite5mUsd(), a.getNewCostCacheWrite1hUsd(),
                a.getNewCostCacheReadUsd(), a.getNewCostOtherUsd(), a.getNewCostCacheWriteOtherUsd(), a.getNewCacheSavingsUsd(),
                a.getNewCostUsd());
    }

    /** Whether every class costs the same in both (the entry id may differ: same rates move nothing). */
    public boolean sameCosts(CostState o) {
        return same(inputUsd, o.inputUsd) && same(outputUsd, o.outputUsd) && same(cacheWrite5mUsd, o.cacheWrite5mUsd)
                && same(cacheWrite1hUsd, o.cacheWrite1hUsd) && same(cacheReadUsd, o.cacheReadUsd) && same(otherUsd, o.otherUsd)
                && same(cacheWriteOtherUsd, o.cacheWriteOtherUsd) && same(totalUsd, o.totalUsd);
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) == 0;
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? Money.ZERO : v;
    }
}
