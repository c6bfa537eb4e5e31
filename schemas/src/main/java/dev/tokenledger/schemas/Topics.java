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
package dev.tokenledger.schemas;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.OutputTokenStats;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.UnpricedUsageAlert;
import dev.tokenledger.avro.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/** Every topic of the TokenLedger contract, with its key and value types. */
public final class Topics {
    public static final String USAGE_TOPIC = "tokenledger.usage.v1";
    public static final String USAGE_DLQ_TOPIC = "tokenledger.usage-dlq.v1";
    public static final String PRICES_TOPIC = "tokenledger.prices.v1";
    public static final String USAGE_COSTED_TOPIC = "tokenledger.usage-costed.v1";
    public static final String SPEND_TOPIC = "tokenledger.spend.v1";
    public static final String OUTPUT_STATS_TOPIC = "tokenledger.output-stats.v1";
    public static final String PRICING_ALERTS_TOPIC = "tokenledger.pricing-alerts.v1";
    public static final String BUDGETS_TOPIC = "tokenledger.budgets.v1";
    public static final String RESERVATIONS_TOPIC = "tokenledger.reservations.v1";
    public static final String LEASE_REQUESTS_TOPIC = "tokenledger.lease-requests.v1";
    public static final String LEASES_TOPIC = "tokenledger.leases.v1";
    public static final String BUDGET_STATE_TOPIC = "tokenledger.budget-state.v1";
    public static final String BUDGET_DECISIONS_TOPIC = "tokenledger.budget-decisions.v1";
    public static final String BUDGET_ALERTS_TOPIC = "tokenledger.budget-alerts.v1";
    public static final String SINK_DLQ_TOPIC = "tokenledger.sink-dlq.v1";
    public static final String RECONCILIATION_ALERTS_TOPIC = "tokenledger.reconciliation-alerts.v1";
    public static final String PRICE_ADJUSTMENTS_TOPIC = "tokenledger.price-adjustments.v1";
    /** Where the local schema registry keeps schemas (compacted), as Confluent's does. */
    public static final String SCHEMAS_TOPIC = "_schemas";

    public static final TopicSpec USAGE = new TopicSpec(USAGE_TOPIC, String.class, UsageEvent.class, false,
            "Raw usage events from producer agents; key feature_id");
    public static final TopicSpec USAGE_DLQ = new TopicSpec(USAGE_DLQ_TOPIC, byte[].class, byte[].class, false,
            "Usage records the aggregator refused: original key/value bytes and headers plus tokenledger.dlq.* reason headers");
    public static final TopicSpec PRICES = new TopicSpec(PRICES_TOPIC, String.class, PriceEntry.class, true,
            "Price catalog; key entry_id");
    public static final TopicSpec USAGE_COSTED = new TopicSpec(USAGE_COSTED_TOPIC, String.class, CostedUsage.class, false,
            "Deduplicated, priced usage; key event_id");
    public static final TopicSpec SPEND = new TopicSpec(SPEND_TOPIC, SpendKey.class, SpendAggregate.class, true,
            "Running spend per dimension and window; key SpendKey");
    public static final TopicSpec OUTPUT_STATS = new TopicSpec(OUTPUT_STATS_TOPIC, String.class, OutputTokenStats.class, true,
            "Per-feature output-token percentiles for reservation sizing; key feature_id");
    public static final TopicSpec PRICING_ALERTS = new TopicSpec(PRICING_ALERTS_TOPIC, String.class, UnpricedUsageAlert.class, false,
            "Usage for models with no price; key provider/model");
    public static final TopicSpec BUDGETS = new TopicSpec(BUDGETS_TOPIC, String.class, Budget.class, true,
            "Budgets; key budget_id; tombstone clears");
    public static final TopicSpec RESERVATIONS = new TopicSpec(RESERVATIONS_TOPIC, String.class, Reservation.class, false,
            "Pre-dispatch holds and their settlement; key reservation_id");
    public static final TopicSpec LEASE_REQUESTS = new TopicSpec(LEASE_REQUESTS_TOPIC, String.class, LeaseRequest.class, false,
            "Gates ask for budget leases and report what they hand back; key scope_key (partitioned like the enforcer's by-scope topic)");
    public static final TopicSpec LEASES = new TopicSpec(LEASES_TOPIC, String.class, Lease.class, false,
            "Leases granted, denied or recalled by the enforcer; key gate_id");
    public static final TopicSpec BUDGET_STATE = new TopicSpec(BUDGET_STATE_TOPIC, String.class, BudgetState.class, true,
            "Allow/deny state gateways read; key scope_key");
    public static final TopicSpec BUDGET_DECISIONS = new TopicSpec(BUDGET_DECISIONS_TOPIC, String.class, BudgetDecision.class, false,
            "Every deny and override, audited; key scope_key");
    public static final TopicSpec BUDGET_ALERTS = new TopicSpec(BUDGET_ALERTS_TOPIC, String.class, BudgetAlert.class, false,
            "Threshold crossings, once per scope, threshold and period; key alert_id");
    public static final TopicSpec SINK_DLQ = new TopicSpec(SINK_DLQ_TOPIC, byte[].class, byte[].class, false,
            "Records the warehouse sink could not decode or write, with the reason in headers");

    public static final TopicSpec RECONCILIATION_ALERTS = new TopicSpec(RECONCILIATION_ALERTS_TOPIC, String.class,
            ReconciliationAlert.class, true, "Ledger vs provider report drift over the threshold, per UTC day, provider and model; "
            + "key alert_id (provider|model|day), compacted so a re-check replaces");
    /**
     * Kept forever ({@code retention.ms=-1}): a re-pricing run starts from the adjustments already on the topic, so an
     * adjustment the broker deleted would be published again with the same id after the consumers' dedup.horizon.ms
     * had forgotten it, and the open windows and budget periods would count its delta twice.
     */
    public static final TopicSpec PRICE_ADJUSTMENTS = new TopicSpec(PRICE_ADJUSTMENTS_TOPIC, String.class, PriceAdjustment.class, false,
            "Cost corrections of already-priced usage (tokenledger reprice); key event_id; consumers dedup on adjustment_id; "
            + "kept forever (retention.ms=-1): a rerun starts from the adjustments it finds",
            Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));

    /** All contract topics (not the registry's own {@code _schemas}). */
    public static final List<TopicSpec> ALL = List.of(USAGE, USAGE_DLQ, PRICES, USAGE_COSTED, SPEND, OUTPUT_STATS,
            PRICING_ALERTS, BUDGETS, RESERVATIONS, LEASE_REQUESTS, LEASES, BUDGET_STATE, BUDGET_DECISIONS, BUDGET_ALERTS, SINK_DLQ,
            RECONCILIATION_ALERTS, PRICE_ADJUSTMENTS);

    private Topics() {
    }

    /**
     * Creates the adjustments topic when an app finds it missing (a deployment from before re-pricing). The one place
     * that decides its partition count: as many as {@value #USAGE_COSTED_TOPIC} (both keyed by event_id), or, before
     * that exists, as {@value #USAGE_TOPIC}, which the quickstart and docker/create-topics.sh create with the same count.
     */
    public static boolean ensurePriceAdjustmentsTopic(String bootstrapServers, Map<String, Object> extraAdminConfig, Duration timeout) {
        return PRICE_ADJUSTMENTS.ensureExistsPartitionedLike(List.of(USAGE_COSTED, USAGE), bootstrapServers, extraAdminConfig, timeout);
    }

    public static TopicSpec byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown TokenLedger topic '" + name + "'"));
    }
}
