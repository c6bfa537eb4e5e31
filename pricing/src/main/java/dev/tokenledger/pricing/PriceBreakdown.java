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

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.util.List;

/**
 * The exact cost of one request under one price entry: the pure result of
 * {@link UsagePricer#price(TokenCounts, PriceEntry, PricingOptions)}.
 *
 * <p>Every amount is USD at scale 12 (pico-dollars), never rounded further: rounding to cents is a
 * presentation concern ({@link Money#toCents(BigDecimal)}).
 *
 * @param entry the price entry used
 * @param classes cost of each canonical class (always the five of {@link TokenClass#CANONICAL}, in that
 *     order) followed by each other class present in the counts (sorted by name)
 * @param total sum of every class cost
 * @param cacheSavings cache_read tokens x (effective input rate - effective cache read rate): what caching
 *     saved; zero when the entry has no cache read rate; never part of {@code total}
 * @param longContextApplied true when the input-side tokens exceeded the entry's long-context threshold
 *     and the whole request was priced at the tier's rates
 * @param multiplier combined batch x service tier x region x discount multiplier applied to every class
 * @param notes things the pricer had to decide that a reader of the bill should know (a class, region or
 *     service tier the entry has no rate for, a batch call on an entry without batch pricing, ...); empty when none
 * @param cacheWrites retention keys ({@code 30m}, {@code 12h}) of the cache-write lines of other retentions, which
 *     follow the canonical lines in {@code classes} (class name {@code cache_write_<key>}), in this order
 * @param missing what the entry lacked for this call, one line per token class, region or service tier with no rate
 *     on it (also among {@code notes}): that class cost nothing (a missing region or tier multiplier was left out) so
 *     {@code total} is a lower bound; non-empty means CostedUsage status PARTIALLY_PRICED
 */
public record PriceBreakdown(PriceEntry entry, List<ClassCost> classes, BigDecimal total, BigDecimal cacheSavings,
                             boolean longContextApplied, BigDecimal multiplier, List<String> notes,
                             List<String> cacheWrites, List<String> missing) {

    public PriceBreakdown {
        classes = List.copyOf(classes);
        notes = List.copyOf(notes);
        cacheWrites = List.copyOf(cacheWrites);
        missing = List.copyOf(missing);
    }

    /** A breakdown without cache writes of other retentions, fully priced. */
    public PriceBreakdown(PriceEntry entry, List<ClassCost> classes, BigDecimal total, BigDecimal cacheSavings,
                          boolean longContextApplied, BigDecimal multiplier, List<String> notes) {
        this(entry, classes, total, cacheSavings, longContextApplied, multiplier, notes, List.of(), List.of());
    }

    /** True when some token class, region or service tier of the call had no rate on the entry (see {@link #missing()}). */
    public boolean partial() {
        return !missing.isEmpty();
    }

    /** Cost of a class by name; zero when the class is absent. */
    public BigDecimal cost(String tokenClass) {
        return line(tokenClass).costUsd();
    }

    /** The line of a class by name; a zero line when absent. */
    public ClassCost line(String tokenClass) {
        for (ClassCost c : classes) {
            if (c.tokenClass().equals(tokenClass)) {
                return c;
            }
        }
        return new ClassCost(tokenClass, 0, Money.ZERO, Money.ZERO);
    }

    /** The lines of the other classes (audio, image, ...), after the canonical and cache-write lines. */
    public List<ClassCost> otherClasses() {
        return classes.subList(TokenClass.CANONICAL.size() + cacheWrites.size(), classes.size());
    }

    /** The cache-write lines of other retentions, by retention key (sorted). */
    public java.util.SortedMap<String, ClassCost> cacheWriteLines() {
        final java.util.SortedMap<String, ClassCost> out = new java.util.TreeMap<>();
        for (int i = 0; i < cacheWrites.size(); i++) {
            out.put(cacheWrites.get(i), classes.get(TokenClass.CANONICAL.size() + i));
        }
        return out;
    }

    /** Sum of the cache writes of other retentions. */
    public BigDecimal cacheWriteOtherTotal() {
        BigDecimal sum = Money.ZERO;
        for (ClassCost c : cacheWriteLines().values()) {
            sum = sum.add(c.costUsd());
        }
        return sum;
    }

    /** Sum of the non-canonical class costs. */
    public BigDecimal otherTotal() {
        BigDecimal sum = Money.ZERO;
        for (ClassCost c : otherClasses()) {
            sum = sum.add(c.costUsd());
        }
        return sum;
    }
}
