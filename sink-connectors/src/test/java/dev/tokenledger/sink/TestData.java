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
package dev.tokenledger.sink;

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.CostLine;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for the records the sink reads, with exact decimal costs. */
public final class TestData {
    private TestData() {
    }

    /** A plain COMPLETED call priced at the given USD-per-million rates (input, output, cache read). */
    public static CostedUsage costed(String eventId, Instant at, String feature, String tenant, String plan, String model,
                                     long input, long output, long cacheRead,
                                     String inputRate, String outputRate, String cacheReadRate) {
        BigDecimal in = Money.costOf(input, new BigDecimal(inputRate));
        BigDecimal out = Money.costOf(output, new BigDecimal(outputRate));
        BigDecimal cr = Money.costOf(cacheRead, new BigDecimal(cacheReadRate));
        BigDecimal savings = Money.toScale(Money.costOf(cacheRead, new BigDecimal(inputRate)).subtract(cr));
        UsageEvent event = UsageEvent.newBuilder()
                .setEventId(eventId).setKind(UsageKind.COMPLETED).setOccurredAt(at)
                .setFeatureId(feature).setTenantId(tenant).setUserId("u-" + eventId).setPlanTier(plan)
                .setRequestId("req-" + eventId).setRootRequestId("root-" + eventId)
                .setProvider("anthropic").setModel(model)
                .setInputTokens(input).setOutputTokens(output).setCacheReadTokens(cacheRead)
                .build();
        return CostedUsage.newBuilder()
                .setEvent(event).setPricingStatus(PricingStatus.PRICED)
                .setCostInputUsd(in).setCostOutputUsd(out).setCostCacheWrite5mUsd(Money.ZERO).setCostCacheWrite1hUsd(Money.ZERO)
                .setCostCacheReadUsd(cr).setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.toScale(in.add(out).add(cr)))
                .setCacheSavingsUsd(savings).setMultiplier(Money.ONE)
                .setPriceEntryId("anthropic/" + model).setPricedAt(at.plusMillis(5))
                .build();
    }

    /**
     * A re-pricing adjustment of {@code c} that moves its input cost from {@code previousInput} to {@code newInput} (every
     * other class unchanged), as {@code tokenledger reprice} publishes it.
     */
    public static PriceAdjustment adjustment(CostedUsage c, String id, int sequence, String previousId, BigDecimal previousInput,
                                             BigDecimal newInput) {
        BigDecimal others = c.getTotalCostUsd().subtract(c.getCostInputUsd());
        BigDecimal previous = Money.toScale(others.add(previousInput));
        BigDecimal next = Money.toScale(others.add(newInput));
        return PriceAdjustment.newBuilder()
                .setAdjustmentId(id).setSequence(sequence).setPreviousAdjustmentId(previousId).setEvent(c.getEvent())
                .setOriginalCostUsd(c.getTotalCostUsd()).setPreviousCostUsd(previous).setNewCostUsd(next)
                .setDeltaUsd(Money.toScale(next.subtract(previous)))
                .setDeltaCostInputUsd(Money.toScale(newInput.subtract(previousInput))).setDeltaCostOutputUsd(Money.ZERO)
                .setDeltaCostCacheWrite5mUsd(Money.ZERO).setDeltaCostCacheWrite1hUsd(Money.ZERO).setDeltaCostCacheReadUsd(Money.ZERO)
                .setDeltaCostOtherUsd(Money.ZERO).setDeltaCostCacheWriteOtherUsd(Money.ZERO).setDeltaCacheSavingsUsd(Money.ZERO)
                .setNewCostInputUsd(Money.toScale(newInput)).setNewCostOutputUsd(c.getCostOutputUsd())
                .setNewCostCacheWrite5mUsd(c.getCostCacheWrite5mUsd()).setNewCostCacheWrite1hUsd(c.getCostCacheWrite1hUsd())
                .setNewCostCacheReadUsd(c.getCostCacheReadUsd()).setNewCostOtherUsd(c.getCostOtherUsd())
                .setNewCostCacheWriteOtherUsd(Money.ZERO).setNewCacheSavingsUsd(c.getCacheSavingsUsd())
                .setNewPricingStatus("PRICED").setPreviousPriceEntryId(c.getPriceEntryId()).setNewPriceEntryId(c.getPriceEntryId() + "@fixed")
                .setReason("input rate corrected").setRunId("run-1").setAdjustedAt(c.getPricedAt().plusSeconds(3600)).setAdjustedBy("maria")
                .build();
    }

    /** A call whose total and savings are given directly (for the hand-computed view tests). */
    public static CostedUsage costedTotal(String eventId, Instant at, String feature, String tenant, String plan, String model,
                                          String root, long input, long output, long cacheRead, long cacheWrite5m,
                                          String total, String savings) {
        UsageEvent event = UsageEvent.newBuilder()
                .setEventId(eventId).setKind(UsageKind.COMPLETED).setOccurredAt(at)
                .setFeatureId(feature).setTenantId(tenant).setPlanTier(plan)
                .setRequestId("req-" + eventId).setRootRequestId(root)
                .setProvider("anthropic").setModel(model)
                .setInputTokens(input).setOutputTokens(output).setCacheReadTokens(cacheRead).setCacheWrite5mTokens(cacheWrite5m)
                .build();
        return CostedUsage.newBuilder()
                .setEvent(event).setPricingStatus(PricingStatus.PRICED)
                .setCostInputUsd(Money.of(total)).setCostOutputUsd(Money.ZERO).setCostCacheWrite5mUsd(Money.ZERO)
                .setCostCacheWrite1hUsd(Money.ZERO).setCostCacheReadUsd(Money.ZERO).setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.of(total)).setCacheSavingsUsd(Money.of(savings)).setMultiplier(Money.ONE)
                .setPriceEntryId("p").setPricedAt(at)
                .build();
    }

    /** A record with every field set to a distinct, non-default value. */
    public static CostedUsage everyField() {
        UsageEvent event = UsageEvent.newBuilder()
                .setEventId("evt-1").setKind(UsageKind.STREAM_TERMINATED).setOccurredAt(Instant.parse("2026-03-05T10:15:30.123Z"))
                .setFeatureId("summarize_email_v2").setTenantId("tenant_acme").setUserId("user_42").setPlanTier("pro")
                .setRequestId("req-1").setRootRequestId("root-1").setParentRequestId("parent-1").setAttempt(2)
                .setEnvironment("staging").setProvider("anthropic").setModel("claude-sonnet-4-6-20260101")
                .setModelRequested("claude-sonnet-4-6")
                .setInputTokens(1000).setOutputTokens(300).setReasoningTokens(120)
                .setCacheWrite5mTokens(2000).setCacheWrite1hTokens(500).setCacheReadTokens(12000)
                .setOtherTokens(Map.of("audio_input", 40L, "image_input", 2L))
                .setServiceTier("priority").setBatch(true).setRegion("eu").setLatencyMs(1234L).setErrorClass("timeout")
                .setReservationId("res-9").setTerminationReason(StreamTerminationReason.BUDGET_CEILING)
                .setGeneratedOutputTokens(300L).setUsageSource(UsageSource.COUNTED).setTags(Map.of("step", "draft", "exp", "b"))
                .build();
        return CostedUsage.newBuilder()
                .setEvent(event).setPricingStatus(PricingStatus.PRICED)
                .setCostInputUsd(Money.of("0.003")).setCostOutputUsd(Money.of("0.0045"))
                .setCostCacheWrite5mUsd(Money.of("0.0075")).setCostCacheWrite1hUsd(Money.of("0.003"))
                .setCostCacheReadUsd(Money.of("0.0036")).setCostOtherUsd(Money.of("0.000000123456"))
                .setTotalCostUsd(Money.of("0.021600123456"))
                .setOtherCosts(List.of(new CostLine("audio_input", 40L, Money.of("3.0864"), Money.of("0.000123456"))))
                .setCacheSavingsUsd(Money.of("0.0324")).setLongContextApplied(true).setMultiplier(Money.of("1.1"))
                .setPriceEntryId("anthropic/claude-sonnet-4-6@2026-01-01").setPriceEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .setPriceSourceUrl("https://www.anthropic.com/pricing").setPricedAt(Instant.parse("2026-03-05T10:15:31Z"))
                .build();
    }

    public static SpendAggregate spend(SpendDimension dimension, String key, SpendWindow window, Instant start, Instant end,
                                       long requests, String total, Instant updatedAt) {
        return SpendAggregate.newBuilder()
                .setDimension(dimension).setDimensionKey(key).setWindow(window).setWindowStart(start).setWindowEnd(end)
                .setInputTokens(requests * 10).setOutputTokens(requests * 3).setReasoningTokens(requests)
                .setCacheWrite5mTokens(requests * 2).setCacheWrite1hTokens(requests).setCacheReadTokens(requests * 7)
                .setOtherTokens(Map.of("audio_input", requests))
                .setCostInputUsd(Money.of(total)).setCostOutputUsd(Money.ZERO).setCostCacheWrite5mUsd(Money.ZERO)
                .setCostCacheWrite1hUsd(Money.ZERO).setCostCacheReadUsd(Money.ZERO).setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.of(total)).setCacheSavingsUsd(Money.of("0.5"))
                .setRequestCount(requests).setErrorCount(1).setStreamTerminatedCount(2).setUnpricedCount(3)
                .setUpdatedAt(updatedAt)
                .build();
    }

    public static BudgetDecision decision(String id, Instant at, String scopeKey, BudgetStatus status, boolean enforced,
                                          String reason, String reserveDelta) {
        return BudgetDecision.newBuilder()
                .setDecisionId(id).setScopeKey(scopeKey).setBudgetId("budget-" + scopeKey).setFeatureId("draft_email")
                .setTenantId("tenant_acme").setModel("claude-opus-4-5").setModelTier("flagship")
                .setDecision(status).setEnforced(enforced).setReasonCode(reason)
                .setPeriodStart(Instant.parse("2026-03-01T00:00:00Z")).setPeriodEnd(Instant.parse("2026-04-01T00:00:00Z"))
                .setLimitUsd(Money.of("100")).setSpentUsd(Money.of("99.5")).setReservedUsd(Money.of("0.4"))
                .setReserveDeltaUsd(Money.of(reserveDelta)).setRequestId("req-" + id).setParentRequestId("parent-" + id)
                .setRootRequestId("root-" + id).setReservationId("res-" + id).setSource("gate:g1")
                .setMessage("Budget " + scopeKey + " exhausted").setDecidedAt(at)
                .build();
    }

    public static BudgetAlert alert(String scopeKey, int threshold, Instant at) {
        return BudgetAlert.newBuilder()
                .setAlertId(scopeKey + "|2026-03-01T00:00:00Z|" + threshold).setScopeKey(scopeKey).setBudgetId("budget-" + scopeKey)
                .setScope(BudgetScope.FEATURE).setFeatureId("draft_email").setTenantId(null).setThresholdPct(threshold)
                .setLimitUsd(Money.of("100")).setSpentUsd(Money.of(String.valueOf(threshold))).setStatus(
                        threshold >= 100 ? BudgetStatus.DENY : BudgetStatus.WARN)
                .setMode(BudgetMode.ENFORCE)
                .setPeriodStart(Instant.parse("2026-03-01T00:00:00Z")).setPeriodEnd(Instant.parse("2026-04-01T00:00:00Z"))
                .setRaisedAt(at).setMessage(scopeKey + " crossed " + threshold + " %")
                .build();
    }
}
