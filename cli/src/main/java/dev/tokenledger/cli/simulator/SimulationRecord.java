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
package dev.tokenledger.cli.simulator;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator sent, kept independently of the pipeline: every usage event (by the id the
 * agent gave it, with its tokens per class), every action the gate denied, and which users used
 * which feature in which month (the source of the matching {@code product_active_users} rows).
 * Thread-safe: actions may run on several threads.
 */
public final class SimulationRecord {
    private final ConcurrentLinkedQueue<SentEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> deniedByFeature = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> actionsByFeature = new ConcurrentHashMap<>();
    private final Map<ActiveKey, Set<String>> activeUsers = new ConcurrentHashMap<>();
    private final AtomicLong streamsCut = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<String> firstDenyBody = new java.util.concurrent.atomic.AtomicReference<>();

    private record ActiveKey(YearMonth month, String featureId, String tenantId, String planTier) {
    }

    /** Records that {@code action} was started at {@code epochMillis} (whether or not it was allowed). */
    public void actionStarted(UserAction action, long epochMillis) {
        actionsByFeature.computeIfAbsent(action.feature().id(), k -> new AtomicLong()).incrementAndGet();
        final YearMonth month = YearMonth.from(java.time.Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC));
        activeUsers.computeIfAbsent(new ActiveKey(month, action.feature().id(), action.tenant().id(), action.tenant().plan().id()),
                k -> ConcurrentHashMap.newKeySet()).add(action.userId());
    }

    public void sent(SentEvent event) {
        events.add(event);
    }

    /** The gate refused {@code action}; {@code http429Body} is the body a gateway would return. */
    public void denied(UserAction action, String http429Body) {
        deniedByFeature.computeIfAbsent(action.feature().id(), k -> new AtomicLong()).incrementAndGet();
        if (http429Body != null) {
            firstDenyBody.compareAndSet(null, http429Body);
        }
    }

    /** The HTTP 429 body of the first denial, or null. */
    public String firstDenyBody() {
        return firstDenyBody.get();
    }

    public void streamCut() {
        streamsCut.incrementAndGet();
    }

    public void retried() {
        retries.incrementAndGet();
    }

    public List<SentEvent> events() {
        return Collections.unmodifiableList(new ArrayList<>(events));
    }

    public long eventCount() {
        return events.size();
    }

    public long denied(String featureId) {
        final AtomicLong count = deniedByFeature.get(featureId);
        return count == null ? 0 : count.get();
    }

    public long deniedTotal() {
        return deniedByFeature.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long actions(String featureId) {
        final AtomicLong count = actionsByFeature.get(featureId);
        return count == null ? 0 : count.get();
    }

    public long actionsTotal() {
        return actionsByFeature.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long streamsCut() {
        return streamsCut.get();
    }

    public long retries() {
        return retries.get();
    }

    /** Tokens per class summed over every event, per feature (sorted by feature id). */
    public Map<String, TokenUsage> usageByFeature() {
        final Map<String, TokenUsage> totals = new TreeMap<>();
        for (SentEvent e : events) {
            totals.merge(e.featureId(), e.usage(), TokenUsage::plus);
        }
        return totals;
    }

    /** Tokens per class over every event. */
    public TokenUsage totalUsage() {
        return events.stream().map(SentEvent::usage).reduce(TokenUsage.ZERO, TokenUsage::plus);
    }

    /** The matching {@code product_active_users} rows: distinct users per month, feature and tenant. */
    public List<ActiveUserRow> activeUserRows() {
        return activeUsers.entrySet().stream()
                .map(e -> new ActiveUserRow(e.getKey().month(), e.getKey().featureId(), e.getKey().tenantId(),
                        e.getKey().planTier(), e.getValue().size()))
                .sorted(java.util.Comparator.comparing(ActiveUserRow::month).thenComparing(ActiveUserRow::featureId)
                        .thenComparing(ActiveUserRow::tenantId))
                .toList();
    }
}
