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
 * What one gate instance holds of one scope's budget in the current period, as the enforcer
 * accounts it. All three amounts are cumulative over the period and only grow, so duplicate or
 * reordered lease requests and usage never count twice:
 * <ul>
 *   <li>{@code granted}: every amount the enforcer leased to the gate;</li>
 *   <li>{@code returned}: what the gate reported handing back unused (idle, recall, expiry);</li>
 *   <li>{@code usage}: usage events that drew from the gate's leases, already in {@code spent}.</li>
 * </ul>
 * {@link #outstanding()} is what the gate may still spend without the enforcer knowing. A gate that
 * crashed never returns its remainder, so it stays outstanding (counted as spent) until usage
 * accounts for it or the period ends: a crash can never create headroom.
 */
public final class GateLease {
    public BigDecimal granted = BigDecimal.ZERO;
    public BigDecimal returned = BigDecimal.ZERO;
    public BigDecimal usage = BigDecimal.ZERO;
    /** What the gate last reported admitting (net of refunds) in this period: the part of its lease in use. */
    public BigDecimal consumed = BigDecimal.ZERO;
    /** Highest request sequence seen (diagnostics). */
    public long sequence;
    /** Enforcer wall clock of the gate's last request, epoch ms (who counts as active). */
    public long lastSeenMs;
    /** When this gate was last asked to hand its lease back, epoch ms (recalls are not repeated every step). */
    public long lastRecallMs;
    /** A recall was sent and the gate has not been heard from since. */
    public boolean recallPending;

    /** {@code max(0, granted - returned - usage)}. */
    public BigDecimal outstanding() {
        return granted.subtract(returned).subtract(usage).max(BigDecimal.ZERO);
    }

    /** What a recall can bring back: the lease the gate held unused at its last report. */
    public BigDecimal unused() {
        return granted.subtract(returned).subtract(consumed).max(BigDecimal.ZERO).min(outstanding());
    }
}
