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
package dev.tokenledger.cli.simulator;

import java.math.BigDecimal;

/** A tenant's plan, with what the tenant pays per month (for margin views). */
public enum PlanTier {
    FREE("free", new BigDecimal("0.00")),
    PRO("pro", new BigDecimal("49.00")),
    ENTERPRISE("enterprise", new BigDecimal("1500.00"));

    private final String id;
    private final BigDecimal monthlyPrice;

    PlanTier(String id, BigDecimal monthlyPrice) {
        this.id = id;
        this.monthlyPrice = monthlyPrice;
    }

    /** The plan id as tagged on events and stored in {@code plan_prices}. */
    public String id() {
        return id;
    }

    /** USD per tenant per month. */
    public BigDecimal monthlyPrice() {
        return monthlyPrice;
    }
}
