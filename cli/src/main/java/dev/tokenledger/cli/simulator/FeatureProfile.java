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
import java.util.Objects;

/**
 * One AI feature of the simulated company and how it behaves.
 *
 * @param id              the feature tag ({@code feature_id})
 * @param trafficWeight   relative share of user actions
 * @param steps           the calls one user action makes, in order (an agent chain threads
 *                        parent ids through them)
 * @param fallback        for small-model-first features: the step re-run on a larger model when the
 *                        small model's answer fails validation (null for none)
 * @param fallbackShare   how often that happens (0..1)
 * @param transientErrorShare how often a call's first attempt fails with a provider overload and
 *                        is retried under the same reservation (0..1)
 * @param toolCallLimit   the stream guard's tool-call limit per logical request (0 = no limit)
 * @param runaway         true for the feature that ships a bloated prompt and runs away
 */
public record FeatureProfile(String id, double trafficWeight, List<CallStep> steps, CallStep fallback,
                             double fallbackShare, double transientErrorShare, int toolCallLimit, boolean runaway) {

    public FeatureProfile {
        Objects.requireNonNull(id, "id");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("feature '" + id + "' needs at least one call step");
        }
        if (trafficWeight <= 0) {
            throw new IllegalArgumentException("feature '" + id + "' trafficWeight must be > 0: " + trafficWeight);
        }
        if (fallbackShare < 0 || fallbackShare > 1 || (fallback == null && fallbackShare > 0)) {
            throw new IllegalArgumentException("feature '" + id + "' fallbackShare invalid: " + fallbackShare);
        }
        if (transientErrorShare < 0 || transientErrorShare >= 1) {
            throw new IllegalArgumentException("feature '" + id + "' transientErrorShare must be in [0,1): " + transientErrorShare);
        }
        if (toolCallLimit < 0) {
            throw new IllegalArgumentException("feature '" + id + "' toolCallLimit must be >= 0: " + toolCallLimit);
        }
    }

    /** The worst case of one user action: every step (and the fallback) at max_tokens. */
    public long maxOutputTokens() {
        long total = steps.stream().mapToLong(CallStep::maxTokens).sum();
        return fallback == null ? total : total + fallback.maxTokens();
    }
}
