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
package dev.tokenledger.enforcer;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.PriceCatalogHolder;
import dev.tokenledger.pricing.UsageValidator;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The budget enforcer: spend and holds per scope and period, and the allow/deny state gateways read.
 *
 * <pre>
 * tokenledger.budgets.v1 (key budget_id = scope key, compacted) ──► global store enforcer-budgets
 *
 * tokenledger.usage.v1 (key workflow; other keys re-keyed through enforcer-usage-rekeyed first)
 *        ──► enforcer-usage-admission: validate, dedup once per event (enforcer-seen-events), price at
 *        occurred_at (global store enforcer-prices from tokenledger.prices.v1, the shipped catalog underneath) ──┐
 *                                              ├─► enforcer-fan-out: to every scope key with a budget (global,
 * tokenledger.reservations.v1 (key res. id) ───┘   tenant:T, feature:F or the carve-out); adjustments deduplicated
 *        ──► repartition enforcer-by-scope (key scope_key)
 *        ◄── tokenledger.lease-requests.v1 (key scope_key, same partitioning: read directly)
 *        ──► enforcer-scope-accounting (stores enforcer-scope-ledgers, enforcer-scope-holds; wall-clock punctuator)
 *               ├─► tokenledger.budget-state.v1     (key scope_key, compacted): on every change, on
 *               │                                    period rollover and on every heartbeat
 *               ├─► tokenledger.budget-alerts.v1    (key alert_id): once per scope, threshold, period
 *               ├─► tokenledger.budget-decisions.v1 (key scope_key): deny transitions, overrides,
 *               │                                    override expiry, expired holds
 *               └─► tokenledger.leases.v1           (key gate_id): grants, denials and recalls ({@link LeaseGrants}),
 *                                                    in the same transaction as the ledger change behind them
 * </pre>
 *
 * <p>Shortest path: usage keyed by workflow crosses exactly one internal hop (the fan-out writes each
 * scope's charge straight to the repartition topic), and the state record is written in the same transaction as the
 * ledger update. The enforcer prices raw usage itself with the pricing library (same validator, same pricer, same
 * prices topic as the aggregator), so the aggregator is off the deny path; duplicates are dropped once per event on
 * event_id before the fan-out (window store {@code enforcer-seen-events}, the dedup horizon; price adjustments there
 * too, on adjustment_id). The rules live in {@link ScopeAccountant}, {@link LeaseGrants} and {@link BudgetPolicy}.
 */
public final class EnforcerTopology {
    public static final String BUDGETS_SOURCE = "enforcer-budgets-source";
    public static final String BUDGETS_STORE = "enforcer-budgets";
    public static final String BUDGETS_UPDATER = "enforcer-budgets-updater";
    public static final String USAGE_SOURCE = "enforcer-usage-source";
    public static final String USAGE_ADMISSION = "enforcer-usage-admission";
    public static final String PRICES_SOURCE = "enforcer-prices-source";
    public static final String PRICES_STORE = "enforcer-prices";
    /**
     * event_id at occurred_at of usage already charged, and adjustment ids already applied: the dedup, once per event
     * or adjustment, before the fan-out. (Versions before it deduplicated per scope in enforcer-scope-seen-events.)
     */
    public static final String SEEN_STORE = "enforcer-seen-events";
    /** Usage records keyed otherwise than by workflow (older producers) are re-keyed through this topic. */
    public static final String USAGE_REKEYED = "enforcer-usage-rekeyed";
    /** Publishes each changed scope's newest budget state once per commit ({@link CommitHook}: no state, no changelog). */
    public static final String COMMIT_HOOK_STORE = "enforcer-state-publisher";
    public static final String RESERVATIONS_SOURCE = "enforcer-reservations-source";
    public static final String RESERVATIONS_AS_INPUT = "enforcer-reservations-as-scope-input";
    public static final String MERGE = "enforcer-inputs-merge";
    public static final String ADJUSTMENTS_SOURCE = "enforcer-price-adjustments-source";
    public static final String ADJUSTMENTS_AS_INPUT = "enforcer-price-adjustments-as-scope-input";
    public static final String ADJUSTMENTS_MERGE = "enforcer-price-adjustments-merge";
    public static final String LEASE_REQUESTS_SOURCE = "enforcer-lease-requests-source";
    public static final String LEASE_REQUESTS_AS_INPUT = "enforcer-lease-requests-as-scope-input";
    public static final String LEASE_MERGE = "enforcer-lease-requests-merge";
    public static final String LEASE_SINK = "enforcer-leases-sink";
    public static final String FAN_OUT = "enforcer-fan-out";
    public static final String BY_SCOPE = "enforcer-by-scope";
    public static final String LEDGER_STORE = "enforcer-scope-ledgers";
    public static final String HOLD_STORE = "enforcer-scope-holds";
    public static final String ACCOUNTING = "enforcer-scope-accounting";
    public static final String SPLIT = "enforcer-output-";
    public static final String STATE_SINK = "enforcer-budget-state-sink";
    public static final String ALERT_SINK = "enforcer-budget-alerts-sink";
    public static final String DECISION_SINK = "enforcer-budget-decisions-sink";

    /** Knobs of the topology. {@code scopePartitions}: partitions of the by-scope repartition topic. */
    public record Options(Duration heartbeatInterval, int scopePartitions, String source, Duration leaseTtl, UsageRules usage) {
        public Options(Duration heartbeatInterval, int scopePartitions, String source) {
            this(heartbeatInterval, scopePartitions, source, Duration.ofSeconds(30));
        }

        public Options(Duration heartbeatInterval, int scopePartitions, String source, Duration leaseTtl) {
            this(heartbeatInterval, scopePartitions, source, leaseTtl, UsageRules.defaults());
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), 1, "enforcer");
        }
    }

    /**
     * How raw usage is admitted and priced, as in the aggregator: the validator's limits, the dedup
     * horizon (event ids remembered per scope), and whether the shipped catalog lies under the prices topic.
     */
    public record UsageRules(long maxTokensPerClass, Duration futureSkewLimit, Duration dedupHorizon, boolean defaultCatalog) {
        public static UsageRules defaults() {
            return new UsageRules(50_000_000L, Duration.ofHours(1), Duration.ofDays(7), true);
        }
    }

    /** One output of the accounting processor: the topic it goes to and its value (null = tombstone). */
    public record Output(String topic, SpecificRecord value) {
    }

    private EnforcerTopology() {
    }

    public static Topology build(Options options, EnforcerSerdes serdes) {
        // Fail the build (in tests too, not only at start) if any internal topic or store is unnamed.
        // Tasks cache what they derive from the budgets until the global store changes (BudgetLookupCache).
        final BudgetLookupCache.Version budgetsVersion = new BudgetLookupCache.Version();
        final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "naming-check",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true))));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUDGETS_STORE), Serdes.String(), serdes.budget())
                        .withLoggingDisabled(),
                Topics.BUDGETS_TOPIC,
                Consumed.with(Serdes.String(), serdes.budget()).withName(BUDGETS_SOURCE),
                () -> new GlobalStoreUpdater<Budget>(BUDGETS_STORE, (k, v) -> budgetsVersion.changed()));
        // Not cached by Kafka Streams: the accounting step keeps the ledgers it reads as objects and writes each changed
        // one once per commit (RocksDB and changelog, inside the commit's transaction; ScopeAccounting#writeLedgers).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_STORE), Serdes.String(), serdes.ledger()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOLD_STORE), Serdes.String(), ScopeLedgerSerde.holds()));

        final PriceCatalogHolder catalog = new PriceCatalogHolder(options.usage().defaultCatalog()
                ? PriceCatalog::loadDefault : () -> PriceCatalog.of(List.of()));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PRICES_STORE), Serdes.String(), serdes.price())
                        .withLoggingDisabled(),
                Topics.PRICES_TOPIC,
                Consumed.with(Serdes.String(), serdes.price()).withName(PRICES_SOURCE),
                () -> new GlobalStoreUpdater<PriceEntry>(PRICES_STORE, catalog::apply));
        builder.addStateStore(CommitHook.builder(COMMIT_HOOK_STORE));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_STORE,
                options.usage().dedupHorizon().plusHours(1), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        final UsageValidator validator = new UsageValidator(options.usage().maxTokensPerClass(), options.usage().futureSkewLimit());

        // Raw usage, one hop from the agent: validated, deduplicated and priced here, so the aggregator is not on the
        // deny path. Producers key usage by workflow (UsageKeys), so every copy of an event is in one partition and is
        // deduplicated where it is read; only records keyed otherwise (older producers) take the re-keying hop.
        final Map<String, KStream<String, UsageEvent>> byKey = builder
                .stream(Topics.USAGE_TOPIC, Consumed.with(Serdes.String(), serdes.usage()).withName(USAGE_SOURCE))
                .split(Named.as("enforcer-usage-key-"))
                .branch((key, event) -> event == null || UsageKeys.follows(key, event), Branched.as("by-workflow"))
                .defaultBranch(Branched.as("other"));
        final KStream<String, UsageEvent> rekeyed = byKey.get("enforcer-usage-key-other")
                .selectKey((key, event) -> UsageKeys.keyOf(event), Named.as("enforcer-usage-rekey"))
                .repartition(Repartitioned.<String, UsageEvent>as(USAGE_REKEYED)
                        .withKeySerde(Serdes.String()).withValueSerde(serdes.usage()));
        final KStream<String, ScopeInput> usage = byKey.get("enforcer-usage-key-by-workflow")
                .merge(rekeyed, Named.as("enforcer-usage-keyed-merge"))
                .process(() -> new UsageAdmission(validator, catalog, PRICES_STORE, SEEN_STORE, options.usage().dedupHorizon()),
                        Named.as(USAGE_ADMISSION), SEEN_STORE);
        final KStream<String, ScopeInput> reservations = builder
                .stream(Topics.RESERVATIONS_TOPIC, Consumed.with(Serdes.String(), serdes.reservation()).withName(RESERVATIONS_SOURCE))
                .mapValues(ScopeInput::of, Named.as(RESERVATIONS_AS_INPUT));

        // Lease requests are keyed by scope key and partitioned like the by-scope topic: the accounting
        // step reads them directly (one hop, one commit from gate to grant).
        final KStream<String, ScopeInput> leaseRequests = builder
                .stream(Topics.LEASE_REQUESTS_TOPIC, Consumed.with(Serdes.String(), serdes.leaseRequest()).withName(LEASE_REQUESTS_SOURCE))
                .mapValues(ScopeInput::of, Named.as(LEASE_REQUESTS_AS_INPUT));

        // Re-pricing corrections reach the scopes of their event like its usage did, deduplicated once in the fan-out on
        // adjustment_id.
        final KStream<String, ScopeInput> adjustments = builder
                .stream(Topics.PRICE_ADJUSTMENTS_TOPIC, Consumed.with(Serdes.String(), serdes.adjustment()).withName(ADJUSTMENTS_SOURCE))
                .mapValues(ScopeInput::of, Named.as(ADJUSTMENTS_AS_INPUT));

        final KStream<String, Output> outputs = usage.merge(reservations, Named.as(MERGE))
                .merge(adjustments, Named.as(ADJUSTMENTS_MERGE))
                .process(() -> new ScopeFanOut(BUDGETS_STORE, SEEN_STORE, options.usage().dedupHorizon(), budgetsVersion),
                        Named.as(FAN_OUT), SEEN_STORE)
                .repartition(Repartitioned.with(Serdes.String(), serdes.scopeInput())
                        .withName(BY_SCOPE)
                        .withNumberOfPartitions(options.scopePartitions()))
                .merge(leaseRequests, Named.as(LEASE_MERGE))
                .process(() -> new ScopeAccounting(options, BUDGETS_STORE, LEDGER_STORE, HOLD_STORE, budgetsVersion), Named.as(ACCOUNTING),
                        LEDGER_STORE, HOLD_STORE, COMMIT_HOOK_STORE);

        outputs.split(Named.as(SPLIT))
                .branch((k, o) -> Topics.BUDGET_STATE_TOPIC.equals(o.topic()), Branched.withConsumer(s -> s
                        .mapValues(o -> (BudgetState) o.value(), Named.as("enforcer-state-values"))
                        .to(Topics.BUDGET_STATE_TOPIC, Produced.with(Serdes.String(), serdes.state()).withName(STATE_SINK)), "state"))
                .branch((k, o) -> Topics.BUDGET_ALERTS_TOPIC.equals(o.topic()), Branched.withConsumer(s -> s
                        .mapValues(o -> (BudgetAlert) o.value(), Named.as("enforcer-alert-values"))
                        .to(Topics.BUDGET_ALERTS_TOPIC, Produced.with(Serdes.String(), serdes.alert()).withName(ALERT_SINK)), "alerts"))
                .branch((k, o) -> Topics.BUDGET_DECISIONS_TOPIC.equals(o.topic()), Branched.withConsumer(s -> s
                        .mapValues(o -> (BudgetDecision) o.value(), Named.as("enforcer-decision-values"))
                        .to(Topics.BUDGET_DECISIONS_TOPIC, Produced.with(Serdes.String(), serdes.decision()).withName(DECISION_SINK)), "decisions"))
                .branch((k, o) -> Topics.LEASES_TOPIC.equals(o.topic()), Branched.withConsumer(s -> s
                        .mapValues(o -> (Lease) o.value(), Named.as("enforcer-lease-values"))
                        .to(Topics.LEASES_TOPIC, Produced.with(Serdes.String(), serdes.lease()).withName(LEASE_SINK)), "leases"))
                .noDefaultBranch();
        return builder.build();
    }

    /** Budget lookups against the global store (budget_id = scope key). */
    static java.util.function.Function<String, Budget> lookup(org.apache.kafka.streams.state.KeyValueStore<String, Budget> store) {
        return store::get;
    }
}
