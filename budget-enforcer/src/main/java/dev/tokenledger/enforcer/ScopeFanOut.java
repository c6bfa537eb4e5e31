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
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Input: the charges of priced, deduplicated usage, price adjustments (deduplicated here on adjustment_id) and
 * reservations (key reservation_id). Output: one copy per scope key the record counts against, keyed by scope key.
 * Usage goes to every scope of (feature, tenant) that has a budget ({@link BudgetPolicy#scopesFor}); a reservation
 * goes to the scope keys the gate held it against (or, if it named none, the same computed scopes). Records for
 * scopes without a budget are dropped here, so traffic with no budget costs no internal hop.
 */
final class ScopeFanOut implements Processor<String, ScopeInput, String, ScopeInput> {
    /** Adjustment ids are kept in the seen-events store under this prefix. */
    static final String ADJUSTMENT_PREFIX = "adjustment:";
    private final String budgetStoreName;
    private final String seenStoreName;
    private final long horizonMs;
    /** adjustment:adjustment_id at the time it was published: price adjustments already applied. */
    private WindowStore<String, Long> seen;
    private ProcessorContext<String, ScopeInput> context;
    private KeyValueStore<String, Budget> budgets;
    /** Scope keys by feature and tenant, until the budgets change. */
    private final BudgetLookupCache<FeatureTenant, List<String>> scopeCache;

    ScopeFanOut(String budgetStoreName, String seenStoreName, Duration dedupHorizon, BudgetLookupCache.Version budgetsVersion) {
        this.budgetStoreName = budgetStoreName;
        this.seenStoreName = seenStoreName;
        this.horizonMs = dedupHorizon.toMillis();
        this.scopeCache = new BudgetLookupCache<>(budgetsVersion);
    }

    @Override
    public void init(ProcessorContext<String, ScopeInput> context) {
        this.context = context;
        this.budgets = context.getStateStore(budgetStoreName);
        this.seen = context.getStateStore(seenStoreName);
    }

    @Override
    public void process(Record<String, ScopeInput> record) {
        final ScopeInput in = record.value();
        if (in == null) {
            return;
        }
        final List<String> scopes;
        if (in.charge() != null) {
            scopes = scopesFor(in.charge().featureId(), in.charge().tenantId());
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

    /** {@link BudgetPolicy#scopesFor}, cached per (feature, tenant) until the budgets change. */
    private List<String> scopesFor(String featureId, String tenantId) {
        return scopeCache.get(new FeatureTenant(featureId, tenantId), context.currentSystemTimeMs(),
                k -> List.copyOf(BudgetPolicy.scopesFor(featureId, tenantId, budgets::get)));
    }

    /** Cache key of {@link #scopesFor} (either id may be null). */
    private record FeatureTenant(String featureId, String tenantId) {
    }
}
