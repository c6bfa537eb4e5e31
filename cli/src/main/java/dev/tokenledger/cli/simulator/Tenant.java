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

/**
 * A customer account.
 *
 * @param id          the tenant tag ({@code tenant_id})
 * @param plan        what it pays for
 * @param users       seats that use the AI features
 * @param weight      relative share of traffic (Zipf over the tenant's rank)
 * @param powerUserId the one user who sends half this tenant's traffic, or null
 */
public record Tenant(String id, PlanTier plan, int users, double weight, String powerUserId) {

    /** The user id of seat {@code n} (1-based) of this tenant. */
    public String userId(int n) {
        return id + "-u" + n;
    }
}
