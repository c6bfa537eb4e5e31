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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * "What would re-pricing [from, to) change, and where?" The outcome of one {@link RepriceJob} run: how many
 * events it read and changed, and the total delta per feature, per model and per month (UTC) of occurred_at.
 */
public final class RepriceSummary {
    private final Instant from;
    private final Instant to;
    private final boolean dryRun;
    private final RepriceReach reach;
    private long eventsRead;
    private long eventsInRange;
    private long changed;
    private long published;
    private int transactions;
    private BigDecimal delta = Money.ZERO;
    private final Map<String, BigDecimal> byFeature = new TreeMap<>();
    private final Map<String, BigDecimal> byModel = new TreeMap<>();
    private final Map<String, BigDecimal> byMonth = new TreeMap<>();

    RepriceSummary(Instant from, Instant to, boolean dryRun, RepriceReach reach) {
        this.from = from;
        this.to = to;
        this.dryRun = dryRun;
        this.reach = reach;
    }

    void read(boolean inRange) {
        eventsRead++;
        if (inRange) {
            eventsInRange++;
        }
    }

    void changed(PriceAdjustment a) {
        changed++;
        final UsageEvent e = a.getEvent();
        delta = Money.toScale(delta.add(a.getDeltaUsd()));
        byFeature.merge(e.getFeatureId(), a.getDeltaUsd(), BigDecimal::add);
        byModel.merge(e.getProvider() + "/" + e.getModel(), a.getDeltaUsd(), BigDecimal::add);
        byMonth.merge(YearMonth.from(e.getOccurredAt().atZone(ZoneOffset.UTC)).toString(), a.getDeltaUsd(), BigDecimal::add);
        reach.add(e.getOccurredAt(), a.getDeltaUsd());
    }

    void committed(int records) {
        published += records;
        transactions++;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** Records read from the costed-usage topic (from the first offset at or after {@code from}). */
    public long eventsRead() {
        return eventsRead;
    }

    /** Events whose occurred_at is in [from, to). */
    public long eventsInRange() {
        return eventsInRange;
    }

    /** Events whose cost changes (one adjustment each). */
    public long changed() {
        return changed;
    }

    /** Adjustments committed to the topic (0 on a dry run). */
    public long published() {
        return published;
    }

    /** Transactions committed. */
    public int transactions() {
        return transactions;
    }

    /** Sum of every delta. */
    public BigDecimal totalDelta() {
        return delta;
    }

    public Map<String, BigDecimal> byFeature() {
        return Collections.unmodifiableMap(byFeature);
    }

    /** Keyed {@code provider/model}. */
    public Map<String, BigDecimal> byModel() {
        return Collections.unmodifiableMap(byModel);
    }

    /** Of the changed events: how many fall in aggregator windows already closed or budget periods already over. */
    public RepriceReach reach() {
        return reach;
    }

    /** Keyed {@code YYYY-MM} (UTC) of occurred_at. */
    public Map<String, BigDecimal> byMonth() {
        return Collections.unmodifiableMap(byMonth);
    }
}
