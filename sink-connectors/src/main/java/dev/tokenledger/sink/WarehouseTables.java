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

import static dev.tokenledger.sink.ColumnType.BIGINT;
import static dev.tokenledger.sink.ColumnType.BOOLEAN;
import static dev.tokenledger.sink.ColumnType.DATE;
import static dev.tokenledger.sink.ColumnType.INTEGER;
import static dev.tokenledger.sink.ColumnType.MONEY;
import static dev.tokenledger.sink.ColumnType.TEXT;
import static dev.tokenledger.sink.ColumnType.TIMESTAMPTZ;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every table of the warehouse. Timestamps are TIMESTAMPTZ; views bucket them by UTC day and
 * month. Money columns are DECIMAL(38,12), exactly the wire value.
 *
 * <p>Spend rollups go to ONE keyed table, {@code spend_rollup}, keyed like the topic
 * (dimension, dimension_key, window_kind, window_start): every dimension has the same columns, a
 * new dimension in the aggregator needs no new table or migration, and an analyst filters
 * {@code WHERE dimension = 'FEATURE' AND window_kind = 'DAY'}. The aggregator re-emits running
 * totals, so the upsert is guarded by {@code updated_at}: replaying an older total never
 * overwrites a newer one.
 */
public final class WarehouseTables {
    public static final String USAGE_LOG = "usage_log";
    public static final String SPEND_ROLLUP = "spend_rollup";
    public static final String BUDGET_DECISIONS = "budget_decisions";
    public static final String BUDGET_ALERTS = "budget_alerts";
    public static final String PRODUCT_ACTIVE_USERS = "product_active_users";
    public static final String PLAN_PRICES = "plan_prices";
    public static final String PROVIDER_COSTS = "provider_costs";
    public static final String RECONCILIATION_ALERTS = "reconciliation_alerts";
    public static final String USAGE_ADJUSTMENTS = "usage_adjustments";

    private static final List<Column> COST_COLUMNS = List.of(
            Column.of("cost_input_usd", MONEY, "cost of uncached input tokens"),
            Column.of("cost_output_usd", MONEY, "cost of output tokens (reasoning included)"),
            Column.of("cost_cache_write_5m_usd", MONEY, "cost of 5-minute cache writes"),
            Column.of("cost_cache_write_1h_usd", MONEY, "cost of 1-hour cache writes"),
            Column.of("cost_cache_read_usd", MONEY, "cost of cache reads"),
            Column.of("cost_other_usd", MONEY, "cost of the other token classes"),
            Column.of("total_cost_usd", MONEY, "sum of every class: what the provider bills"),
            Column.of("cache_savings_usd", MONEY, "what the cache-read tokens would have cost at the uncached input rate, minus what they cost"));

    private static final List<Column> TOKEN_COLUMNS = List.of(
            Column.of("input_tokens", BIGINT, "uncached input tokens"),
            Column.of("output_tokens", BIGINT, "output tokens, reasoning included"),
            Column.of("reasoning_tokens", BIGINT, "reasoning tokens (subset of output_tokens)"),
            Column.of("cache_write_5m_tokens", BIGINT, "input tokens written to a 5-minute cache"),
            Column.of("cache_write_1h_tokens", BIGINT, "input tokens written to a 1-hour cache"),
            Column.of("cache_read_tokens", BIGINT, "input tokens served from the cache"),
            Column.of("other_tokens", BIGINT, "sum of the other classes (audio, image, ...)"),
            Column.of("other_tokens_json", TEXT, "the other classes by name, as a JSON object"));

    /** One row per priced LLM call (topic tokenledger.usage-costed.v1), key event_id. */
    public static final TableSpec USAGE_LOG_TABLE = new TableSpec(USAGE_LOG, concat(List.of(
            Column.of("event_id", TEXT, "idempotency key of the call"),
            Column.of("timestamp", TIMESTAMPTZ, "when the call completed (event time)"),
            Column.of("kind", TEXT, "COMPLETED, FAILED or STREAM_TERMINATED"),
            Column.of("feature_id", TEXT, "feature that made the call"),
            Column.of("tenant_id", TEXT, "customer account"),
            Column.of("user_id", TEXT, "end user (possibly a keyed hash)"),
            Column.of("plan_tier", TEXT, "the tenant's plan at call time"),
            Column.of("request_id", TEXT, "this call"),
            Column.of("root_request_id", TEXT, "the user action (workflow) the call belongs to"),
            Column.of("parent_request_id", TEXT, "the call that caused this one"),
            Column.of("attempt", INTEGER, "1 for the first try, 2+ for retries"),
            Column.of("environment", TEXT, "production, staging, ..."),
            Column.of("provider", TEXT, "anthropic, openai, google, bedrock, ..."),
            Column.of("model", TEXT, "model as answered"),
            Column.of("model_requested", TEXT, "model asked for, when different"),
            Column.of("cached_input_tokens", BIGINT, "the article's cached tokens: input tokens served from the cache (= cache_read_tokens)")),
            TOKEN_COLUMNS, List.of(
            Column.of("service_tier", TEXT, "provider service tier as answered"),
            Column.of("batch", BOOLEAN, "true when sent through the batch API"),
            Column.of("region", TEXT, "inference region, if reported"),
            Column.of("latency_ms", BIGINT, "wall-clock latency"),
            Column.of("error", TEXT, "null on success, error class on failure"),
            Column.of("reservation_id", TEXT, "budget reservation drawn from"),
            Column.of("termination_reason", TEXT, "why a stream was cut (STREAM_TERMINATED)"),
            Column.of("generated_output_tokens", BIGINT, "output generated before a cut"),
            Column.of("usage_source", TEXT, "PROVIDER, COUNTED or NONE"),
            Column.of("tags_json", TEXT, "free-form extra tags, as a JSON object"),
            Column.of("pricing_status", TEXT, "PRICED; UNPRICED (cost zero, see v_unpriced_usage); PARTIALLY_PRICED (a token class, region "
                    + "or tier had no rate: costs are a lower bound, pricing_notes says what, see v_partially_priced_usage)")),
            COST_COLUMNS, List.of(
            Column.of("other_costs_json", TEXT, "per-class detail of the other classes, as a JSON array"),
            Column.of("long_context_applied", BOOLEAN, "the long-context tier repriced the request"),
            Column.of("multiplier", MONEY, "combined batch x tier x region x discount multiplier"),
            Column.of("price_entry_id", TEXT, "price entry used (null when UNPRICED)"),
            Column.of("price_effective_from", TIMESTAMPTZ, "effective_from of that entry"),
            Column.of("price_source_url", TEXT, "source of that entry"),
            Column.of("priced_at", TIMESTAMPTZ, "when the aggregator priced the call"),
            Column.of("kafka_topic", TEXT, "topic the row came from"),
            Column.of("kafka_partition", INTEGER, "partition"),
            Column.of("kafka_offset", BIGINT, "offset (the last one written for this event_id)"),
            // Added with cache writes by retention (issue 14); rows written before are NULL here (views COALESCE them to 0).
            Column.of("cache_write_other_tokens", BIGINT, "input tokens written to a cache of another retention than 5m / 1h (30m, 12h, ...)"),
            Column.of("cache_write_tokens_json", TEXT, "those other-retention cache writes by retention key, as a JSON object"),
            Column.of("cost_cache_write_other_usd", MONEY, "cost of cache writes of other retentions (included in total_cost_usd)"),
            Column.of("cache_write_costs_json", TEXT, "that cost by retention key, as a JSON object of exact decimals"),
            Column.of("pricing_notes", TEXT, "what the price entry lacked for the call (PARTIALLY_PRICED), as a JSON array of notes"),
            // Added with re-pricing (issue 17): the cost columns above show the cost after the latest adjustment.
            Column.of("original_cost_usd", MONEY, "total_cost_usd as first priced, before any re-pricing adjustment"),
            Column.of("original_price_entry_id", TEXT, "price entry of the first pricing"),
            Column.of("adjusted_by", TEXT, "adjustment_id of the latest re-pricing applied to the row (usage_adjustments); "
                    + "null when never re-priced"))),
            List.of("event_id"), Optional.empty());

    /** Running totals per dimension and window (topic tokenledger.spend.v1). */
    public static final TableSpec SPEND_ROLLUP_TABLE = new TableSpec(SPEND_ROLLUP, concat(List.of(
            Column.of("dimension", TEXT, "GLOBAL, FEATURE, TENANT, FEATURE_TENANT, FEATURE_MODEL, PLAN_FEATURE, ROOT_REQUEST, TENANT_USER"),
            Column.of("dimension_key", TEXT, "value of the dimension; composite values joined with '|'"),
            Column.of("window_kind", TEXT, "MINUTE, HOUR, DAY, MONTH, ROLLING_24H, ROLLING_30D"),
            Column.of("window_start", TIMESTAMPTZ, "window start (inclusive)"),
            Column.of("window_end", TIMESTAMPTZ, "window end (exclusive)"),
            Column.of("time_zone", TEXT, "zone DAY and MONTH windows are aligned to")),
            TOKEN_COLUMNS, COST_COLUMNS, List.of(
            Column.of("request_count", BIGINT, "calls counted"),
            Column.of("error_count", BIGINT, "FAILED calls"),
            Column.of("stream_terminated_count", BIGINT, "streams cut short"),
            Column.of("unpriced_count", BIGINT, "UNPRICED calls (cost zero)"),
            Column.of("updated_at", TIMESTAMPTZ, "when the aggregator last updated the total"))),
            List.of("dimension", "dimension_key", "window_kind", "window_start"), Optional.of("updated_at"));

    /** Every deny and override (topic tokenledger.budget-decisions.v1), key decision_id. */
    public static final TableSpec BUDGET_DECISIONS_TABLE = new TableSpec(BUDGET_DECISIONS, List.of(
            Column.of("decision_id", TEXT, "unique id"),
            Column.of("decided_at", TIMESTAMPTZ, "when"),
            Column.of("scope_key", TEXT, "scope that decided"),
            Column.of("budget_id", TEXT, "budget that decided"),
            Column.of("feature_id", TEXT, "feature of the call"),
            Column.of("tenant_id", TEXT, "tenant of the call"),
            Column.of("model", TEXT, "model requested"),
            Column.of("model_tier", TEXT, "flagship, mid, small"),
            Column.of("decision", TEXT, "ALLOW, WARN or DENY"),
            Column.of("enforced", BOOLEAN, "false for shadow decisions and stale-open allows"),
            Column.of("reason_code", TEXT, "GENUINE_BREACH, BURST_LIMIT, STALE_RESERVATION, STALE_STATE, ..."),
            Column.of("period_start", TIMESTAMPTZ, "budget window start"),
            Column.of("period_end", TIMESTAMPTZ, "budget window end"),
            Column.of("limit_usd", MONEY, "limit"),
            Column.of("spent_usd", MONEY, "spent at decision time"),
            Column.of("reserved_usd", MONEY, "reserved at decision time"),
            Column.of("reserve_delta_usd", MONEY, "what the call asked to hold"),
            Column.of("request_id", TEXT, "call decided"),
            Column.of("parent_request_id", TEXT, "its parent"),
            Column.of("root_request_id", TEXT, "its user action"),
            Column.of("reservation_id", TEXT, "reservation involved"),
            Column.of("source", TEXT, "gate:<id> or enforcer"),
            Column.of("message", TEXT, "explanation")),
            List.of("decision_id"), Optional.empty());

    /** Threshold crossings (topic tokenledger.budget-alerts.v1), key alert_id. */
    public static final TableSpec BUDGET_ALERTS_TABLE = new TableSpec(BUDGET_ALERTS, List.of(
            Column.of("alert_id", TEXT, "scope_key|period_start|threshold"),
            Column.of("raised_at", TIMESTAMPTZ, "when"),
            Column.of("scope_key", TEXT, "scope"),
            Column.of("budget_id", TEXT, "budget"),
            Column.of("scope", TEXT, "GLOBAL, FEATURE, TENANT, FEATURE_TENANT"),
            Column.of("feature_id", TEXT, "feature of the scope"),
            Column.of("tenant_id", TEXT, "tenant of the scope"),
            Column.of("threshold_pct", INTEGER, "threshold crossed (50, 80, 100, ...)"),
            Column.of("limit_usd", MONEY, "limit"),
            Column.of("spent_usd", MONEY, "spent when it crossed"),
            Column.of("status", TEXT, "ALLOW, WARN or DENY after the crossing"),
            Column.of("mode", TEXT, "ENFORCE, ALERT_ONLY or OFF"),
            Column.of("period_start", TIMESTAMPTZ, "period start"),
            Column.of("period_end", TIMESTAMPTZ, "period end"),
            Column.of("message", TEXT, "alert text")),
            List.of("alert_id"), Optional.empty());

    /** Monthly active users per feature and tenant, loaded from product analytics. */
    public static final TableSpec PRODUCT_ACTIVE_USERS_TABLE = new TableSpec(PRODUCT_ACTIVE_USERS, List.of(
            Column.of("month", DATE, "first day of the month"),
            Column.of("feature_id", TEXT, "feature"),
            Column.of("tenant_id", TEXT, "tenant"),
            Column.of("plan_tier", TEXT, "the tenant's plan that month"),
            Column.of("active_users", BIGINT, "distinct users of the feature in the tenant that month")),
            List.of("month", "feature_id", "tenant_id"), Optional.empty());

    /** Monthly list price per tenant of each plan (revenue side of the margin view). */
    public static final TableSpec PLAN_PRICES_TABLE = new TableSpec(PLAN_PRICES, List.of(
            Column.of("plan_tier", TEXT, "plan"),
            Column.of("monthly_price_usd", MONEY, "what one tenant on the plan pays per month")),
            List.of("plan_tier"), Optional.empty());

    /**
     * What each provider billed per UTC day, model and workspace / project, imported from the provider's own cost
     * report ({@code tokenledger reconcile import}); a re-import replaces the provider's rows for the days it covers.
     */
    public static final TableSpec PROVIDER_COSTS_TABLE = new TableSpec(PROVIDER_COSTS, List.of(
            Column.of("provider", TEXT, "anthropic, openai or google, as usage_log.provider spells it"),
            Column.of("day", DATE, "UTC day of the report's one-day bucket"),
            Column.of("model", TEXT, "model the report names ('(no model)' for lines without one; OpenAI: parsed from line_item)"),
            Column.of("scope_id", TEXT, "Anthropic workspace_id, OpenAI project_id or Google project.id; empty when the report is not grouped by it"),
            Column.of("amount_usd", MONEY, "what the provider billed, exact USD (Anthropic's cents divided by 100)"),
            Column.of("currency", TEXT, "always USD (other currencies are refused)"),
            Column.of("report_lines_json", TEXT, "the report's own line labels summed into the row (description / line_item), as a JSON array"),
            Column.of("import_source", TEXT, "file path or URL the report was imported from"),
            Column.of("imported_at", TIMESTAMPTZ, "when it was imported"),
            // Added with the likely causes of issue 17 part B; rows imported before are NULL here (the views COALESCE them to 0).
            Column.of("long_context_usd", MONEY, "part of amount_usd billed at a long-context rate (Anthropic context_window 200k-1M, a "
                    + "Google SKU naming long context)"),
            Column.of("regional_usd", MONEY, "part of amount_usd billed with a regional inference geo (Anthropic inference_geo other than "
                    + "global / not_available)")),
            List.of("provider", "day", "model", "scope_id"), Optional.empty());

    /** Drift over the threshold (topic tokenledger.reconciliation-alerts.v1), key alert_id: a re-check of a month replaces its rows. */
    public static final TableSpec RECONCILIATION_ALERTS_TABLE = new TableSpec(RECONCILIATION_ALERTS, List.of(
            Column.of("alert_id", TEXT, "provider|model|day"),
            Column.of("month", TEXT, "the UTC month reconciled, YYYY-MM"),
            Column.of("day", DATE, "the UTC day that drifted"),
            Column.of("provider", TEXT, "anthropic, openai or google"),
            Column.of("model", TEXT, "model family (dated and prefixed ids normalised)"),
            Column.of("ledger_usd", MONEY, "what the ledger priced"),
            Column.of("provider_usd", MONEY, "what the provider's report billed"),
            Column.of("drift_usd", MONEY, "provider_usd - ledger_usd"),
            Column.of("drift_pct", MONEY, "drift in percent of provider_usd (of ledger_usd when the provider billed 0)"),
            Column.of("threshold_pct", MONEY, "the threshold it exceeded, in percent"),
            Column.of("likely_cause", TEXT, "why, when the ledger can tell"),
            Column.of("raised_at", TIMESTAMPTZ, "when the check ran"),
            Column.of("message", TEXT, "alert text"),
            Column.of("resolved", BOOLEAN, "true once a later check found the day back within the threshold")),
            List.of("alert_id"), Optional.empty());

    /**
     * The re-pricing audit trail (topic tokenledger.price-adjustments.v1), key adjustment_id: one row per adjustment,
     * what it moved from and to and why. usage_log shows the cost after the latest adjustment of each event.
     */
    public static final TableSpec USAGE_ADJUSTMENTS_TABLE = new TableSpec(USAGE_ADJUSTMENTS, List.of(
            Column.of("adjustment_id", TEXT, "deterministic id (a rerun of the same correction has the same id)"),
            Column.of("event_id", TEXT, "the usage_log row it corrects"),
            Column.of("adjustment_seq", INTEGER, "1 for the event's first adjustment, n for the n-th"),
            Column.of("previous_adjustment_id", TEXT, "the adjustment this one follows; null for the first"),
            Column.of("timestamp", TIMESTAMPTZ, "when the call completed (the event's occurred_at)"),
            Column.of("feature_id", TEXT, "feature that made the call"),
            Column.of("tenant_id", TEXT, "customer account"),
            Column.of("user_id", TEXT, "end user"),
            Column.of("plan_tier", TEXT, "the tenant's plan at call time"),
            Column.of("root_request_id", TEXT, "the user action the call belongs to"),
            Column.of("environment", TEXT, "production, staging, ..."),
            Column.of("provider", TEXT, "provider"),
            Column.of("model", TEXT, "model as answered"),
            Column.of("original_cost_usd", MONEY, "total as first priced"),
            Column.of("previous_cost_usd", MONEY, "total before this adjustment"),
            Column.of("new_cost_usd", MONEY, "total after this adjustment"),
            Column.of("delta_usd", MONEY, "new_cost_usd - previous_cost_usd"),
            Column.of("delta_cost_input_usd", MONEY, "change of the uncached input cost"),
            Column.of("delta_cost_output_usd", MONEY, "change of the output cost"),
            Column.of("delta_cost_cache_write_5m_usd", MONEY, "change of the 5-minute cache write cost"),
            Column.of("delta_cost_cache_write_1h_usd", MONEY, "change of the 1-hour cache write cost"),
            Column.of("delta_cost_cache_read_usd", MONEY, "change of the cache read cost"),
            Column.of("delta_cost_other_usd", MONEY, "change of the other classes' cost"),
            Column.of("delta_cost_cache_write_other_usd", MONEY, "change of the other-retention cache write cost"),
            Column.of("new_cost_input_usd", MONEY, "uncached input cost after"),
            Column.of("new_cost_output_usd", MONEY, "output cost after"),
            Column.of("new_cost_cache_write_5m_usd", MONEY, "5-minute cache write cost after"),
            Column.of("new_cost_cache_write_1h_usd", MONEY, "1-hour cache write cost after"),
            Column.of("new_cost_cache_read_usd", MONEY, "cache read cost after"),
            Column.of("new_cost_other_usd", MONEY, "other classes' cost after"),
            Column.of("new_cost_cache_write_other_usd", MONEY, "other-retention cache write cost after"),
            Column.of("new_cache_savings_usd", MONEY, "cache savings after"),
            Column.of("new_pricing_status", TEXT, "PRICED, UNPRICED or PARTIALLY_PRICED after"),
            Column.of("new_pricing_notes", TEXT, "what the new entry lacked, as a JSON array of notes"),
            Column.of("previous_price_entry_id", TEXT, "entry the previous cost came from"),
            Column.of("new_price_entry_id", TEXT, "entry in force at occurred_at in the corrected catalog"),
            Column.of("new_long_context_applied", BOOLEAN, "the long-context tier priced the request at the new price; null in "
                    + "adjustments from before the field"),
            Column.of("reason", TEXT, "why"),
            Column.of("run_id", TEXT, "the tokenledger reprice run"),
            Column.of("adjusted_at", TIMESTAMPTZ, "when it was computed"),
            Column.of("adjusted_by", TEXT, "who ran it")),
            List.of("adjustment_id"), Optional.empty());

    public static final List<TableSpec> ALL = List.of(USAGE_LOG_TABLE, SPEND_ROLLUP_TABLE, BUDGET_DECISIONS_TABLE,
            BUDGET_ALERTS_TABLE, PRODUCT_ACTIVE_USERS_TABLE, PLAN_PRICES_TABLE, PROVIDER_COSTS_TABLE, RECONCILIATION_ALERTS_TABLE,
            USAGE_ADJUSTMENTS_TABLE, DailyRollup.TABLE);

    /** Secondary indexes (PostgreSQL only, see {@link Dialect#indexSql}). */
    public static final Map<String, List<List<String>>> INDEXES = Map.of(
            // pricing_status: the dashboard's unpriced list reads the few UNPRICED calls of a range, not every call
            USAGE_LOG, List.of(List.of("feature_id", "timestamp"), List.of("tenant_id", "timestamp"), List.of("root_request_id"),
                    List.of("pricing_status", "timestamp")),
            SPEND_ROLLUP, List.of(List.of("window_kind", "window_start")),
            BUDGET_DECISIONS, List.of(List.of("decided_at")),
            BUDGET_ALERTS, List.of(List.of("raised_at")),
            USAGE_ADJUSTMENTS, List.of(List.of("event_id")),
            DailyRollup.USAGE_DAILY, List.of(List.of("day")));

    private WarehouseTables() {
    }

    @SafeVarargs
    private static List<Column> concat(List<Column>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
