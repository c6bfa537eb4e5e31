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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The arithmetic of a {@link SpendAggregate}: an empty aggregate, one costed event folded in, two
 * partial aggregates merged. Tokens are summed as longs, money as exact {@link BigDecimal} at the
 * wire scale; merge is associative and commutative (except {@code updated_at}, which takes the
 * latest), so partial sums per partition can be merged in any order.
 */
public final class SpendMath {
    private SpendMath() {
    }

    public static SpendAggregate empty(SpendDimension dimension, String key, SpendWindow window, long start, long end,
                                       String zone) {
        return SpendAggregate.newBuilder()
                .setDimension(dimension).setDimensionKey(key).setWindow(window)
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end))
                .setTimeZone(zone)
                .setOtherTokens(new HashMap<>())
                .setCostInputUsd(Money.ZERO).setCostOutputUsd(Money.ZERO)
                .setCostCacheWrite5mUsd(Money.ZERO).setCostCacheWrite1hUsd(Money.ZERO)
                .setCostCacheReadUsd(Money.ZERO).setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.ZERO).setCacheSavingsUsd(Money.ZERO)
                .setUpdatedAt(Instant.ofEpochMilli(0))
                .build();
    }

    /** Prefix of the other-class name under which cache writes of other retentions are summed. */
    public static final String CACHE_WRITE_PREFIX = "cache_write_";

    /** A new aggregate: {@code agg} plus one costed event, updated at {@code now}. */
    public static SpendAggregate add(SpendAggregate agg, CostedUsage costed, Instant now) {
        UsageEvent e = costed.getEvent();
        SpendAggregate b = identityOf(agg);
        b.setInputTokens(agg.getInputTokens() + e.getInputTokens());
        b.setOutputTokens(agg.getOutputTokens() + e.getOutputTokens());
        b.setReasoningTokens(agg.getReasoningTokens() + e.getReasoningTokens());
        b.setCacheWrite5mTokens(agg.getCacheWrite5mTokens() + e.getCacheWrite5mTokens());
        b.setCacheWrite1hTokens(agg.getCacheWrite1hTokens() + e.getCacheWrite1hTokens());
        b.setCacheReadTokens(agg.getCacheReadTokens() + e.getCacheReadTokens());
        b.setOtherTokens(sumMaps(agg.getOtherTokens(), otherClasses(e)));
        b.setCostInputUsd(sum(agg.getCostInputUsd(), costed.getCostInputUsd()));
        b.setCostOutputUsd(sum(agg.getCostOutputUsd(), costed.getCostOutputUsd()));
        b.setCostCacheWrite5mUsd(sum(agg.getCostCacheWrite5mUsd(), costed.getCostCacheWrite5mUsd()));
        b.setCostCacheWrite1hUsd(sum(agg.getCostCacheWrite1hUsd(), costed.getCostCacheWrite1hUsd()));
        b.setCostCacheReadUsd(sum(agg.getCostCacheReadUsd(), costed.getCostCacheReadUsd()));
        b.setCostOtherUsd(sum(agg.getCostOtherUsd(), otherCost(costed)));
        b.setTotalCostUsd(sum(agg.getTotalCostUsd(), costed.getTotalCostUsd()));
        b.setCacheSavingsUsd(sum(agg.getCacheSavingsUsd(), costed.getCacheSavingsUsd()));
        b.setRequestCount(agg.getRequestCount() + 1);
        b.setErrorCount(agg.getErrorCount() + (e.getKind() == UsageKind.FAILED ? 1 : 0));
        b.setStreamTerminatedCount(agg.getStreamTerminatedCount() + (e.getKind() == UsageKind.STREAM_TERMINATED ? 1 : 0));
        b.setUnpricedCount(agg.getUnpricedCount() + (costed.getPricingStatus() == PricingStatus.UNPRICED ? 1 : 0));
        b.setUpdatedAt(now);
        return b;
    }

    /**
     * A new aggregate: {@code agg} plus the cost deltas of one price adjustment, updated at {@code now}. Tokens and
     * counts stay: the call was counted when it was first priced; only what it cost moves.
     */
    public static SpendAggregate add(SpendAggregate agg, PriceAdjustment a, Instant now) {
        SpendAggregate b = SpendMath.relabel(agg, agg.getWindow(), agg.getWindowStart().toEpochMilli(), agg.getWindowEnd().toEpochMilli());
        b.setCostInputUsd(sum(agg.getCostInputUsd(), a.getDeltaCostInputUsd()));
        b.setCostOutputUsd(sum(agg.getCostOutputUsd(), a.getDeltaCostOutputUsd()));
        b.setCostCacheWrite5mUsd(sum(agg.getCostCacheWrite5mUsd(), a.getDeltaCostCacheWrite5mUsd()));
        b.setCostCacheWrite1hUsd(sum(agg.getCostCacheWrite1hUsd(), a.getDeltaCostCacheWrite1hUsd()));
        b.setCostCacheReadUsd(sum(agg.getCostCacheReadUsd(), a.getDeltaCostCacheReadUsd()));
        // cost_other_usd carries the other classes and the other-retention cache writes, as add(CostedUsage) counts them.
        b.setCostOtherUsd(sum(agg.getCostOtherUsd(), a.getDeltaCostOtherUsd().add(a.getDeltaCostCacheWriteOtherUsd())));
        b.setTotalCostUsd(sum(agg.getTotalCostUsd(), a.getDeltaUsd()));
        b.setCacheSavingsUsd(sum(agg.getCacheSavingsUsd(), a.getDeltaCacheSavingsUsd()));
        b.setUpdatedAt(now);
        return b;
    }

    /** {@code a + b}; the identity fields (dimension, key, window) are taken from {@code a}. */
    public static SpendAggregate merge(SpendAggregate a, SpendAggregate b) {
        SpendAggregate m = identityOf(a);
        m.setInputTokens(a.getInputTokens() + b.getInputTokens());
        m.setOutputTokens(a.getOutputTokens() + b.getOutputTokens());
        m.setReasoningTokens(a.getReasoningTokens() + b.getReasoningTokens());
        m.setCacheWrite5mTokens(a.getCacheWrite5mTokens() + b.getCacheWrite5mTokens());
        m.setCacheWrite1hTokens(a.getCacheWrite1hTokens() + b.getCacheWrite1hTokens());
        m.setCacheReadTokens(a.getCacheReadTokens() + b.getCacheReadTokens());
        m.setOtherTokens(sumMaps(a.getOtherTokens(), b.getOtherTokens()));
        m.setCostInputUsd(sum(a.getCostInputUsd(), b.getCostInputUsd()));
        m.setCostOutputUsd(sum(a.getCostOutputUsd(), b.getCostOutputUsd()));
        m.setCostCacheWrite5mUsd(sum(a.getCostCacheWrite5mUsd(), b.getCostCacheWrite5mUsd()));
        m.setCostCacheWrite1hUsd(sum(a.getCostCacheWrite1hUsd(), b.getCostCacheWrite1hUsd()));
        m.setCostCacheReadUsd(sum(a.getCostCacheReadUsd(), b.getCostCacheReadUsd()));
        m.setCostOtherUsd(sum(a.getCostOtherUsd(), b.getCostOtherUsd()));
        m.setTotalCostUsd(sum(a.getTotalCostUsd(), b.getTotalCostUsd()));
        m.setCacheSavingsUsd(sum(a.getCacheSavingsUsd(), b.getCacheSavingsUsd()));
        m.setRequestCount(a.getRequestCount() + b.getRequestCount());
        m.setErrorCount(a.getErrorCount() + b.getErrorCount());
        m.setStreamTerminatedCount(a.getStreamTerminatedCount() + b.getStreamTerminatedCount());
        m.setUnpricedCount(a.getUnpricedCount() + b.getUnpricedCount());
        m.setUpdatedAt(a.getUpdatedAt().isAfter(b.getUpdatedAt()) ? a.getUpdatedAt() : b.getUpdatedAt());
        return m;
    }

    /**
     * {@code a} relabelled as another window, sharing its values (immutable, or a map no aggregate
     * mutates). {@code SpendAggregate.newBuilder(a)} deep-copies every field through Avro's generic data
     * model: 8.7 % of the stream threads' samples in the throughput benchmark.
     */
    public static SpendAggregate relabel(SpendAggregate a, SpendWindow window, long start, long end) {
        return new SpendAggregate(a.getDimension(), a.getDimensionKey(), window, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end), a.getTimeZone(), a.getInputTokens(), a.getOutputTokens(),
                a.getReasoningTokens(), a.getCacheWrite5mTokens(), a.getCacheWrite1hTokens(), a.getCacheReadTokens(),
                a.getOtherTokens(), a.getCostInputUsd(), a.getCostOutputUsd(), a.getCostCacheWrite5mUsd(),
                a.getCostCacheWrite1hUsd(), a.getCostCacheReadUsd(), a.getCostOtherUsd(), a.getTotalCostUsd(),
                a.getCacheSavingsUsd(), a.getRequestCount(), a.getErrorCount(), a.getStreamTerminatedCount(),
                a.getUnpricedCount(), a.getUpdatedAt());
    }

    /** A new aggregate with the identity fields of {@code a}; the caller sets every other field. */
    private static SpendAggregate identityOf(SpendAggregate a) {
        SpendAggregate m = new SpendAggregate();
        m.setDimension(a.getDimension());
        m.setDimensionKey(a.getDimensionKey());
        m.setWindow(a.getWindow());
        m.setWindowStart(a.getWindowStart());
        m.setWindowEnd(a.getWindowEnd());
        m.setTimeZone(a.getTimeZone());
        return m;
    }

    /**
     * The event's classes outside the five with their own fields: its named classes, plus its cache writes
     * of retentions other than 5m and 1h as {@code cache_write_<retention>} (SpendAggregate has no field
     * of its own for them, and without this their tokens would be lost and the class costs would not add
     * up to the total).
     */
    static Map<String, Long> otherClasses(UsageEvent e) {
        final Map<String, Long> writes = e.getCacheWriteTokens();
        if (writes == null || writes.isEmpty()) {
            return e.getOtherTokens();
        }
        final Map<String, Long> out = new HashMap<>(e.getOtherTokens());
        writes.forEach((retention, tokens) -> out.merge(CACHE_WRITE_PREFIX + retention, tokens, Long::sum));
        return out;
    }

    /** The cost of {@link #otherClasses}: named classes plus cache writes of other retentions. */
    static BigDecimal otherCost(CostedUsage costed) {
        final BigDecimal writes = costed.getCostCacheWriteOtherUsd();
        return writes == null ? costed.getCostOtherUsd() : costed.getCostOtherUsd().add(writes);
    }

    /** Sum of the per-class costs; equals {@code total_cost_usd} for every aggregate built here. */
    public static BigDecimal classCostSum(SpendAggregate a) {
        return a.getCostInputUsd().add(a.getCostOutputUsd()).add(a.getCostCacheWrite5mUsd())
                .add(a.getCostCacheWrite1hUsd()).add(a.getCostCacheReadUsd()).add(a.getCostOtherUsd());
    }

    private static BigDecimal sum(BigDecimal a, BigDecimal b) {
        return Money.toScale(a.add(b));
    }

    private static Map<String, Long> sumMaps(Map<String, Long> a, Map<String, Long> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return a;
        }
        Map<String, Long> out = new HashMap<>();
        a.forEach((k, v) -> out.merge(k.toString(), v, Long::sum));
        b.forEach((k, v) -> out.merge(k.toString(), v, Long::sum));
        return out;
    }
}
