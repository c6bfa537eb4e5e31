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
import dev.tokenledger.avro.CostLine;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.UsageEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps each TokenLedger record to a warehouse row (column name to JDBC value). Pure functions:
 * no Kafka, no JDBC. Every Avro field lands in a column; maps and arrays as JSON text.
 */
public final class RowMappers {
    private RowMappers() {
    }

    /** A {@link CostedUsage} as a {@code usage_log} row; topic/partition/offset say where it came from. */
    public static Map<String, Object> usageLog(CostedUsage costed, String topic, Integer partition, Long offset) {
        UsageEvent e = costed.getEvent();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("event_id", str(e.getEventId()));
        row.put("timestamp", ts(e.getOccurredAt()));
        row.put("kind", name(e.getKind()));
        row.put("feature_id", str(e.getFeatureId()));
        row.put("tenant_id", str(e.getTenantId()));
        row.put("user_id", str(e.getUserId()));
        row.put("plan_tier", str(e.getPlanTier()));
        row.put("request_id", str(e.getRequestId()));
        row.put("root_request_id", str(e.getRootRequestId()));
        row.put("parent_request_id", str(e.getParentRequestId()));
        row.put("attempt", e.getAttempt());
        row.put("environment", str(e.getEnvironment()));
        row.put("provider", str(e.getProvider()));
        row.put("model", str(e.getModel()));
        row.put("model_requested", str(e.getModelRequested()));
        row.put("cached_input_tokens", e.getCacheReadTokens());
        row.put("input_tokens", e.getInputTokens());
        row.put("output_tokens", e.getOutputTokens());
        row.put("reasoning_tokens", e.getReasoningTokens());
        row.put("cache_write_5m_tokens", e.getCacheWrite5mTokens());
        row.put("cache_write_1h_tokens", e.getCacheWrite1hTokens());
        row.put("cache_read_tokens", e.getCacheReadTokens());
        row.put("other_tokens", sum(e.getOtherTokens()));
        row.put("other_tokens_json", WarehouseJson.write(stringKeys(e.getOtherTokens())));
        row.put("service_tier", str(e.getServiceTier()));
        row.put("batch", e.getBatch());
        row.put("region", str(e.getRegion()));
        row.put("latency_ms", e.getLatencyMs());
        row.put("error", str(e.getErrorClass()));
        row.put("reservation_id", str(e.getReservationId()));
        row.put("termination_reason", name(e.getTerminationReason()));
        row.put("generated_output_tokens", e.getGeneratedOutputTokens());
        row.put("usage_source", name(e.getUsageSource()));
        row.put("tags_json", WarehouseJson.write(stringKeys(e.getTags())));
        row.put("pricing_status", name(costed.getPricingStatus()));
        row.put("cost_input_usd", costed.getCostInputUsd());
        row.put("cost_output_usd", costed.getCostOutputUsd());
        row.put("cost_cache_write_5m_usd", costed.getCostCacheWrite5mUsd());
        row.put("cost_cache_write_1h_usd", costed.getCostCacheWrite1hUsd());
        row.put("cost_cache_read_usd", costed.getCostCacheReadUsd());
        row.put("cost_other_usd", costed.getCostOtherUsd());
        row.put("total_cost_usd", costed.getTotalCostUsd());
        row.put("cache_savings_usd", costed.getCacheSavingsUsd());
        List<Object> lines = new ArrayList<>();
        for (CostLine line : costed.getOtherCosts()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("token_class", str(line.getTokenClass()));
            l.put("tokens", line.getTokens());
            l.put("rate_per_mtok", line.getRatePerMtok());
            l.put("cost_usd", line.getCostUsd());
            lines.add(l);
        }
        row.put("other_costs_json", WarehouseJson.write(lines));
        row.put("long_context_applied", costed.getLongContextApplied());
        row.put("multiplier", costed.getMultiplier());
        row.put("price_entry_id", str(costed.getPriceEntryId()));
        row.put("price_effective_from", ts(costed.getPriceEffectiveFrom()));
        row.put("price_source_url", str(costed.getPriceSourceUrl()));
        row.put("priced_at", ts(costed.getPricedAt()));
        row.put("kafka_topic", topic);
        row.put("kafka_partition", partition);
        row.put("kafka_offset", offset);
        row.put("cache_write_other_tokens", sum(e.getCacheWriteTokens()));
        row.put("cache_write_tokens_json", WarehouseJson.write(stringKeys(e.getCacheWriteTokens())));
        row.put("cost_cache_write_other_usd", costed.getCostCacheWriteOtherUsd());
        row.put("cache_write_costs_json", WarehouseJson.write(stringKeys(costed.getCacheWriteCosts())));
        List<String> notes = new ArrayList<>();
        costed.getPricingNotes().forEach(n -> notes.add(n.toString()));
        row.put("pricing_notes", WarehouseJson.write(notes));
        row.put("original_cost_usd", costed.getTotalCostUsd());
        row.put("original_price_entry_id", str(costed.getPriceEntryId()));
        // The sink's write step re-applies the event's latest adjustment (AdjustmentTrail), so a replayed row keeps it.
        row.put("adjusted_by", null);
        return row;
    }

    /** A {@link PriceAdjustment} as a {@code usage_adjustments} row. */
    public static Map<String, Object> usageAdjustment(PriceAdjustment a) {
        UsageEvent e = a.getEvent();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("adjustment_id", str(a.getAdjustmentId()));
        row.put("event_id", str(e.getEventId()));
        row.put("adjustment_seq", a.getSequence());
        row.put("previous_adjustment_id", str(a.getPreviousAdjustmentId()));
        row.put("timestamp", ts(e.getOccurredAt()));
        row.put("feature_id", str(e.getFeatureId()));
        row.put("tenant_id", str(e.getTenantId()));
        row.put("user_id", str(e.getUserId()));
        row.put("plan_tier", str(e.getPlanTier()));
        row.put("root_request_id", str(e.getRootRequestId()));
        row.put("environment", str(e.getEnvironment()));
        row.put("provider", str(e.getProvider()));
        row.put("model", str(e.getModel()));
        row.put("original_cost_usd", a.getOriginalCostUsd());
        row.put("previous_cost_usd", a.getPreviousCostUsd());
        row.put("new_cost_usd", a.getNewCostUsd());
        row.put("delta_usd", a.getDeltaUsd());
        row.put("delta_cost_input_usd", a.getDeltaCostInputUsd());
        row.put("delta_cost_output_usd", a.getDeltaCostOutputUsd());
        row.put("delta_cost_cache_write_5m_usd", a.getDeltaCostCacheWrite5mUsd());
        row.put("delta_cost_cache_write_1h_usd", a.getDeltaCostCacheWrite1hUsd());
        row.put("delta_cost_cache_read_usd", a.getDeltaCostCacheReadUsd());
        row.put("delta_cost_other_usd", a.getDeltaCostOtherUsd());
        row.put("delta_cost_cache_write_other_usd", a.getDeltaCostCacheWriteOtherUsd());
        row.put("new_cost_input_usd", a.getNewCostInputUsd());
        row.put("new_cost_output_usd", a.getNewCostOutputUsd());
        row.put("new_cost_cache_write_5m_usd", a.getNewCostCacheWrite5mUsd());
        row.put("new_cost_cache_write_1h_usd", a.getNewCostCacheWrite1hUsd());
        row.put("new_cost_cache_read_usd", a.getNewCostCacheReadUsd());
        row.put("new_cost_other_usd", a.getNewCostOtherUsd());
        row.put("new_cost_cache_write_other_usd", a.getNewCostCacheWriteOtherUsd());
        row.put("new_cache_savings_usd", a.getNewCacheSavingsUsd());
        row.put("new_pricing_status", str(a.getNewPricingStatus()));
        List<String> notes = new ArrayList<>();
        a.getNewPricingNotes().forEach(n -> notes.add(n.toString()));
        row.put("new_pricing_notes", WarehouseJson.write(notes));
        row.put("previous_price_entry_id", str(a.getPreviousPriceEntryId()));
        row.put("new_price_entry_id", str(a.getNewPriceEntryId()));
        row.put("new_long_context_applied", a.getNewLongContextApplied());
        row.put("reason", str(a.getReason()));
        row.put("run_id", str(a.getRunId()));
        row.put("adjusted_at", ts(a.getAdjustedAt()));
        row.put("adjusted_by", str(a.getAdjustedBy()));
        return row;
    }

    /** A {@link SpendAggregate} as a {@code spend_rollup} row. */
    public static Map<String, Object> spendRollup(SpendAggregate a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dimension", name(a.getDimension()));
        row.put("dimension_key", str(a.getDimensionKey()));
        row.put("window_kind", name(a.getWindow()));
        row.put("window_start", ts(a.getWindowStart()));
        row.put("window_end", ts(a.getWindowEnd()));
        row.put("time_zone", str(a.getTimeZone()));
        row.put("input_tokens", a.getInputTokens());
        row.put("output_tokens", a.getOutputTokens());
        row.put("reasoning_tokens", a.getReasoningTokens());
        row.put("cache_write_5m_tokens", a.getCacheWrite5mTokens());
        row.put("cache_write_1h_tokens", a.getCacheWrite1hTokens());
        row.put("cache_read_tokens", a.getCacheReadTokens());
        row.put("other_tokens", sum(a.getOtherTokens()));
        row.put("other_tokens_json", WarehouseJson.write(stringKeys(a.getOtherTokens())));
        row.put("cost_input_usd", a.getCostInputUsd());
        row.put("cost_output_usd", a.getCostOutputUsd());
        row.put("cost_cache_write_5m_usd", a.getCostCacheWrite5mUsd());
        row.put("cost_cache_write_1h_usd", a.getCostCacheWrite1hUsd());
        row.put("cost_cache_read_usd", a.getCostCacheReadUsd());
        row.put("cost_other_usd", a.getCostOtherUsd());
        row.put("total_cost_usd", a.getTotalCostUsd());
        row.put("cache_savings_usd", a.getCacheSavingsUsd());
        row.put("request_count", a.getRequestCount());
        row.put("error_count", a.getErrorCount());
        row.put("stream_terminated_count", a.getStreamTerminatedCount());
        row.put("unpriced_count", a.getUnpricedCount());
        row.put("updated_at", ts(a.getUpdatedAt()));
        return row;
    }

    /** A {@link BudgetDecision} as a {@code budget_decisions} row. */
    public static Map<String, Object> budgetDecision(BudgetDecision d) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("decision_id", str(d.getDecisionId()));
        row.put("decided_at", ts(d.getDecidedAt()));
        row.put("scope_key", str(d.getScopeKey()));
        row.put("budget_id", str(d.getBudgetId()));
        row.put("feature_id", str(d.getFeatureId()));
        row.put("tenant_id", str(d.getTenantId()));
        row.put("model", str(d.getModel()));
        row.put("model_tier", str(d.getModelTier()));
        row.put("decision", name(d.getDecision()));
        row.put("enforced", d.getEnforced());
        row.put("reason_code", str(d.getReasonCode()));
        row.put("period_start", ts(d.getPeriodStart()));
        row.put("period_end", ts(d.getPeriodEnd()));
        row.put("limit_usd", d.getLimitUsd());
        row.put("spent_usd", d.getSpentUsd());
        row.put("reserved_usd", d.getReservedUsd());
        row.put("reserve_delta_usd", d.getReserveDeltaUsd());
        row.put("request_id", str(d.getRequestId()));
        row.put("parent_request_id", str(d.getParentRequestId()));
        row.put("root_request_id", str(d.getRootRequestId()));
        row.put("reservation_id", str(d.getReservationId()));
        row.put("source", str(d.getSource()));
        row.put("message", str(d.getMessage()));
        return row;
    }

    /** A {@link BudgetAlert} as a {@code budget_alerts} row. */
    public static Map<String, Object> budgetAlert(BudgetAlert a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("alert_id", str(a.getAlertId()));
        row.put("raised_at", ts(a.getRaisedAt()));
        row.put("scope_key", str(a.getScopeKey()));
        row.put("budget_id", str(a.getBudgetId()));
        row.put("scope", name(a.getScope()));
        row.put("feature_id", str(a.getFeatureId()));
        row.put("tenant_id", str(a.getTenantId()));
        row.put("threshold_pct", a.getThresholdPct());
        row.put("limit_usd", a.getLimitUsd());
        row.put("spent_usd", a.getSpentUsd());
        row.put("status", name(a.getStatus()));
        row.put("mode", name(a.getMode()));
        row.put("period_start", ts(a.getPeriodStart()));
        row.put("period_end", ts(a.getPeriodEnd()));
        row.put("message", str(a.getMessage()));
        return row;
    }

    /** A {@link ReconciliationAlert} as a {@code reconciliation_alerts} row. */
    public static Map<String, Object> reconciliationAlert(ReconciliationAlert a) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("alert_id", str(a.getAlertId()));
        row.put("month", str(a.getMonth()));
        row.put("day", a.getDay());
        row.put("provider", str(a.getProvider()));
        row.put("model", str(a.getModel()));
        row.put("ledger_usd", a.getLedgerUsd());
        row.put("provider_usd", a.getProviderUsd());
        row.put("drift_usd", a.getDriftUsd());
        row.put("drift_pct", a.getDriftPct());
        row.put("threshold_pct", a.getThresholdPct());
        row.put("likely_cause", str(a.getLikelyCause()));
        row.put("raised_at", ts(a.getRaisedAt()));
        row.put("message", str(a.getMessage()));
        row.put("resolved", a.getResolved());
        return row;
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    private static long sum(Map<? extends CharSequence, Long> map) {
        long total = 0;
        for (Long v : map.values()) {
            total = Math.addExact(total, v);
        }
        return total;
    }

    private static Map<String, Object> stringKeys(Map<? extends CharSequence, ?> map) {
        Map<String, Object> out = new java.util.TreeMap<>();
        map.forEach((k, v) -> out.put(k.toString(), v instanceof CharSequence cs ? cs.toString() : v));
        return out;
    }
}
