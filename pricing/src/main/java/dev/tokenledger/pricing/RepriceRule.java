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
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Optional;

/**
 * "Does this event cost something else at today's catalog, and by how much?" Re-prices one event with the
 * same pricer the aggregator and the enforcer use, by the entry in force at its {@code occurred_at}, and
 * answers the {@link PriceAdjustment} that moves its current cost ({@link CostState}) to the new one, or
 * nothing when every class costs the same.
 *
 * <p>The adjustment id is a hash of what the adjustment moves from and to (event, previous adjustment, new
 * entry, new total), never of when it was made: a rerun that starts from the same state publishes the
 * same id, which consumers apply once; a later correction starts from a new state and gets a new id.
 */
public final class RepriceRule {
    /** Prefix of every adjustment id. */
    public static final String ID_PREFIX = "adj-";

    /** Why, when and by whom: the audit fields every adjustment of one run carries. */
    public record Audit(String reason, String runId, Instant at, String by) {
    }

    private RepriceRule() {
    }

    /**
     * The adjustment of {@code event} from {@code current} to its price at {@code catalog}, or empty when the cost
     * does not change. An event the catalog still has no entry for is re-priced as UNPRICED (cost zero), which is a
     * change only if it was priced before (an entry retired since).
     */
    public static Optional<PriceAdjustment> adjust(UsageEvent event, CostState current, PriceCatalog catalog, Audit audit) {
        final CostedUsage repriced = UsagePricer.price(event, catalog, audit.at());
        final CostState next = CostState.of(repriced);
        if (next.sameCosts(current)) {
            return Optional.empty();
        }
        final String entry = next.priceEntryId();
        final String reason = audit.reason() != null && !audit.reason().isBlank() ? audit.reason()
                : "re-priced by the entry in force at occurred_at: " + orNone(current.priceEntryId()) + " -> " + orNone(entry);
        return Optional.of(PriceAdjustment.newBuilder()
                .setAdjustmentId(adjustmentId(event.getEventId(), current.lastAdjustmentId(), entry, next.totalUsd()))
                .setSequence(current.sequence() + 1)
                .setPreviousAdjustmentId(current.lastAdjustmentId())
                .setEvent(event)
                .setOriginalCostUsd(current.originalUsd())
                .setPreviousCostUsd(current.totalUsd())
                .setNewCostUsd(next.totalUsd())
                .setDeltaUsd(minus(next.totalUsd(), current.totalUsd()))
                .setDeltaCostInputUsd(minus(next.inputUsd(), current.inputUsd()))
                .setDeltaCostOutputUsd(minus(next.outputUsd(), current.outputUsd()))
                .setDeltaCostCacheWrite5mUsd(minus(next.cacheWrite5mUsd(), current.cacheWrite5mUsd()))
                .setDeltaCostCacheWrite1hUsd(minus(next.cacheWrite1hUsd(), current.cacheWrite1hUsd()))
                .setDeltaCostCacheReadUsd(minus(next.cacheReadUsd(), current.cacheReadUsd()))
                .setDeltaCostOtherUsd(minus(next.otherUsd(), current.otherUsd()))
                .setDeltaCostCacheWriteOtherUsd(minus(next.cacheWriteOtherUsd(), current.cacheWriteOtherUsd()))
                .setDeltaCacheSavingsUsd(minus(next.cacheSavingsUsd(), current.cacheSavingsUsd()))
                .setNewCostInputUsd(next.inputUsd())
                .setNewCostOutputUsd(next.outputUsd())
                .setNewCostCacheWrite5mUsd(next.cacheWrite5mUsd())
                .setNewCostCacheWrite1hUsd(next.cacheWrite1hUsd())
                .setNewCostCacheReadUsd(next.cacheReadUsd())
                .setNewCostOtherUsd(next.otherUsd())
                .setNewCostCacheWriteOtherUsd(next.cacheWriteOtherUsd())
                .setNewCacheSavingsUsd(next.cacheSavingsUsd())
                .setNewPricingStatus(repriced.getPricingStatus().name())
                .setNewLongContextApplied(repriced.getLongContextApplied())
                .setNewPricingNotes(new ArrayList<>(repriced.getPricingNotes()))
                .setPreviousPriceEntryId(current.priceEntryId())
                .setNewPriceEntryId(entry)
                .setReason(reason)
                .setRunId(audit.runId())
                .setAdjustedAt(audit.at())
                .setAdjustedBy(audit.by())
                .build());
    }

    /** {@code adj-} + the first 128 bits of SHA-256 over event id, previous adjustment id, new entry id and new total. */
    public static String adjustmentId(String eventId, String previousAdjustmentId, String newEntryId, BigDecimal newTotal) {
        final String basis = eventId + '\n' + orNone(previousAdjustmentId) + '\n' + orNone(newEntryId) + '\n'
                + Money.toScale(newTotal).toPlainString();
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static BigDecimal minus(BigDecimal a, BigDecimal b) {
        return Money.toScale(a.subtract(b));
    }

    private static String orNone(String s) {
        return s == null ? "-" : s;
    }
}
