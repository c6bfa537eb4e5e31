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

import dev.tokenledger.avro.ReasonCode;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;

/** The {@code reason_code} values of BudgetState and BudgetDecision, as strings of the {@link ReasonCode} contract enum. */
public final class ReasonCodes {
    /** Below the WARN threshold. */
    public static final String WITHIN_BUDGET = ReasonCode.WITHIN_BUDGET.name();
    /** spent + reserved at or above the WARN threshold (highest threshold below 100 %). */
    public static final String THRESHOLD_WARN = ReasonCode.THRESHOLD_WARN.name();
    /** MONTH budget: today's spend is above its on-track daily share but below the burst cap. */
    public static final String BURST_WARN = ReasonCode.BURST_WARN.name();
    /** MONTH budget: today's spend reached the burst cap; DENY for the rest of the day. */
    public static final String BURST_LIMIT = ReasonCode.BURST_LIMIT.name();
    /** spent + reserved reached the limit. */
    public static final String GENUINE_BREACH = ReasonCode.GENUINE_BREACH.name();
    /** ALERT_ONLY: the budget would deny (see the decision's reason) but does not. */
    public static final String SHADOW_DENY = ReasonCode.SHADOW_DENY.name();
    /** An override replaces the limit. */
    public static final String OVERRIDE_ACTIVE = ReasonCode.OVERRIDE_ACTIVE.name();
    /** Decision: an override was applied. */
    public static final String OVERRIDE_APPLIED = ReasonCode.OVERRIDE_APPLIED.name();
    /** The first decision/state after an override's {@code until}. */
    public static final String OVERRIDE_EXPIRED = ReasonCode.OVERRIDE_EXPIRED.name();
    /** A hold outlived its TTL and was freed. */
    public static final String STALE_RESERVATION = ReasonCode.STALE_RESERVATION.name();
    /** A gate's state was older than its staleness bound. */
    public static final String STALE_STATE = ReasonCode.STALE_STATE.name();
    /** Mode OFF. */
    public static final String MODE_OFF = ReasonCode.MODE_OFF.name();

    /**
     * limit_usd published for an unlimited override (limit_usd is not nullable on the wire): any
     * limit at or above this value means "no limit".
     */
    public static final BigDecimal UNLIMITED = Money.of("1000000000000000");

    private ReasonCodes() {
    }
}
