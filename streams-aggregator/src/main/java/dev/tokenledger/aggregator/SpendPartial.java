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
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A running MINUTE partial sum of one dimension value inside one partition: what the partial stage
 * adds every event into, in memory, before it is flushed to the merge stage. Mutable and cheap to
 * add to (about 20 long additions per event and dimension), unlike the immutable Avro
 * {@link SpendAggregate} it becomes ({@link #toAggregate}).
 *
 * <p>Money is exact: each of the eight amounts is kept as a count of 10^-12 USD (the wire scale) in a
 * {@code long}, added with {@link Math#addExact}; an amount that does not fit (more than about
 * 9.2 million USD in one partial, or a value with more than 12 decimals) moves that amount to a
 * {@link BigDecimal} for the rest of the partial's life, so no sum ever wraps or rounds.
 */
final class SpendPartial {
    /** Index of each amount in {@link #units}: input, output, 5m write, 1h write, read, other, total, savings. */
    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int WRITE_5M = 2;
    static final int WRITE_1H = 3;
    static final int READ = 4;
    static final int OTHER = 5;
    static final int TOTAL = 6;
    static final int SAVINGS = 7;
    private static final int AMOUNTS = 8;
    private static final long MINUTE_MS = 60_000L;

    final SpendDimension dimension;
    final String key;
    final long minute;
    private long inputTokens;
    private long outputTokens;
    private long reasoningTokens;
    private long cacheWrite5mTokens;
    private long cacheWrite1hTokens;
    private long cacheReadTokens;
    private Map<String, Long> otherTokens;
    private final long[] units = new long[AMOUNTS];
    /** Amounts that left the long range; null while none did. */
    private BigDecimal[] big;
    private long requests;
    private long errors;
    private long terminated;
    private long unpriced;
    private long updatedAt;

    SpendPartial(SpendDimension dimension, String key, long minute) {
        this.dimension = dimension;
        this.key = key;
        this.minute = minute;
    }

    /** The eight amounts of one costed event, in 10^-12 USD where they fit, else as decimals ({@code big} non-null). */
    static final class Amounts {
        final long[] units = new long[AMOUNTS];
        BigDecimal[] big;

        static Amounts of(CostedUsage c) {
            Amounts a = new Amounts();
            a.set(INPUT, c.getCostInputUsd());
            a.set(OUTPUT, c.getCostOutputUsd());
            a.set(WRITE_5M, c.getCostCacheWrite5mUsd());
            a.set(WRITE_1H, c.getCostCacheWrite1hUsd());
            a.set(READ, c.getCostCacheReadUsd());
            a.set(OTHER, SpendMath.otherCost(c));
            a.set(TOTAL, c.getTotalCostUsd());
            a.set(SAVINGS, c.getCacheSavingsUsd());
            return a;
        }

        private void set(int i, BigDecimal amount) {
            if (amount == null || amount.signum() == 0) {
                return;
            }
            BigDecimal scaled = Money.toScale(amount);
            BigInteger unscaled = scaled.unscaledValue();
            if (unscaled.bitLength() < Long.SIZE) {
                units[i] = unscaled.longValue();
            } else {
                if (big == null) {
                    big = new BigDecimal[AMOUNTS];
                }
                big[i] = scaled;
            }
        }
    }

    /** Folds one costed event in (its amounts already taken apart once for all dimensions), at processing time {@code now}. */
    void add(CostedUsage costed, Amounts amounts, Map<String, Long> eventOtherTokens, long now) {
        UsageEvent e = costed.getEvent();
        inputTokens += e.getInputTokens();
        outputTokens += e.getOutputTokens();
        reasoningTokens += e.getReasoningTokens();
        cacheWrite5mTokens += e.getCacheWrite5mTokens();
        cacheWrite1hTokens += e.getCacheWrite1hTokens();
        cacheReadTokens += e.getCacheReadTokens();
        if (!eventOtherTokens.isEmpty()) {
            if (otherTokens == null) {
                otherTokens = new HashMap<>();
            }
            eventOtherTokens.forEach((k, v) -> otherTokens.merge(k.toString(), v, Long::sum));
        }
        for (int i = 0; i < AMOUNTS; i++) {
            if (amounts.big != null && amounts.big[i] != null) {
                addBig(i, amounts.big[i]);
            } else if (amounts.units[i] != 0) {
                addUnits(i, amounts.units[i]);
            }
        }
        requests++;
        errors += e.getKind() == UsageKind.FAILED ? 1 : 0;
        terminated += e.getKind() == UsageKind.STREAM_TERMINATED ? 1 : 0;
        unpriced += costed.getPricingStatus() == PricingStatus.UNPRICED ? 1 : 0;
        updatedAt = Math.max(updatedAt, now);
    }

    private void addUnits(int i, long amount) {
        if (big != null && big[i] != null) {
            big[i] = big[i].add(BigDecimal.valueOf(amount, Money.SCALE));
            return;
        }
        long sum = units[i] + amount;
        if (((units[i] ^ sum) & (amount ^ sum)) < 0) {   // Math.addExact's overflow test, without the exception
            addBig(i, BigDecimal.valueOf(amount, Money.SCALE));
        } else {
            units[i] = sum;
        }
    }

    private void addBig(int i, BigDecimal amount) {
        if (big == null) {
            big = new BigDecimal[AMOUNTS];
        }
        if (big[i] == null) {
            big[i] = BigDecimal.valueOf(units[i], Money.SCALE);
            units[i] = 0;
        }
        big[i] = big[i].add(amount);
    }

    /** One amount, exact, at the wire scale. */
    BigDecimal amount(int i) {
        return big != null && big[i] != null ? Money.toScale(big[i]) : BigDecimal.valueOf(units[i], Money.SCALE);
    }

    long requests() {
        return requests;
    }

    /** This partial as the MINUTE SpendAggregate the merge stage adds into every window of its dimension. */
    SpendAggregate toAggregate(String zone) {
        return new SpendAggregate(dimension, key, SpendWindow.MINUTE, Instant.ofEpochMilli(minute),
                Instant.ofEpochMilli(minute + MINUTE_MS), zone, inputTokens, outputTokens, reasoningTokens,
                cacheWrite5mTokens, cacheWrite1hTokens, cacheReadTokens, otherTokens == null ? new HashMap<>() : otherTokens,
                amount(INPUT), amount(OUTPUT), amount(WRITE_5M), amount(WRITE_1H), amount(READ), amount(OTHER),
                amount(TOTAL), amount(SAVINGS), requests, errors, terminated, unpriced, Instant.ofEpochMilli(updatedAt));
    }

    /** Compact binary form for the changelog of {@link WriteBackStore} (not Avro: written once per key and commit). */
    static Serde<SpendPartial> serde() {
        Serializer<SpendPartial> ser = (topic, p) -> p == null ? null : p.encode();
        Deserializer<SpendPartial> de = (topic, bytes) -> bytes == null ? null : decode(ByteBuffer.wrap(bytes));
        return Serdes.serdeFrom(ser, de);
    }

    private static final byte FORMAT = 1;

    private byte[] encode() {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int others = otherTokens == null ? 0 : otherTokens.size();
        int size = 1 + 1 + 4 + keyBytes.length + 8 * 20 + 4 + 4;
        if (otherTokens != null) {
            for (String k : otherTokens.keySet()) {
                size += 4 + k.getBytes(StandardCharsets.UTF_8).length + 8;
            }
        }
        byte[][] bigBytes = new byte[AMOUNTS][];
        int bigMask = 0;
        for (int i = 0; i < AMOUNTS; i++) {
            if (big != null && big[i] != null) {
                bigBytes[i] = big[i].unscaledValue().toByteArray();
                bigMask |= 1 << i;
                size += 4 + 4 + bigBytes[i].length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT).put((byte) dimension.ordinal()).putInt(keyBytes.length).put(keyBytes);
        b.putLong(minute).putLong(inputTokens).putLong(outputTokens).putLong(reasoningTokens).putLong(cacheWrite5mTokens)
                .putLong(cacheWrite1hTokens).putLong(cacheReadTokens);
        for (long u : units) {
            b.putLong(u);
        }
        b.putLong(requests).putLong(errors).putLong(terminated).putLong(unpriced).putLong(updatedAt);
        b.putInt(others);
        if (otherTokens != null) {
            otherTokens.forEach((k, v) -> {
                byte[] kb = k.getBytes(StandardCharsets.UTF_8);
                b.putInt(kb.length).put(kb).putLong(v);
            });
        }
        b.putInt(bigMask);
        for (int i = 0; i < AMOUNTS; i++) {
            if (bigBytes[i] != null) {
                b.putInt(big[i].scale()).putInt(bigBytes[i].length).put(bigBytes[i]);
            }
        }
        return b.array();
    }

    private static SpendPartial decode(ByteBuffer b) {
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("spend partial: unknown format " + format);
        }
        SpendDimension dimension = SpendDimension.values()[b.get()];
        byte[] keyBytes = new byte[b.getInt()];
        b.get(keyBytes);
        SpendPartial p = new SpendPartial(dimension, new String(keyBytes, StandardCharsets.UTF_8), b.getLong());
        p.inputTokens = b.getLong();
        p.outputTokens = b.getLong();
        p.reasoningTokens = b.getLong();
        p.cacheWrite5mTokens = b.getLong();
        p.cacheWrite1hTokens = b.getLong();
        p.cacheReadTokens = b.getLong();
        for (int i = 0; i < AMOUNTS; i++) {
            p.units[i] = b.getLong();
        }
        p.requests = b.getLong();
        p.errors = b.getLong();
        p.terminated = b.getLong();
        p.unpriced = b.getLong();
        p.updatedAt = b.getLong();
        int others = b.getInt();
        if (others > 0) {
            p.otherTokens = new HashMap<>();
            for (int i = 0; i < others; i++) {
                byte[] kb = new byte[b.getInt()];
                b.get(kb);
                p.otherTokens.put(new String(kb, StandardCharsets.UTF_8), b.getLong());
            }
        }
        int bigMask = b.getInt();
        if (bigMask != 0) {
            p.big = new BigDecimal[AMOUNTS];
            for (int i = 0; i < AMOUNTS; i++) {
                if ((bigMask & (1 << i)) != 0) {
                    int scale = b.getInt();
                    byte[] unscaled = new byte[b.getInt()];
                    b.get(unscaled);
                    p.big[i] = new BigDecimal(new BigInteger(unscaled), scale);
                }
            }
        }
        return p;
    }
}
