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
package dev.tokenledger.dashboard;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.gate.CompactedTopicFeed;
import dev.tokenledger.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where every budget stands right now: the newest {@link BudgetState} per scope key, read from the
 * compacted {@code tokenledger.budget-state.v1} exactly as a gate reads it (budget-gate's
 * {@link CompactedTopicFeed}, registry serdes), with each scope's {@link Budget} from
 * {@code tokenledger.budgets.v1} for its thresholds and override. Listeners (the server-sent event
 * streams of open pages) hear of every state whose version or status changed; the heartbeat
 * re-publications in between are not passed on. Without a broker it says why it has nothing.
 */
public final class LiveBudgets implements AutoCloseable {
    /** What the page shows when the dashboard was started without {@code --bootstrap}. */
    public static final String NO_BOOTSTRAP = "live budget state is off: start the dashboard with --bootstrap and --registry "
            + "to read tokenledger.budget-state.v1";

    private final Map<String, BudgetState> states = new ConcurrentHashMap<>();
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private final List<Consumer<BudgetState>> listeners = new CopyOnWriteArrayList<>();
    private final String unavailable;
    private final List<CompactedTopicFeed<?>> feeds = new ArrayList<>();

    private LiveBudgets(String unavailable) {
        this.unavailable = unavailable;
    }

    /** No live state; {@link #unavailableReason()} says why. */
    public static LiveBudgets unavailable(String reason) {
        return new LiveBudgets(reason);
    }

    /** Live state that the caller feeds through {@link #accept} (tests and the benchmark: no broker). */
    static LiveBudgets fedByCaller() {
        return new LiveBudgets(null);
    }

    /** Follows the budget state and budgets topics through {@code bootstrapServers} and the registry. */
    public static LiveBudgets connect(String bootstrapServers, String registryUrl, Map<String, Object> clientConfig) {
        LiveBudgets live = new LiveBudgets(null);
        live.feeds.add(CompactedTopicFeed.start(bootstrapServers, registryUrl, clientConfig, Budget.class, Topics.BUDGETS_TOPIC,
                live::acceptBudget, "tokenledger-dashboard-budgets"));
        live.feeds.add(CompactedTopicFeed.start(bootstrapServers, registryUrl, clientConfig, BudgetState.class, Topics.BUDGET_STATE_TOPIC,
                live::accept, "tokenledger-dashboard-budget-state"));
        return live;
    }

    /** Null when live; otherwise why there is no live state. */
    public String unavailableReason() {
        return unavailable;
    }

    /** True once both topics were read to the end they had at start (or at once when not live). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        for (CompactedTopicFeed<?> f : feeds) {
            if (!f.awaitReady(timeout)) {
                return false;
            }
        }
        return true;
    }

    void acceptBudget(String budgetId, Budget budget) {
        if (budget == null) {
            budgets.remove(budgetId);
        } else {
            budgets.put(budgetId, budget);
        }
    }

    /** Applies one record of the state topic (null: a tombstone) and tells the listeners when it changed. */
    void accept(String scopeKey, BudgetState state) {
        if (state == null) {
            states.remove(scopeKey);
            return;
        }
        BudgetState before = states.put(scopeKey, state);
        if (before == null || before.getVersion() != state.getVersion() || before.getStatus() != state.getStatus()) {
            for (Consumer<BudgetState> l : listeners) {
                l.accept(state);
            }
        }
    }

    /** Every scope's state, by scope key; only {@code tenant}'s scopes when it is not null. */
    public List<BudgetState> snapshot(String tenant) {
        return states.values().stream().filter(s -> visibleTo(s, tenant))
                .sorted(Comparator.comparing(s -> s.getScopeKey().toString())).toList();
    }

    /** The budget a state belongs to (thresholds, override), or null. */
    public Budget budget(BudgetState state) {
        return budgets.get(state.getBudgetId().toString());
    }

    /** Whether a tenant-scoped reader ({@code tenant} not null) may see {@code state}: only its own tenant's scopes. */
    static boolean visibleTo(BudgetState state, String tenant) {
        return tenant == null || state.getTenantId() != null && tenant.equals(state.getTenantId().toString());
    }

    /** Calls {@code listener} on every change until the returned handle runs. */
    public Runnable subscribe(Consumer<BudgetState> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() throws InterruptedException {
        for (CompactedTopicFeed<?> f : feeds) {
            f.close();
        }
    }
}
