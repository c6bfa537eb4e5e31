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

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * "At this rate, this budget runs out on ...": the period's spend so far, spread evenly over the
 * time elapsed in the period, projected over what remains. Exact arithmetic in milliseconds and
 * decimals; no projection when nothing was spent yet, "now" when nothing remains, and none when the
 * money lasts past the period's end (the period resets first).
 */
public final class BurnRate {
    private BurnRate() {
    }

    /** When {@code remaining} runs out at the rate {@code spent} accrued since {@code periodStart}, or null (see the class). */
    public static Instant runsOutAt(BigDecimal spent, BigDecimal remaining, Instant periodStart, Instant periodEnd, Instant now) {
        if (remaining.signum() <= 0) {
            return now;
        }
        long elapsedMs = now.toEpochMilli() - periodStart.toEpochMilli();
        if (spent.signum() <= 0 || elapsedMs <= 0) {
            return null;
        }
        // remaining / (spent / elapsed) = remaining * elapsed / spent milliseconds
        BigDecimal ms = remaining.multiply(BigDecimal.valueOf(elapsedMs)).divide(spent, 0, RoundingMode.HALF_UP);
        if (ms.compareTo(BigDecimal.valueOf(periodEnd.toEpochMilli() - now.toEpochMilli())) >= 0) {
            return null;
        }
        return now.plusMillis(ms.longValueExact());
    }
}
