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
package dev.tokenledger.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact USD amounts as carried on every topic: Avro {@code decimal(38, 12)}, i.e. pico-dollar
 * resolution. Every published per-token rate (USD per million tokens with up to 6 decimals, times
 * the multipliers in the catalog) is exact at this scale, so amounts are never rounded in the
 * money path; {@link #toScale(BigDecimal)} rounds HALF_EVEN only if a caller hands it more digits.
 * Rounding to cents happens at presentation only ({@link #toCents(BigDecimal)}).
 */
public final class Money {
    /** Scale of every decimal on the wire. */
    public static final int SCALE = 12;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);
    public static final BigDecimal ONE = BigDecimal.ONE.setScale(SCALE);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private Money() {
    }

    /** Brings an amount to the wire scale (the Avro decimal encoder refuses any other scale). */
    public static BigDecimal toScale(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        return amount.scale() == SCALE ? amount : amount.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** Parses a decimal string ("0.000003", "3.75") to the wire scale; never goes through double. */
    public static BigDecimal of(String decimal) {
        return toScale(new BigDecimal(decimal));
    }

    /** tokens x (USD per million tokens) / 1e6, exact. */
    public static BigDecimal costOf(long tokens, BigDecimal ratePerMillion) {
        return toScale(ratePerMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION));
    }

    /** Presentation only: round to cents HALF_EVEN. */
    public static BigDecimal toCents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Presentation: "$1,234.5678" with the given number of decimals. */
    public static String format(BigDecimal amount, int decimals) {
        return String.format("$%,." + decimals + "f", amount.setScale(decimals, RoundingMode.HALF_EVEN));
    }
}
