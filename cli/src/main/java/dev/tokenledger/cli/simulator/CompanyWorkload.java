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

import static dev.tokenledger.cli.simulator.TokenDistribution.around;

import java.util.List;
import java.util.Objects;

/**
 * The articles' company: a B2B SaaS with 12 AI features in production — summarization,
 * classification, extraction, search, an assistant, three auto-completes, two analytics features,
 * the chatbot everybody still calls "demo", and draft_email, whose one user action is an agent
 * chain of four calls. Features run on three model tiers at three providers (semantic search on
 * Gemini); some cache their system
 * prompt; the newest feature, {@value #RUNAWAY_FEATURE}, shipped with a 4,000-token uncached system
 * prompt and is the one that runs away.
 *
 * <p>Token medians follow the first article ("a typical B2B SaaS feature processes 800-2,000 input
 * tokens and produces 200-600 output tokens"); auto-complete and classification are far smaller.
 */
public final class CompanyWorkload {
    /** The feature that runs away until its budget denies it. */
    public static final String RUNAWAY_FEATURE = "analytics_narrative";
    /** The feature whose user action is a multi-call agent chain. */
    public static final String CHAIN_FEATURE = "draft_email";
    /** The runaway feature's system prompt, sent uncached on every call. */
    public static final long RUNAWAY_SYSTEM_PROMPT_TOKENS = 4_000;

    private final List<FeatureProfile> features;
    private final TenantPopulation tenants;

    public CompanyWorkload(List<FeatureProfile> features, TenantPopulation tenants) {
        this.features = List.copyOf(features);
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        if (this.features.stream().map(FeatureProfile::id).distinct().count() != this.features.size()) {
            throw new IllegalArgumentException("feature ids must be unique");
        }
    }

    /** The articles' company with {@code tenantCount} tenants drawn from {@code seed}. */
    public static CompanyWorkload standard(int tenantCount, long seed) {
        return new CompanyWorkload(standardFeatures(), TenantPopulation.generate(tenantCount, seed));
    }

    /** The twelve features. */
    public static List<FeatureProfile> standardFeatures() {
        final Provider a = Provider.ANTHROPIC;
        final Provider o = Provider.OPENAI;
        final Provider g = Provider.GOOGLE;
        return List.of(
                feature("summarize_thread", 12,
                        CallStep.plain("summarize", a, ModelTier.MID, 1_800, around(1_400), around(300), 2_048)
                                .withCache(CacheMode.EPHEMERAL_5M).withStreaming(0.3), 0.02),
                feature("classify_ticket", 12,
                        CallStep.plain("classify", a, ModelTier.SMALL, 600, around(400),
                                new TokenDistribution(6, 0.3, 2, 20), 32), 0.02),
                // small-model first, Sonnet fallback when the JSON fails validation (a 10:1 ratio)
                new FeatureProfile("extract_invoice", 8,
                        List.of(CallStep.plain("extract", a, ModelTier.SMALL, 900, around(1_200), around(250), 2_048)
                                .withCache(CacheMode.EPHEMERAL_5M)),
                        CallStep.plain("extract_fallback", a, ModelTier.MID, 900, around(1_200), around(250), 2_048),
                        1.0 / 11, 0.02, 0, false),
                feature("semantic_search", 10,
                        CallStep.plain("answer", g, ModelTier.SMALL, 300, around(900), around(120), 1_024), 0.01),
                new FeatureProfile("ai_assistant", 8,
                        List.of(CallStep.plain("assist", a, ModelTier.MID, 2_500, around(1_000), around(500), 4_096)
                                .withCache(CacheMode.EPHEMERAL_1H).withStreaming(1.0)
                                .withToolCalls(new TokenDistribution(2, 0.7, 0, 12))),
                        null, 0, 0.02, 5, false),
                feature("autocomplete_email", 16,
                        CallStep.plain("complete", a, ModelTier.SMALL, 200, around(250),
                                new TokenDistribution(20, 0.4, 3, 80), 128), 0.01),
                feature("autocomplete_code", 14,
                        CallStep.plain("complete", o, ModelTier.SMALL, 1_280, around(500),
                                new TokenDistribution(40, 0.5, 3, 200), 256).withCache(CacheMode.EPHEMERAL_5M), 0.01),
                feature("autocomplete_search", 12,
                        CallStep.plain("complete", a, ModelTier.SMALL, 100, around(40),
                                new TokenDistribution(12, 0.3, 2, 40), 64), 0.01),
                feature("analytics_qna", 3,
                        CallStep.plain("answer", a, ModelTier.FLAGSHIP, 1_500, around(2_000), around(450), 4_096), 0.02),
                // the newest feature: a 4,000-token system prompt, no cache, and a scheduled job that loops
                new FeatureProfile(RUNAWAY_FEATURE, 10,
                        List.of(CallStep.plain("narrate", a, ModelTier.MID, RUNAWAY_SYSTEM_PROMPT_TOKENS,
                                around(800), around(600), 4_096)),
                        null, 0, 0.02, 0, true),
                feature("demo", 6,
                        CallStep.plain("chat", o, ModelTier.MID, 1_000, around(600), around(350), 2_048)
                                .withStreaming(1.0), 0.01),
                // one user action, four inference calls, two models: outline -> tone -> retrieval -> draft
                new FeatureProfile(CHAIN_FEATURE, 8, List.of(
                        CallStep.plain("outline", a, ModelTier.SMALL, 500, around(600), around(150), 1_024),
                        CallStep.plain("tone", a, ModelTier.SMALL, 300, around(200), new TokenDistribution(5, 0.2, 2, 12), 16),
                        CallStep.plain("retrieve", a, ModelTier.SMALL, 200, around(300), around(80), 512),
                        CallStep.plain("draft", a, ModelTier.MID, 1_200, around(1_500), around(450), 4_096)
                                .withCache(CacheMode.EPHEMERAL_5M).withStreaming(0.5)),
                        null, 0, 0.02, 0, false));
    }

    private static FeatureProfile feature(String id, double weight, CallStep step, double transientErrorShare) {
        return new FeatureProfile(id, weight, List.of(step), null, 0, transientErrorShare, 0, false);
    }

    public List<FeatureProfile> features() {
        return features;
    }

    public TenantPopulation tenants() {
        return tenants;
    }

    public FeatureProfile feature(String id) {
        return features.stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown simulated feature '" + id + "'"));
    }

    /** Every model the workload calls, as provider/model pairs (to check against the price catalog). */
    public List<String> modelsUsed() {
        return features.stream()
                .flatMap(f -> f.fallback() == null ? f.steps().stream()
                        : java.util.stream.Stream.concat(f.steps().stream(), java.util.stream.Stream.of(f.fallback())))
                .map(s -> s.provider().id() + "/" + s.model())
                .distinct().sorted().toList();
    }
}
