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

import java.util.List;

/**
 * One thing a user did that needs AI (a logical request): every call in it shares the root request
 * id and one budget reservation.
 *
 * @param sequence zero-based position in the run (the same for a seed)
 * @param feature  the feature used
 * @param tenant   the customer
 * @param userId   the end user
 * @param calls    the provider calls, in order; call {@code i > 0} is a child of call {@code i - 1}
 */
public record UserAction(long sequence, FeatureProfile feature, Tenant tenant, String userId, List<PlannedCall> calls) {

    public UserAction {
        calls = List.copyOf(calls);
    }

    /** The sum of every call's billed tokens (failed attempts bill nothing). */
    public TokenUsage totalUsage() {
        return calls.stream().map(PlannedCall::usage).reduce(TokenUsage.ZERO, TokenUsage::plus);
    }

    /** The worst case the gate holds for this action: every call at max_tokens. */
    public long maxOutputTokens() {
        return calls.stream().mapToLong(PlannedCall::maxTokens).sum();
    }

    /** The largest input any call of this action sends (for the reservation's input estimate). */
    public long totalInputTokens() {
        return calls.stream().mapToLong(c -> c.usage().totalInput()).sum();
    }
}
