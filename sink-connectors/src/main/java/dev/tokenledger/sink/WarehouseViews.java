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

import dev.tokenledger.sink.reconcile.ModelNames;
import java.util.List;
import java.util.function.Function;

/**
 * The analyst views, one self-contained SELECT each (no view reads another, so they can be
 * dropped and recreated in any order). Days and months are UTC. Money stays DECIMAL: sums of
 * DECIMAL(38,12) and divisions through {@link Dialect#divideMoney}; shares and rates are
 * DECIMAL(18,4) ratios.
 */
public final class WarehouseViews {

    /** A view: its name, what question it answers, an example query, and its SELECT per dialect. */
    public record View(String name, String doc, String example, Function<Dialect, String> select) {
        public String createSql(Dialect dialect) {
            return "CREATE VIEW " + name + " AS\n" + select.apply(dialect);
        }

        public String dropSql(Dialect dialect) {
            return "DROP VIEW IF EXISTS " + name;
        }
    }

    static final String DAY = "CAST(u.timestamp AT TIME ZONE 'UTC' AS DATE)";
    static final String MONTH = "CAST(DATE_TRUNC('month', u.timestamp AT TIME ZONE 'UTC') AS DATE)";
    /** Cache-write tokens of every retention (rows written before the other-retention column are NULL there: 0). */
    public static final String CACHE_WRITE_TOKENS = "u.cache_write_5m_tokens + u.cache_write_1h_tokens + COALESCE(u.cache_write_other_tokens, 0)";
    static final String OTHER_WRITE_COST = "COALESCE(u.cost_cache_write_other_usd, 0)";

    public static final View DAILY_FEATURE_COST = new View("v_daily_feature_cost",
            "Cost per feature per UTC day (and environment): calls, tokens by class, exact cost and cache savings.",
            "SELECT day, feature_id, cost_usd FROM v_daily_feature_cost WHERE environment = 'production' AND day >= CURRENT_DATE "
                    + "- 7 ORDER BY day, cost_usd DESC;",
            d -> "SELECT " + DAY + " AS day, u.environment, u.feature_id,\n"
                    + "  COUNT(*) AS calls,\n"
                    + "  SUM(CASE WHEN u.kind = 'FAILED' THEN 1 ELSE 0 END) AS failed_calls,\n"
                    + "  SUM(u.input_tokens) AS input_tokens, SUM(u.output_tokens) AS output_tokens,\n"
                    + "  SUM(u.cache_read_tokens) AS cache_read_tokens,\n"
                    + "  SUM(" + CACHE_WRITE_TOKENS + ") AS cache_write_tokens,\n"
                    + "  CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd,\n"
                    + "  CAST(SUM(u.cache_savings_usd) AS DECIMAL(38,12)) AS cache_savings_usd\n"
                    + "FROM usage_log u\nGROUP BY " + DAY + ", u.environment, u.feature_id");

    public static final View TOP_FEATURES = new View("v_top_features",
            "Features ranked by spend per UTC month, with their share of the month's spend.",
            "SELECT spend_rank, feature_id, cost_usd, share_of_spend FROM v_top_features WHERE month = DATE '2026-03-01' AND "
                    + "spend_rank <= 3 ORDER BY spend_rank;",
            d -> "SELECT m.month, m.feature_id, m.calls, m.cost_usd,\n"
                    + "  RANK() OVER (PARTITION BY m.month ORDER BY m.cost_usd DESC) AS spend_rank,\n"
                    + "  " + d.ratio("m.cost_usd", "SUM(m.cost_usd) OVER (PARTITION BY m.month)") + " AS share_of_spend\n"
                    + "FROM (SELECT " + MONTH + " AS month, u.feature_id, COUNT(*) AS calls,\n"
                    + "        CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd\n"
                    + "      FROM usage_log u GROUP BY " + MONTH + ", u.feature_id) m");

    public static final View TENANT_FEATURE_COST = new View("v_tenant_feature_cost",
            "Cost per customer: per UTC month, tenant and feature, with calls and user actions (root requests).",
            "SELECT tenant_id, SUM(cost_usd) AS cost_usd FROM v_tenant_feature_cost WHERE month = DATE '2026-03-01' GROUP BY "
                    + "tenant_id ORDER BY cost_usd DESC LIMIT 10;",
            d -> "SELECT " + MONTH + " AS month, u.tenant_id, u.feature_id, MAX(u.plan_tier) AS plan_tier,\n"
                    + "  COUNT(*) AS calls, COUNT(DISTINCT COALESCE(u.root_request_id, u.request_id)) AS user_actions,\n"
                    + "  CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd\n"
                    + "FROM usage_log u\nGROUP BY " + MONTH + ", u.tenant_id, u.feature_id");

    public static final View COST_PER_ACTIVE_USER = new View("v_cost_per_active_user",
            "Cost per active user per feature, UTC month and plan tier (plan from product_active_users): the pooled number "
                    + "(all cost / all active users) and the spread across tenants (median, p90 and max of each tenant's "
                    + "cost / active users; percentiles interpolated linearly, like percentile_cont). Tenants with 0 active users are left out.",
            "SELECT feature_id, plan_tier, cost_per_active_user_usd, median_tenant_cost_per_active_user_usd, "
                    + "p90_tenant_cost_per_active_user_usd FROM v_cost_per_active_user WHERE month = DATE '2026-03-01' ORDER BY "
                    + "feature_id, plan_tier;",
            d -> costPerActiveUser(d, null, null));

    public static final View TENANT_MARGIN = new View("v_tenant_margin",
            "Tenant margin per UTC month: revenue is the plan's monthly price per tenant (plan_prices; one subscription per "
                    + "tenant, plan from product_active_users, else from the usage tags), minus the tenant's AI cost across all features. "
                    + "margin_pct = margin / revenue (NULL for a free plan: any cost is a loss).",
            "SELECT tenant_id, plan_tier, revenue_usd, ai_cost_usd, margin_usd, margin_pct FROM v_tenant_margin WHERE month = "
                    + "DATE '2026-03-01' AND (margin_pct IS NULL OR margin_pct < 0.20) ORDER BY margin_usd;",
            d -> tenantMargin(d, null));

    public static final View CACHE_SAVINGS = new View("v_cache_savings",
            "Prompt-cache hit rate and savings per feature and UTC month. cache_hit_rate = cache_read / (input + cache_read + "
                    + "cache writes of every retention) tokens; cache_savings_usd = what the cache reads would have cost at the uncached input rate minus "
                    + "what they cost; cost_without_cache_usd = cost_usd + cache_savings_usd (the list-price over-report).",
            "SELECT feature_id, cache_hit_rate, cost_usd, cache_savings_usd, savings_pct FROM v_cache_savings WHERE month = DATE "
                    + "'2026-03-01' ORDER BY cache_savings_usd DESC;",
            d -> "SELECT " + MONTH + " AS month, u.feature_id, COUNT(*) AS calls,\n"
                    + "  SUM(u.input_tokens) AS input_tokens, SUM(u.cache_read_tokens) AS cache_read_tokens,\n"
                    + "  SUM(" + CACHE_WRITE_TOKENS + ") AS cache_write_tokens,\n"
                    + "  " + d.ratio("SUM(u.cache_read_tokens)",
                            "SUM(u.input_tokens + u.cache_read_tokens + " + CACHE_WRITE_TOKENS + ")") + " AS cache_hit_rate,\n"
                    + "  CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd,\n"
                    + "  CAST(SUM(u.cache_savings_usd) AS DECIMAL(38,12)) AS cache_savings_usd,\n"
                    + "  CAST(SUM(u.total_cost_usd + u.cache_savings_usd) AS DECIMAL(38,12)) AS cost_without_cache_usd,\n"
                    + "  " + d.ratio("SUM(u.cache_savings_usd)", "SUM(u.total_cost_usd + u.cache_savings_usd)") + " AS savings_pct\n"
                    + "FROM usage_log u\nGROUP BY " + MONTH + ", u.feature_id");

    public static final View MODEL_MIX = new View("v_model_mix_daily",
            "Model mix per feature per UTC day: calls and cost by provider/model with their share of the feature's day, "
                    + "to catch a feature that silently moved to a flagship model.",
            "SELECT day, model, share_of_calls, share_of_cost FROM v_model_mix_daily WHERE feature_id = 'summarize_email_v2' ORDER BY day, share_of_cost DESC;",
            d -> "SELECT m.day, m.feature_id, m.provider, m.model, m.calls, m.cost_usd,\n"
                    + "  " + d.ratio("m.calls", "SUM(m.calls) OVER (PARTITION BY m.day, m.feature_id)") + " AS share_of_calls,\n"
                    + "  " + d.ratio("m.cost_usd", "SUM(m.cost_usd) OVER (PARTITION BY m.day, m.feature_id)") + " AS share_of_cost\n"
                    + "FROM (SELECT " + DAY + " AS day, u.feature_id, u.provider, u.model, COUNT(*) AS calls,\n"
                    + "        CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd\n"
                    + "      FROM usage_log u GROUP BY " + DAY + ", u.feature_id, u.provider, u.model) m");

    public static final View WORKFLOW_COST = new View("v_workflow_cost",
            "Cost of one user action (root request) per feature: every call sharing a root_request_id (retries, fallbacks, "
                    + "agent steps) counted once per action; a call without a root is its own action.",
            "SELECT root_request_id, calls, retries, cost_usd FROM v_workflow_cost WHERE feature_id = 'draft_email' ORDER BY cost_usd DESC LIMIT 20;",
            d -> "SELECT COALESCE(u.root_request_id, u.request_id) AS root_request_id, u.feature_id,\n"
                    + "  CAST(DATE_TRUNC('month', MIN(u.timestamp) AT TIME ZONE 'UTC') AS DATE) AS month,\n"
                    + "  MIN(u.timestamp) AS started_at, MAX(u.timestamp) AS finished_at, COUNT(*) AS calls,\n"
                    + "  SUM(CASE WHEN u.attempt > 1 THEN 1 ELSE 0 END) AS retries, COUNT(DISTINCT u.model) AS models,\n"
                    + "  CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd\n"
                    + "FROM usage_log u\nGROUP BY COALESCE(u.root_request_id, u.request_id), u.feature_id");

    public static final View WORKFLOW_COST_PER_FEATURE = new View("v_workflow_cost_per_feature",
            "Average cost of one user action per feature and UTC month (month of the action's first call).",
            "SELECT feature_id, user_actions, avg_calls_per_action, avg_cost_per_action_usd FROM v_workflow_cost_per_feature WHERE month = DATE '2026-03-01';",
            d -> "SELECT w.month, w.feature_id, COUNT(*) AS user_actions, SUM(w.calls) AS calls,\n"
                    + "  CAST(SUM(w.cost_usd) AS DECIMAL(38,12)) AS cost_usd,\n"
                    + "  " + d.ratio("SUM(w.calls)", "COUNT(*)") + " AS avg_calls_per_action,\n"
                    + "  " + d.divideMoney("SUM(w.cost_usd)", "COUNT(*)") + " AS avg_cost_per_action_usd,\n"
                    + "  MAX(w.cost_usd) AS max_cost_per_action_usd\n"
                    + "FROM (SELECT COALESCE(u.root_request_id, u.request_id) AS root_id, u.feature_id,\n"
                    + "        CAST(DATE_TRUNC('month', MIN(u.timestamp) AT TIME ZONE 'UTC') AS DATE) AS month,\n"
                    + "        COUNT(*) AS calls, SUM(u.total_cost_usd) AS cost_usd\n"
                    + "      FROM usage_log u GROUP BY COALESCE(u.root_request_id, u.request_id), u.feature_id) w\n"
                    + "GROUP BY w.month, w.feature_id");

    public static final View UNPRICED_USAGE = new View("v_unpriced_usage",
            "Calls no price entry covered (priced at zero, never silently): per UTC day, provider, model and feature, with "
                    + "their tokens, so the catalog can be fixed and the calls re-priced.",
            "SELECT provider, model, SUM(calls) AS calls, SUM(output_tokens) AS output_tokens FROM v_unpriced_usage GROUP BY "
                    + "provider, model ORDER BY calls DESC;",
            d -> "SELECT " + DAY + " AS day, u.provider, u.model, u.feature_id, COUNT(*) AS calls,\n"
                    + "  SUM(u.input_tokens) AS input_tokens, SUM(u.output_tokens) AS output_tokens,\n"
                    + "  SUM(u.cache_read_tokens + " + CACHE_WRITE_TOKENS + ") AS cache_tokens,\n"
                    + "  MIN(u.timestamp) AS first_seen, MAX(u.timestamp) AS last_seen\n"
                    + "FROM usage_log u WHERE u.pricing_status = 'UNPRICED'\n"
                    + "GROUP BY " + DAY + ", u.provider, u.model, u.feature_id");

    public static final View CACHE_WRITE_SPEND = new View("v_cache_write_spend",
            "Cache-write tokens and spend per feature and UTC month by retention: 5 minutes, 1 hour, and the other retentions "
                    + "(30 minutes, 12 hours, ...; per retention in usage_log.cache_write_tokens_json / cache_write_costs_json). "
                    + "cache_write_cost_usd is the sum of the three; it is part of every cost above.",
            "SELECT feature_id, cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_write_other_usd, cache_write_cost_usd "
                    + "FROM v_cache_write_spend WHERE month = DATE '2026-03-01' ORDER BY cache_write_cost_usd DESC;",
            d -> "SELECT " + MONTH + " AS month, u.feature_id, COUNT(*) AS calls,\n"
                    + "  SUM(u.cache_write_5m_tokens) AS cache_write_5m_tokens, SUM(u.cache_write_1h_tokens) AS cache_write_1h_tokens,\n"
                    + "  SUM(COALESCE(u.cache_write_other_tokens, 0)) AS cache_write_other_tokens,\n"
                    + "  CAST(SUM(u.cost_cache_write_5m_usd) AS DECIMAL(38,12)) AS cost_cache_write_5m_usd,\n"
                    + "  CAST(SUM(u.cost_cache_write_1h_usd) AS DECIMAL(38,12)) AS cost_cache_write_1h_usd,\n"
                    + "  CAST(SUM(" + OTHER_WRITE_COST + ") AS DECIMAL(38,12)) AS cost_cache_write_other_usd,\n"
                    + "  CAST(SUM(u.cost_cache_write_5m_usd + u.cost_cache_write_1h_usd + " + OTHER_WRITE_COST + ") AS DECIMAL(38,12))"
                    + " AS cache_write_cost_usd\n"
                    + "FROM usage_log u\nGROUP BY " + MONTH + ", u.feature_id");

    public static final View PARTIALLY_PRICED_USAGE = new View("v_partially_priced_usage",
            "Calls an entry priced only in part (PARTIALLY_PRICED: a token class, region or service tier of the call had no rate, "
                    + "so it cost nothing there, never some other rate): per UTC day, provider, model and feature; cost_usd is a "
                    + "lower bound. usage_log.pricing_notes says what was missing.",
            "SELECT provider, model, SUM(calls) AS calls, SUM(cost_usd) AS cost_at_least_usd FROM v_partially_priced_usage "
                    + "GROUP BY provider, model ORDER BY calls DESC;",
            d -> "SELECT " + DAY + " AS day, u.provider, u.model, u.feature_id, COUNT(*) AS calls,\n"
                    + "  CAST(SUM(u.total_cost_usd) AS DECIMAL(38,12)) AS cost_usd,\n"
                    + "  MIN(u.timestamp) AS first_seen, MAX(u.timestamp) AS last_seen\n"
                    + "FROM usage_log u WHERE u.pricing_status = 'PARTIALLY_PRICED'\n"
                    + "GROUP BY " + DAY + ", u.provider, u.model, u.feature_id");

    /** Why a (day, provider, model) row drifts, when the ledger can tell; shared by the view and the reconcile command. */
    public static final String CAUSE_UNPRICED = "unpriced model";
    public static final String CAUSE_PARTIALLY_PRICED = "partially priced";
    public static final String CAUSE_MISSING_IN_LEDGER = "missing in ledger (calls that bypassed the agent?)";
    public static final String CAUSE_MISSING_IN_REPORT = "missing in report";
    public static final String CAUSE_LONG_CONTEXT = "missing long-context tier (the report bills long-context lines, the ledger applied none)";
    public static final String CAUSE_REGION = "region (the report bills a regional inference rate, the ledger has no region)";
    /** The usage_log tag naming the workspace / project a call's API key bills to (the ledger side of the per-scope view). */
    public static final String BILLING_SCOPE_TAG = "billing_scope";

    public static final View RECONCILIATION_DAILY = new View("v_reconciliation_daily",
            "Does it match the invoice? The ledger (usage_log, every environment: the provider bills every key) against the "
                    + "provider's own cost report (provider_costs, every workspace / project summed) per UTC day, provider and model "
                    + "family (dated and prefixed ids normalised, see ModelNames): drift_usd = provider_usd - ledger_usd (positive: "
                    + "the provider billed more than the ledger priced), with the likely cause when the ledger can tell. Only "
                    + "meaningful for days a report was imported for.",
            "SELECT day, model, ledger_usd, provider_usd, drift_usd, likely_cause FROM v_reconciliation_daily WHERE provider = "
                    + "'anthropic' AND day >= DATE '2026-12-01' AND drift_usd <> 0 ORDER BY ABS(drift_usd) DESC;",
            d -> reconciliation(d, false));

    public static final View RECONCILIATION_SCOPE_DAILY = new View("v_reconciliation_scope_daily",
            "The same comparison per workspace / project (scope_id: Anthropic workspace_id, OpenAI project_id, Google project.id). "
                    + "The ledger side is the call's '" + BILLING_SCOPE_TAG + "' tag; calls without it, and report lines not grouped "
                    + "by workspace, have scope_id ''.",
            "SELECT scope_id, SUM(ledger_usd) AS ledger_usd, SUM(provider_usd) AS provider_usd, SUM(drift_usd) AS drift_usd FROM "
                    + "v_reconciliation_scope_daily WHERE day >= DATE '2026-12-01' GROUP BY scope_id ORDER BY ABS(SUM(drift_usd)) DESC;",
            d -> reconciliation(d, true));

    /**
     * Both reconciliation views: the ledger and the imported reports summed per UTC day, provider, model family (and
     * scope), full-outer-joined, with the first likely cause that applies.
     */
    static String reconciliation(Dialect d, boolean byScope) {
        String ledgerScope = byScope ? ", COALESCE(" + d.jsonText("u.tags_json", BILLING_SCOPE_TAG) + ", '')" : "";
        String reportScope = byScope ? ", c.scope_id" : "";
        String ledgerModel = ModelNames.sql("u.model");
        String reportModel = ModelNames.sql("c.model");
        return "SELECT COALESCE(l.day, p.day) AS day, COALESCE(l.provider, p.provider) AS provider, COALESCE(l.model, p.model) AS model,\n"
                + (byScope ? "  COALESCE(l.scope_id, p.scope_id) AS scope_id,\n" : "")
                + "  CAST(COALESCE(l.ledger_usd, 0) AS DECIMAL(38,12)) AS ledger_usd,\n"
                + "  CAST(COALESCE(p.provider_usd, 0) AS DECIMAL(38,12)) AS provider_usd,\n"
                + "  CAST(COALESCE(p.provider_usd, 0) - COALESCE(l.ledger_usd, 0) AS DECIMAL(38,12)) AS drift_usd,\n"
                + "  COALESCE(l.calls, 0) AS ledger_calls, COALESCE(l.unpriced_calls, 0) AS unpriced_calls,\n"
                + "  COALESCE(l.partially_priced_calls, 0) AS partially_priced_calls,\n"
                + "  COALESCE(l.long_context_calls, 0) AS long_context_calls,\n"
                + "  CAST(COALESCE(p.long_context_usd, 0) AS DECIMAL(38,12)) AS report_long_context_usd,\n"
                + "  CAST(COALESCE(p.regional_usd, 0) AS DECIMAL(38,12)) AS report_regional_usd,\n"
                + "  CASE WHEN COALESCE(p.provider_usd, 0) = COALESCE(l.ledger_usd, 0) THEN NULL\n"
                + "       WHEN l.day IS NULL THEN '" + CAUSE_MISSING_IN_LEDGER + "'\n"
                + "       WHEN p.day IS NULL THEN '" + CAUSE_MISSING_IN_REPORT + "'\n"
                + "       WHEN l.unpriced_calls > 0 THEN '" + CAUSE_UNPRICED + "'\n"
                + "       WHEN p.long_context_usd > 0 AND l.long_context_calls = 0 THEN '" + CAUSE_LONG_CONTEXT + "'\n"
                + "       WHEN p.regional_usd > 0 AND l.regional_calls = 0 THEN '" + CAUSE_REGION + "'\n"
                + "       WHEN l.partially_priced_calls > 0 THEN '" + CAUSE_PARTIALLY_PRICED + "'\n"
                + "       ELSE NULL END AS likely_cause\n"
                + "FROM (SELECT " + DAY + " AS day, u.provider, " + ledgerModel + " AS model"
                + (byScope ? ledgerScope + " AS scope_id" : "") + ", COUNT(*) AS calls,\n"
                + "        SUM(u.total_cost_usd) AS ledger_usd,\n"
                + "        SUM(CASE WHEN u.pricing_status = 'UNPRICED' THEN 1 ELSE 0 END) AS unpriced_calls,\n"
                + "        SUM(CASE WHEN u.pricing_status = 'PARTIALLY_PRICED' THEN 1 ELSE 0 END) AS partially_priced_calls,\n"
                + "        SUM(CASE WHEN u.long_context_applied THEN 1 ELSE 0 END) AS long_context_calls,\n"
                + "        SUM(CASE WHEN u.region IS NOT NULL AND u.region <> '' THEN 1 ELSE 0 END) AS regional_calls\n"
                + "      FROM usage_log u GROUP BY " + DAY + ", u.provider, " + ledgerModel + ledgerScope + ") l\n"
                + "FULL OUTER JOIN (SELECT c.day, c.provider, " + reportModel + " AS model" + reportScope + ", SUM(c.amount_usd) AS provider_usd,\n"
                + "        SUM(COALESCE(c.long_context_usd, 0)) AS long_context_usd, SUM(COALESCE(c.regional_usd, 0)) AS regional_usd\n"
                + "      FROM provider_costs c GROUP BY c.day, c.provider, " + reportModel + reportScope + ") p\n"
                + "  ON l.day = p.day AND l.provider = p.provider AND l.model = p.model" + (byScope ? " AND l.scope_id = p.scope_id" : "");
    }

    public static final List<View> ALL = List.of(DAILY_FEATURE_COST, TOP_FEATURES, TENANT_FEATURE_COST, COST_PER_ACTIVE_USER,
            TENANT_MARGIN, CACHE_SAVINGS, MODEL_MIX, WORKFLOW_COST, WORKFLOW_COST_PER_FEATURE, UNPRICED_USAGE, CACHE_WRITE_SPEND,
            PARTIALLY_PRICED_USAGE, RECONCILIATION_DAILY, RECONCILIATION_SCOPE_DAILY);

    private WarehouseViews() {
    }

    /**
     * The SELECT of {@code v_cost_per_active_user}, over the usage rows {@code usageFilter} keeps (a condition on
     * {@code usage_log u}) and the active-user rows {@code usersFilter} keeps (on {@code product_active_users p});
     * null keeps every row (the view). The dashboard pushes its date range and filters down with them. Months by
     * {@link Dialect#utcMonth} (on DuckDB much faster than AT TIME ZONE over every row, the same UTC month).
     */
    public static String costPerActiveUser(Dialect d, String usageFilter, String usersFilter) {
        return costPerActiveUserOf(d, "  SELECT " + d.utcMonth("u.timestamp") + " AS month, u.feature_id, u.tenant_id, SUM(u.total_cost_usd) AS cost_usd\n"
                + "  FROM usage_log u" + where(usageFilter) + " GROUP BY " + d.utcMonth("u.timestamp") + ", u.feature_id, u.tenant_id", usersFilter);
    }

    /**
     * The same figures as {@link #costPerActiveUser} from the daily rollup {@code usage_daily u} (the rows {@code dailyFilter}
     * keeps): whole UTC days sum to whole UTC months, so the cost per month, feature and tenant is the same, from far fewer rows.
     */
    public static String costPerActiveUserFromDaily(Dialect d, String dailyFilter, String usersFilter) {
        return costPerActiveUserOf(d, "  SELECT " + monthOfDay() + " AS month, NULLIF(u.feature_id, '') AS feature_id, NULLIF(u.tenant_id, '') "
                + "AS tenant_id, SUM(u.total_cost_usd) AS cost_usd\n  FROM " + DailyRollup.USAGE_DAILY + " u" + where(dailyFilter)
                + " GROUP BY 1, 2, 3", usersFilter);
    }

    private static String monthOfDay() {
        return "CAST(DATE_TRUNC('month', u.day) AS DATE)";
    }

    private static String costPerActiveUserOf(Dialect d, String cost, String usersFilter) {
        return "WITH cost AS (\n" + cost + "),\n"
                + "per_tenant AS (\n"
                + "  SELECT p.month, p.feature_id, p.plan_tier, p.tenant_id, p.active_users,\n"
                + "    CAST(COALESCE(c.cost_usd, 0) AS DECIMAL(38,12)) AS cost_usd,\n"
                + "    " + d.divideMoney("COALESCE(c.cost_usd, 0)", "p.active_users") + " AS cpu\n"
                + "  FROM product_active_users p\n"
                + "  LEFT JOIN cost c ON c.month = p.month AND c.feature_id = p.feature_id AND c.tenant_id = p.tenant_id\n"
                + "  WHERE p.active_users > 0" + (usersFilter == null ? "" : " AND " + usersFilter) + "),\n"
                + "ranked AS (\n"
                + "  SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.month, t.feature_id, t.plan_tier ORDER BY t.cpu, t.tenant_id) AS rn,\n"
                + "    COUNT(*) OVER (PARTITION BY t.month, t.feature_id, t.plan_tier) AS n\n"
                + "  FROM per_tenant t)\n"
                + "SELECT r.month, r.feature_id, r.plan_tier, COUNT(*) AS tenants, SUM(r.active_users) AS active_users,\n"
                + "  CAST(SUM(r.cost_usd) AS DECIMAL(38,12)) AS cost_usd,\n"
                + "  " + d.divideMoney("SUM(r.cost_usd)", "SUM(r.active_users)") + " AS cost_per_active_user_usd,\n"
                + "  " + percentile("0.5") + " AS median_tenant_cost_per_active_user_usd,\n"
                + "  " + percentile("0.9") + " AS p90_tenant_cost_per_active_user_usd,\n"
                + "  MAX(r.cpu) AS max_tenant_cost_per_active_user_usd\n"
                + "FROM ranked r\nGROUP BY r.month, r.feature_id, r.plan_tier";
    }

    /** The SELECT of {@code v_tenant_margin} over the usage rows {@code usageFilter} keeps (on {@code usage_log u}; null: all). */
    public static String tenantMargin(Dialect d, String usageFilter) {
        return tenantMarginOf(d, "  SELECT " + d.utcMonth("u.timestamp") + " AS month, u.tenant_id, MAX(u.plan_tier) AS usage_plan_tier, "
                + "COUNT(*) AS calls,\n    SUM(u.total_cost_usd) AS ai_cost_usd\n"
                + "  FROM usage_log u WHERE u.tenant_id IS NOT NULL" + (usageFilter == null ? "" : " AND " + usageFilter)
                + " GROUP BY " + d.utcMonth("u.timestamp") + ", u.tenant_id");
    }

    /** The same figures as {@link #tenantMargin} from the daily rollup {@code usage_daily u} (the rows {@code dailyFilter} keeps). */
    public static String tenantMarginFromDaily(Dialect d, String dailyFilter) {
        return tenantMarginOf(d, "  SELECT " + monthOfDay() + " AS month, u.tenant_id, MAX(NULLIF(u.plan_tier, '')) AS usage_plan_tier, "
                + "SUM(u.calls) AS calls,\n    SUM(u.total_cost_usd) AS ai_cost_usd\n"
                + "  FROM " + DailyRollup.USAGE_DAILY + " u WHERE u.tenant_id <> '' AND u.calls <> 0" + (dailyFilter == null ? "" : " AND " + dailyFilter)
                + " GROUP BY 1, 2");
    }

    private static String tenantMarginOf(Dialect d, String cost) {
        return "WITH cost AS (\n" + cost + "),\n"
                + "plan AS (SELECT month, tenant_id, MAX(plan_tier) AS plan_tier FROM product_active_users GROUP BY month, tenant_id)\n"
                + "SELECT c.month, c.tenant_id, COALESCE(p.plan_tier, c.usage_plan_tier) AS plan_tier, c.calls,\n"
                + "  CAST(pp.monthly_price_usd AS DECIMAL(38,12)) AS revenue_usd,\n"
                + "  CAST(c.ai_cost_usd AS DECIMAL(38,12)) AS ai_cost_usd,\n"
                + "  CAST(pp.monthly_price_usd - c.ai_cost_usd AS DECIMAL(38,12)) AS margin_usd,\n"
                + "  " + d.ratio("pp.monthly_price_usd - c.ai_cost_usd", "pp.monthly_price_usd") + " AS margin_pct\n"
                + "FROM cost c\n"
                + "LEFT JOIN plan p ON p.month = c.month AND p.tenant_id = c.tenant_id\n"
                + "LEFT JOIN plan_prices pp ON pp.plan_tier = COALESCE(p.plan_tier, c.usage_plan_tier)";
    }

    private static String where(String filter) {
        return filter == null ? "" : " WHERE " + filter;
    }

    /**
     * Linear-interpolation percentile over the ranked rows of a group (rn 1..n, ascending cpu), in
     * exact DECIMAL: with pos = p*(n-1), it is x[floor(pos)+1]*(1-frac) + x[floor(pos)+2]*frac.
     */
    static String percentile(String p) {
        String pos = p + " * (r.n - 1)";
        String frac = "(" + pos + " - FLOOR(" + pos + "))";
        return "CAST(SUM(CASE WHEN r.rn = FLOOR(" + pos + ") + 1 THEN r.cpu * (1 - " + frac + ")"
                + " WHEN r.rn = FLOOR(" + pos + ") + 2 THEN r.cpu * " + frac + " ELSE 0 END) AS DECIMAL(38,12))";
    }
}
