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
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.streams.DedupWindow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Input: the charges of priced, deduplicated usage, price adjustments (deduplicated here on adjustment_id) and
 * reservations (key reservation_id). Output:
 * copies keyed by the scope keys the record counts against. Usage goes to every scope of (feature, tenant) that has a
 * budget ({@link BudgetPolicy#scopesFor}); a reservation goes to the scope keys the gate held it against (or, if it
 * named none, the same computed scopes). Records for scopes without a budget are dropped here, so traffic with no
 * budget costs no internal hop.
 *
 * <p>Aggregate first, send later: usage that drew on no reservation (gate-less traffic, or a gate that admitted
 * without one) is summed per scope and {@value #BUCKET_MS} ms of occurred_at, and each sum goes out once per commit
 * ({@link CommitHook}), in the same transaction as the input it sums; a read_committed reader sees none of it before
 * that commit anyway. The bucket keeps every sum inside one budget period and one day in any time zone (all zone
 * offsets and period boundaries fall on 15-minute marks), so the accounting step charges it exactly as it would the
 * events one by one. A sum names its last event as the trigger of an alert or decision it causes. Usage that drew on a
 * reservation goes out per event: its hold and its gate's lease are settled by it.
 */
final class ScopeFanOut implements Processor<String, ScopeInput, String, ScopeInput> {
    /** Sums of gate-less usage are kept per scope and this much of occurred_at (15 minutes, UTC). */
    static final long BUCKET_MS = 15 * 60 * 1000L;
    /** Adjustment ids are kept in the seen-events store under this prefix. */
    static final String ADJUSTMENT_PREFIX = "adjustment:";
    private final String budgetStoreName;
    private final String commitHookName;
    private final String seenStoreName;
    private final long horizonMs;
    /** adjustment:adjustment_id at the time it was published: price adjustments already applied. */
    private WindowStore<String, Long> seen;
    private ProcessorContext<String, ScopeInput> context;
    private InternalProcessorContext<String, ScopeInput> internal;
    private KeyValueStore<String, Budget> budgets;
    /** Scope keys by feature and tenant, until the budgets change. */
    private final BudgetLookupCache<FeatureTenant, List<String>> scopeCache;
    /** Gate-less usage since the last commit, summed per scope and bucket (in arrival order). */
    private final Map<SumKey, Sum> sums = new LinkedHashMap<>();

    ScopeFanOut(String budgetStoreName, String commitHookName, String seenStoreName, Duration dedupHorizon,
                BudgetLookupCache.Version budgetsVersion) {
        this.budgetStoreName = budgetStoreName;
        this.commitHookName = commitHookName;
        this.seenStoreName = seenStoreName;
        this.horizonMs = dedupHorizon.toMillis();
        this.scopeCache = new BudgetLookupCache<>(budgetsVersion);
    }

    @Override
    public void init(ProcessorContext<String, ScopeInput> context) {
        this.context = context;
        this.budgets = context.getStateStore(budgetStoreName);
        this.seen = context.getStateStore(seenStoreName);
        sums.clear();
        // Forwarding from a commit needs this processor as the current node (as ScopeAccounting's states).
        this.internal = (InternalProcessorContext<String, ScopeInput>) context;
        final ProcessorNode<?, ?, ?, ?> self = internal.currentNode();
        final CommitHook hook = context.getStateStore(commitHookName);
        hook.on(() -> sendSums(self), sums::clear);
    }

    @Override
    public void process(Record<String, ScopeInput> record) {
        final ScopeInput in = record.value();
        if (in == null) {
            return;
        }
        final List<String> scopes;
        if (in.charge() != null) {
            final ScopeCharge c = in.charge();
            scopes = scopesFor(c.featureId(), c.tenantId());
            if (c.reservationId() == null) {
                for (String scope : scopes) {
                    sums.computeIfAbsent(new SumKey(scope, Math.floorDiv(c.occurredAtMs(), BUCKET_MS) * BUCKET_MS), k -> new Sum())
                            .add(c, record.timestamp(), internal.recordContext());
                }
                return;
            }
        } else if (in.adjustment() != null) {
            // A rerun of the re-pricing publishes the same adjustment again (same key, event_id: same partition).
            if (!DedupWindow.firstTime(seen, ADJUSTMENT_PREFIX + in.adjustment().getAdjustmentId(), record.timestamp(), horizonMs)) {
                return;
            }
            final UsageEvent e = in.adjustment().getEvent();
            scopes = scopesFor(e.getFeatureId(), e.getTenantId());
        } else {
            final Reservation r = in.reservation();
            scopes = r.getScopeKeys().isEmpty() ? scopesFor(r.getFeatureId(), r.getTenantId()) : r.getScopeKeys();
        }
        for (String scope : scopes) {
            context.forward(record.withKey(scope));
        }
    }

    /** Sends every scope's sums (called in the commit, before the transaction commits). */
    private void sendSums(ProcessorNode<?, ?, ?, ?> self) {
        if (sums.isEmpty()) {
            return;
        }
        final ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        final ProcessorRecordContext previousContext = internal.recordContext();
        internal.setCurrentNode(self);
        try {
            for (Map.Entry<SumKey, Sum> e : sums.entrySet()) {
                final Sum sum = e.getValue();
                final ScopeCharge last = sum.last;
                final ScopeCharge charge = new ScopeCharge(last.eventId(), e.getKey().bucketStart(), sum.amount, last.requestId(),
                        last.parentRequestId(), last.rootRequestId(), null, last.model(), last.modelTier(), last.featureId(),
                        last.tenantId());
                internal.setRecordContext(sum.recordContext);
                internal.forward(new Record<>(e.getKey().scope(), ScopeInput.of(charge), sum.timestamp));
            }
        } finally {
            sums.clear();
            internal.setRecordContext(previousContext);
            internal.setCurrentNode(previousNode);
        }
    }

    /** {@link BudgetPolicy#scopesFor}, cached per (feature, tenant) until the budgets change. */
    private List<String> scopesFor(String featureId, String tenantId) {
        return scopeCache.get(new FeatureTenant(featureId, tenantId), context.currentSystemTimeMs(),
                k -> List.copyOf(BudgetPolicy.scopesFor(featureId, tenantId, budgets::get)));
    }

    /** Cache key of {@link #scopesFor} (either id may be null). */
    private record FeatureTenant(String featureId, String tenantId) {
    }

    private record SumKey(String scope, long bucketStart) {
    }

    /** What a scope and bucket got since the last commit: the exact total and its last event (record, context). */
    private static final class Sum {
        BigDecimal amount = BigDecimal.ZERO;
        ScopeCharge last;
        long timestamp;
        ProcessorRecordContext recordContext;

        void add(ScopeCharge c, long recordTimestamp, ProcessorRecordContext context) {
            amount = amount.add(c.costUsd());
            last = c;
            timestamp = recordTimestamp;
            recordContext = context;
        }
    }
}
