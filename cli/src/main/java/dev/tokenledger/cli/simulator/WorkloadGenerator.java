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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws the company's user actions one after the other from a seed: which feature, which tenant and
 * user, and for every provider call its exact billed tokens per class. The same seed always yields
 * the same sequence (the generator is single-threaded and uses only its own random source), so a
 * run can be replayed and a test can recompute what was sent.
 *
 * <p>Prompt caching: the first call of a cached step writes its system prompt to the cache, later
 * calls read it; a small share of calls miss again (the cache expired) and write anew. OpenAI caches
 * automatically, in 128-token increments from 1,024 tokens, and bills no write.
 */
public final class WorkloadGenerator {
    /** Share of calls of a cached step that find the cache expired and write it again. */
    public static final double CACHE_MISS_SHARE = 0.04;

    private final CompanyWorkload company;
    private final SplittableRandom random;
    private final double[] cumulativeFeatureShare;
    private final Map<String, Boolean> cacheWarm = new HashMap<>();
    private long sequence;

    public WorkloadGenerator(CompanyWorkload company, long seed) {
        this.company = company;
        this.random = new SplittableRandom(seed);
        final List<FeatureProfile> features = company.features();
        this.cumulativeFeatureShare = new double[features.size()];
        double sum = 0;
        for (int i = 0; i < features.size(); i++) {
            sum += features.get(i).trafficWeight();
            cumulativeFeatureShare[i] = sum;
        }
        for (int i = 0; i < cumulativeFeatureShare.length; i++) {
            cumulativeFeatureShare[i] /= sum;
        }
    }

    public CompanyWorkload company() {
        return company;
    }

    /** The next user action. */
    public UserAction next() {
        final FeatureProfile feature = pickFeature();
        final Tenant tenant = company.tenants().pick(random);
        final String user = TenantPopulation.pickUser(tenant, random);
        final List<PlannedCall> calls = new ArrayList<>();
        for (CallStep step : feature.steps()) {
            calls.add(plan(feature, step, false));
        }
        if (feature.fallback() != null && random.nextDouble() < feature.fallbackShare()) {
            calls.add(plan(feature, feature.fallback(), true));
        }
        return new UserAction(sequence++, feature, tenant, user, calls);
    }

    private FeatureProfile pickFeature() {
        final double u = random.nextDouble();
        final List<FeatureProfile> features = company.features();
        for (int i = 0; i < cumulativeFeatureShare.length; i++) {
            if (u < cumulativeFeatureShare[i]) {
                return features.get(i);
            }
        }
        return features.get(features.size() - 1);
    }

    private PlannedCall plan(FeatureProfile feature, CallStep step, boolean fallback) {
        final long userInput = step.userInput().sample(random);
        final long output = step.output().sample(random);
        final boolean streaming = step.streamingShare() > 0 && random.nextDouble() < step.streamingShare();
        final int toolCalls = streaming ? (int) step.toolCalls().sample(random) : 0;
        int failedAttempts = 0;
        while (failedAttempts < 2 && random.nextDouble() < feature.transientErrorShare()) {
            failedAttempts++;
        }
        final TokenUsage usage = usage(feature, step, userInput, output);
        return new PlannedCall(step.name(), step.provider(), step.model(), step.maxTokens(), usage, streaming,
                toolCalls, failedAttempts, fallback);
    }

    private TokenUsage usage(FeatureProfile feature, CallStep step, long userInput, long output) {
        final long system = step.systemPromptTokens();
        if (step.cache() == CacheMode.NONE) {
            return new TokenUsage(system + userInput, output, 0, 0, 0, 0);
        }
        final String cacheKey = feature.id() + "/" + step.name() + "/" + step.model();
        final boolean warm = cacheWarm.getOrDefault(cacheKey, false) && random.nextDouble() >= CACHE_MISS_SHARE;
        cacheWarm.put(cacheKey, true);
        if (step.provider() == Provider.OPENAI) {
            final long cacheable = system >= 1_024 ? (system / 128) * 128 : 0;
            final long read = warm ? cacheable : 0;
            return new TokenUsage(system + userInput - read, output, 0, 0, 0, read);
        }
        if (warm) {
            return new TokenUsage(userInput, output, 0, 0, 0, system);
        }
        return step.cache() == CacheMode.EPHEMERAL_1H
                ? new TokenUsage(userInput, output, 0, 0, system, 0)
                : new TokenUsage(userInput, output, 0, system, 0, 0);
    }
}
