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
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.avro.TenantCarveOut;
import dev.tokenledger.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input: {@link ScopeInput} keyed by scope key (after the by-scope repartition). Stores:
 * {@code enforcer-scope-ledgers} (scope key → {@link ScopeLedger}) and {@code enforcer-scope-holds}
 * ({@code scope_key#reservation_id} → {@link Hold}). Output: {@link EnforcerTopology.Output}
 * for the state, alerts and decisions topics.
 *
 * <p>Each input applies {@link ScopeAccountant} to the scope's ledger; the scope's newest state and its changed
 * ledger are written once per commit (alerts, decisions and leases go out as they happen). A wall-clock punctuator
 * (every {@code heartbeat.interval.ms}) rolls periods over, expires holds past their TTL, applies budget changes and
 * override expiry, and re-publishes every scope's state with a fresh {@code heartbeat_at}; it also creates the state
 * of a new budget this task owns (same partitioner as the repartition topic) and tombstones the state of a deleted
 * one. "Now" is the wall clock ({@code currentSystemTimeMs}); spend is charged to the period of the event's
 * {@code occurred_at}.
 */
final class ScopeAccounting implements Processor<String, ScopeInput, String, EnforcerTopology.Output> {
    private static final Logger LOG = LoggerFactory.getLogger(ScopeAccounting.class);
    private final EnforcerTopology.Options options;
    private final String budgetStoreName;
    private final String ledgerStoreName;
    private final String holdStoreName;
    private KeyValueStore<String, Hold> holds;
    private final ScopeAccountant accountant;
    private ProcessorContext<String, EnforcerTopology.Output> context;
    /** The same context: its internal side sets the node and record context of states forwarded from a commit. */
    private InternalProcessorContext<String, EnforcerTopology.Output> internal;
    private KeyValueStore<String, Budget> budgets;
    private KeyValueStore<String, ScopeLedger> ledgers;
    /** Each scope's policy, until the budgets change. */
    private final BudgetLookupCache<String, BudgetPolicy> policies;
    /** Worst input lag seen since the last heartbeat, ms. */
    private long maxLagMs;
    /**
     * The newest budget state of each scope changed since the last commit, with the record context it was made in:
     * published in the commit (one record per scope and commit, not per event; a read_committed reader sees a
     * transaction's records only once it commits, so it sees the same newest state no later than before).
     */
    private final Map<String, PendingState> pendingStates = new LinkedHashMap<>();
    /**
     * The ledgers read or changed since the last commit, as objects: a scope's ledger is decoded once and written once
     * (store and changelog) per commit, not per record. Written in the commit, before the states; emptied after it.
     */
    private final Map<String, ScopeLedger> ledgerCache = new HashMap<>();
    private final Set<String> dirtyLedgers = new LinkedHashSet<>();
    private record PendingState(Record<String, EnforcerTopology.Output> record, ProcessorRecordContext recordContext) {
    }

    ScopeAccounting(EnforcerTopology.Options options, String budgetStoreName, String ledgerStoreName, String holdStoreName,
                    BudgetLookupCache.Version budgetsVersion) {
        this.policies = new BudgetLookupCache<>(budgetsVersion);
        this.holdStoreName = holdStoreName;
        this.options = options;
        this.budgetStoreName = budgetStoreName;
        this.ledgerStoreName = ledgerStoreName;
        this.accountant = new ScopeAccountant(options.source(), options.leaseTtl());
    }

    @Override
    public void init(ProcessorContext<String, EnforcerTopology.Output> context) {
        this.context = context;
        this.budgets = context.getStateStore(budgetStoreName);
        this.ledgers = context.getStateStore(ledgerStoreName);
        this.holds = context.getStateStore(holdStoreName);
        context.schedule(options.heartbeatInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
        dropUncommitted();
        // Forwarding from a commit needs this processor as the current node, as a KTable cache's flush listener does.
        this.internal = (InternalProcessorContext<String, EnforcerTopology.Output>) context;
        final ProcessorNode<?, ?, ?, ?> self = internal.currentNode();
        final CommitHook hook = context.getStateStore(EnforcerTopology.COMMIT_HOOK_STORE);
        hook.on(() -> {
            writeLedgers();
            publishStates(self);
        }, this::dropUncommitted);
    }

    /** Forgets the states and ledgers of work not yet committed (a new task, or one closed dirty: it is processed again). */
    private void dropUncommitted() {
        pendingStates.clear();
        ledgerCache.clear();
        dirtyLedgers.clear();
    }

    /** The scope's ledger (null when it has none yet): from the objects of this commit, else decoded from the store. */
    private ScopeLedger ledger(String scopeKey) {
        ScopeLedger l = ledgerCache.get(scopeKey);
        if (l == null) {
            l = ledgers.get(scopeKey);
            if (l != null) {
                ledgerCache.put(scopeKey, l);
            }
        }
        return l;
    }

    /** Keeps {@code ledger} as the scope's ledger, to be written in the next commit. */
    private void save(String scopeKey, ScopeLedger ledger) {
        ledgerCache.put(scopeKey, ledger);
        dirtyLedgers.add(scopeKey);
    }

    private void deleteLedger(String scopeKey) {
        ledgerCache.remove(scopeKey);
        dirtyLedgers.remove(scopeKey);
        ledgers.delete(scopeKey);
    }

    /** Writes every ledger changed since the last commit to the store and its changelog (called in the commit). */
    private void writeLedgers() {
        for (String scopeKey : dirtyLedgers) {
            ledgers.put(scopeKey, ledgerCache.get(scopeKey));
        }
        dirtyLedgers.clear();
        ledgerCache.clear();
    }

    /** Makes {@code state} (null: a tombstone) the scope's state to publish at the next commit, replacing any pending one. */
    private void pend(String scopeKey, BudgetState state, long timestamp) {
        pendingStates.put(scopeKey, new PendingState(new Record<>(scopeKey,
                new EnforcerTopology.Output(Topics.BUDGET_STATE_TOPIC, state), timestamp),
                internal.recordContext()));
    }

    /** Forwards the pending state of every scope changed since the last commit (called in the commit). */
    private void publishStates(ProcessorNode<?, ?, ?, ?> self) {
        if (pendingStates.isEmpty()) {
            return;
        }
        final ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        final ProcessorRecordContext previousContext = internal.recordContext();
        internal.setCurrentNode(self);
        try {
            for (PendingState p : pendingStates.values()) {
                internal.setRecordContext(p.recordContext());
                internal.forward(p.record());
            }
        } finally {
            pendingStates.clear();
            internal.setRecordContext(previousContext);
            internal.setCurrentNode(previousNode);
        }
    }

    @Override
    public void process(Record<String, ScopeInput> record) {
        final String scopeKey = record.key();
        final ScopeInput in = record.value();
        if (scopeKey == null || in == null) {
            return;
        }
        final BudgetPolicy policy = policy(scopeKey);
        if (policy == null) {
            return;
        }
        // Usage charges and price adjustments arrive deduplicated (once per event or adjustment, before the fan-out).
        final Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        // Honest heartbeats: how far behind its input this step is (the record's timestamp is when the
        // usage was produced or the gate sent its request), kept as the worst of the heartbeat interval.
        maxLagMs = Math.max(maxLagMs, now.toEpochMilli() - record.timestamp());
        accountant.observedInputLag(maxLagMs);
        ScopeLedger ledger = ledger(scopeKey);
        if (ledger == null) {
            ledger = new ScopeLedger(scopeKey, policy.budgetId(), policy.window(now));
        }
        ledger.attach(book(scopeKey));
        final ScopeAccountant.Outcome outcome = in.charge() != null
                ? accountant.onUsage(ledger, policy, in.charge(), now)
                : in.adjustment() != null
                ? accountant.onAdjustment(ledger, policy, in.adjustment(), now)
                : in.leaseRequest() != null
                ? accountant.onLeaseRequest(ledger, policy, in.leaseRequest(), now)
                : accountant.onReservation(ledger, policy, in.reservation(), now);
        save(scopeKey, ledger);
        emit(scopeKey, outcome, record.timestamp());
    }

    private void tick(long wallClockMs) {
        final Instant now = Instant.ofEpochMilli(wallClockMs);
        // The lag published by this heartbeat: the worst seen since the last one (0 if the input was idle).
        accountant.observedInputLag(maxLagMs);
        maxLagMs = 0;
        // The store holds the ledgers as of the last commit; the ones read or changed since are newer.
        final Map<String, ScopeLedger> all = new LinkedHashMap<>();
        try (KeyValueIterator<String, ScopeLedger> it = ledgers.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        all.putAll(ledgerCache);
        for (Map.Entry<String, ScopeLedger> kv : all.entrySet()) {
            final BudgetPolicy policy = policy(kv.getKey());
            if (policy == null) {
                for (Hold h : book(kv.getKey()).all()) {
                    holds.delete(kv.getKey() + HOLD_KEY_SEPARATOR + h.reservationId);
                }
                deleteLedger(kv.getKey());
                // Through the pending states too: it replaces a state still waiting for this commit, which would
                // otherwise be published after the tombstone and outlive the budget on the compacted topic.
                pend(kv.getKey(), null, wallClockMs);
                continue;
            }
            final ScopeAccountant.Outcome outcome = accountant.onTick(kv.getValue().attach(book(kv.getKey())), policy, now);
            save(kv.getKey(), kv.getValue());
            emit(kv.getKey(), outcome, wallClockMs);
        }
        // New budgets (and carve-outs) owned by this task get a state before their first call.
        final List<String> owned = new ArrayList<>();
        try (KeyValueIterator<String, Budget> it = budgets.all()) {
            while (it.hasNext()) {
                final Budget b = it.next().value;
                if (b == null) {
                    continue;
                }
                addIfOwned(b.getBudgetId(), all.keySet(), owned);
                if (b.getFeatureId() != null) {
                    for (TenantCarveOut c : b.getCarveOuts()) {
                        addIfOwned(ScopeKeys.featureTenant(b.getFeatureId(), c.getTenantId()), all.keySet(), owned);
                    }
                }
            }
        }
        for (String scopeKey : owned) {
            final BudgetPolicy policy = policy(scopeKey);
            if (policy == null) {
                continue;
            }
            final ScopeLedger ledger = new ScopeLedger(scopeKey, policy.budgetId(), policy.window(now)).attach(book(scopeKey));
            final ScopeAccountant.Outcome outcome = accountant.onTick(ledger, policy, now);
            save(scopeKey, ledger);
            emit(scopeKey, outcome, wallClockMs);
        }
    }

    private void addIfOwned(String scopeKey, Set<String> known, List<String> owned) {
        if (!known.contains(scopeKey) && partitionOf(scopeKey, options.scopePartitions()) == context.taskId().partition()) {
            owned.add(scopeKey);
        }
    }

    /** Separates scope key and reservation id in the hold store's keys (never part of a scope key). */
    static final String HOLD_KEY_SEPARATOR = "#";

    /** The store-backed holds of one scope: one store entry per hold, so an update is O(1). */
    private HoldBook book(String scopeKey) {
        final String prefix = scopeKey + HOLD_KEY_SEPARATOR;
        return new HoldBook() {
            @Override
            public Hold get(String id) {
                return holds.get(prefix + id);
            }

            @Override
            public void put(Hold hold) {
                holds.put(prefix + hold.reservationId, hold);
            }

            @Override
            public void remove(String id) {
                holds.delete(prefix + id);
            }

            @Override
            public List<Hold> all() {
                final List<Hold> all = new ArrayList<>();
                try (KeyValueIterator<String, Hold> it = holds.prefixScan(prefix, new StringSerializer())) {
                    it.forEachRemaining(kv -> all.add(kv.value));
                }
                return all;
            }
        };
    }

    /** The partition the default producer partitioner gives a String key (as on the by-scope topic). */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The scope's policy (cached until the budgets change); null when no budget applies or it cannot be enforced. */
    private BudgetPolicy policy(String scopeKey) {
        try {
            return policies.get(scopeKey, context.currentSystemTimeMs(), k -> BudgetPolicy.forScope(k, budgets::get));
        } catch (IllegalArgumentException e) {
            LOG.warn("Budget for scope {} is ignored: {}", scopeKey, e.getMessage());
            return null;
        }
    }

    private void emit(String scopeKey, ScopeAccountant.Outcome outcome, long timestamp) {
        if (outcome.state() != null) {
            pend(scopeKey, outcome.state(), timestamp);
        }
        for (BudgetAlert a : outcome.alerts()) {
            LOG.info("Budget alert {}: {}", a.getAlertId(), a.getMessage());
            context.forward(new Record<>(a.getAlertId(), new EnforcerTopology.Output(Topics.BUDGET_ALERTS_TOPIC, a), timestamp));
        }
        for (BudgetDecision d : outcome.decisions()) {
            LOG.info("Budget decision {} {} enforced={}: {}", d.getDecision(), d.getReasonCode(), d.getEnforced(), d.getMessage());
            context.forward(new Record<>(scopeKey, new EnforcerTopology.Output(Topics.BUDGET_DECISIONS_TOPIC, d), timestamp));
        }
        for (Lease l : outcome.leases()) {
            if (l.getStatus() == LeaseStatus.RECALLED) {
                LOG.info("Lease recall {} for gate {}: {}", scopeKey, l.getGateId(), l.getReasonCode());
            }
            context.forward(new Record<>(l.getGateId(), new EnforcerTopology.Output(Topics.LEASES_TOPIC, l), timestamp));
        }
    }
}
