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

import java.math.BigDecimal;

/**
 * One reservation as one scope sees it. Its contribution to {@code reserved}:
 * <ul>
 *   <li>HELD: {@code max(0, amount - used)}, where {@code used} is the costed usage already seen
 *       for this reservation_id (that part is in {@code spent} already, never counted twice);</li>
 *   <li>COMMITTED with actual A: {@code max(0, A - used)} until the usage carrying the actual cost
 *       has arrived (then the hold is gone): the unused part {@code amount - A} is released at once,
 *       and the commit/usage race can neither free budget early nor count it twice.</li>
 * </ul>
 */
public final class Hold {
    public String reservationId;
    public BigDecimal amount;
    public BigDecimal used;
    public BigDecimal actual;
    public long createdAt;
    public long expiresAt;
    public String requestId;
    public String rootRequestId;
    public String featureId;
    public String tenantId;
    /** Usage seen for this reservation before its HELD (the topics are not ordered with each other). */
    public boolean early;

    public Hold() {
    }

    Hold(String reservationId, BigDecimal amount, long createdAt, long expiresAt) {
        this.reservationId = reservationId;
        this.amount = amount;
        this.used = BigDecimal.ZERO;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** What this hold adds to {@code reserved}. */
    public BigDecimal contribution() {
        if (early) {
            return BigDecimal.ZERO;
        }
        final BigDecimal base = actual != null ? actual : amount;
        final BigDecimal left = base.subtract(used);
        return left.signum() > 0 ? left : BigDecimal.ZERO;
    }

    /** A committed hold whose actual cost has fully arrived as usage. */
    boolean settled() {
        return actual != null && used.compareTo(actual) >= 0;
    }
}
