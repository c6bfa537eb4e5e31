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
package dev.tokenledger.gate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The gate's hot-path unit: USD in nano-dollars (1e-9 USD) as a long, so a check never allocates.
 * Conversions round against the caller (holds and spend up, limits down), so the gate can only
 * be stricter than the exact decimal rule, by at most one nano-dollar per term. Amounts on the
 * wire stay exact decimals.
 */
final class NanoUsd {
    /** Larger than any real limit (9.2 billion USD / 1000): treated as unlimited. */
    static final long UNLIMITED = Long.MAX_VALUE / 1000;
    private static final BigDecimal MAX = BigDecimal.valueOf(UNLIMITED).movePointLeft(9);

    private NanoUsd() {
    }

    static long up(BigDecimal usd) {
        if (usd == null) {
            return 0;
        }
        if (usd.compareTo(MAX) >= 0) {
            return UNLIMITED;
        }
        return usd.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static long down(BigDecimal usd) {
        if (usd == null) {
            return 0;
        }
        if (usd.compareTo(MAX) >= 0) {
            return UNLIMITED;
        }
        return usd.movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    static BigDecimal usd(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd, 9).setScale(12);
    }
}
