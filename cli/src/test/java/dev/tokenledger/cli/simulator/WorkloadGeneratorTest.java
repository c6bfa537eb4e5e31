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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenledger.pricing.PriceCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {
    private static final int ACTIONS = 20_000;

    private static List<UserAction> run(long seed, int count) {
        final WorkloadGenerator generator = new WorkloadGenerator(CompanyWorkload.standard(60, seed), seed);
        final List<UserAction> actions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            actions.add(generator.next());
        }
        return actions;
    }

    @Test
    void sameSeedReplaysTheSameRunAndAnotherSeedDoesNot() {
        final List<UserAction> first = run(42, 2_000);
        final List<UserAction> again = run(42, 2_000);
        final List<UserAction> other = run(43, 2_000);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).extracting(UserAction::sequence).startsWith(0L, 1L, 2L).endsWith(1_999L);
    }

    @Test
    void theCompanyHasTwelveFeaturesOnThreeTiersAtThreeProviders() {
        final CompanyWorkload company = CompanyWorkload.standard(60, 1);
        assertThat(company.features()).hasSize(12);
        assertThat(company.features()).extracting(FeatureProfile::id).contains("summarize_thread", "classify_ticket",
                "extract_invoice", "semantic_search", "ai_assistant", "autocomplete_email", "autocomplete_code",
                "autocomplete_search", "analytics_qna", "analytics_narrative", "demo", "draft_email");
        assertThat(company.modelsUsed()).containsExactly("anthropic/claude-haiku-5-5", "anthropic/claude-opus-5-5",
                "anthropic/claude-sonnet-5-5", "google/gemini-3.5-flash-lite", "openai/gpt-5.4-mini", "openai/gpt-6.2-sol");
        assertThat(company.features().stream().filter(FeatureProfile::runaway)).singleElement()
                .extracting(FeatureProfile::id).isEqualTo(CompanyWorkload.RUNAWAY_FEATURE);
    }

    @Test
    void everyModelTheCompanyUsesIsPricedByTheShippedCatalogToday() {
        final PriceCatalog catalog = PriceCatalog.loadDefault();
        final Instant today = Instant.parse("2026-12-05T00:00:00Z");
        for (String m : CompanyWorkload.standard(60, 1).modelsUsed()) {
            final String[] pm = m.split("/", 2);
            assertThat(catalog.find(pm[0], pm[1], today)).as(m).isPresent();
        }
    }

    @Test
    void aSimulatedCallCostsWhatTheProviderPublishes() {
        final RecordPricer pricer = RecordPricer.withDefaultCatalog();
        final Instant today = Instant.parse("2026-12-05T00:00:00Z");
        // summarize on Claude Sonnet 5.5, cache warm: 1,400 in x $2 = 0.0028 ; 300 out x $10 = 0.003 ;
        // 1,800 cache read x $0.10 (since 2026-10-07) = 0.00018 ; total 0.00598
        assertThat(pricer.cost("summarize_thread", new PlannedCall("summarize", Provider.ANTHROPIC, "claude-sonnet-5-5", 2_048,
                new TokenUsage(1_400, 300, 0, 0, 0, 1_800), false, 0, 0, false), today)).isEqualByComparingTo("0.00598");
        // ai_assistant cold on Sonnet 5.5: 1,000 in x 2 = 0.002 ; 500 out x 10 = 0.005 ; 2,500 1h write x 4 = 0.01 ; 0.017
        assertThat(pricer.cost("ai_assistant", new PlannedCall("assist", Provider.ANTHROPIC, "claude-sonnet-5-5", 4_096,
                new TokenUsage(1_000, 500, 0, 0, 2_500, 0), true, 0, 0, false), today)).isEqualByComparingTo("0.017");
        // classify on Claude Haiku 5.5: 1,000 in x $0.10 = 0.0001 ; 6 out x $0.50 = 0.000003 ; total 0.000103
        assertThat(pricer.cost("classify_ticket", new PlannedCall("classify", Provider.ANTHROPIC, "claude-haiku-5-5", 32,
                new TokenUsage(1_000, 6, 0, 0, 0, 0), false, 0, 0, false), today)).isEqualByComparingTo("0.000103");
        // analytics_qna on Claude Opus 5.5: 3,500 in x $4 = 0.014 ; 450 out x $20 = 0.009 ; total 0.023
        assertThat(pricer.cost("analytics_qna", new PlannedCall("answer", Provider.ANTHROPIC, "claude-opus-5-5", 4_096,
                new TokenUsage(3_500, 450, 0, 0, 0, 0), false, 0, 0, false), today)).isEqualByComparingTo("0.023");
        // autocomplete_code on GPT-5.4 mini, warm: 500 in x $0.75 = 0.000375 ; 1,280 cached x $0.075 = 0.000096 ;
        // 40 out x $4.50 = 0.00018 ; total 0.000651
        assertThat(pricer.cost("autocomplete_code", new PlannedCall("complete", Provider.OPENAI, "gpt-5.4-mini", 256,
                new TokenUsage(500, 40, 0, 0, 0, 1_280), false, 0, 0, false), today)).isEqualByComparingTo("0.000651");
        // semantic_search on Gemini 3.5 Flash-Lite: 1,200 in x $0.30 = 0.00036 ; 120 out x $2.50 = 0.0003 ; total 0.00066
        assertThat(pricer.cost("semantic_search", new PlannedCall("answer", Provider.GOOGLE, "gemini-3.5-flash-lite", 1_024,
                new TokenUsage(1_200, 120, 0, 0, 0, 0), false, 0, 0, false), today)).isEqualByComparingTo("0.00066");
        // demo on GPT-6.2 Sol: 1,600 in x $2 = 0.0032 ; 350 out x $10 = 0.0035 ; total 0.0067
        assertThat(pricer.cost("demo", new PlannedCall("chat", Provider.OPENAI, "gpt-6.2-sol", 2_048,
                new TokenUsage(1_600, 350, 0, 0, 0, 0), true, 0, 0, false), today)).isEqualByComparingTo("0.0067");
    }

    @Test
    void everyFeatureIsUsedInProportionToItsWeight() {
        final List<UserAction> actions = run(7, ACTIONS);
        final CompanyWorkload company = CompanyWorkload.standard(60, 7);
        final double totalWeight = company.features().stream().mapToDouble(FeatureProfile::trafficWeight).sum();
        final Map<String, Long> counts = actions.stream().collect(Collectors.groupingBy(a -> a.feature().id(), Collectors.counting()));
        assertThat(counts).hasSize(12);
        for (FeatureProfile f : company.features()) {
            assertThat(counts.get(f.id()) / (double) ACTIONS).as(f.id())
                    .isCloseTo(f.trafficWeight() / totalWeight, within(0.01));
        }
    }

    @Test
    void theRunawayFeatureSendsItsFourThousandTokenSystemPromptUncachedEveryTime() {
        run(3, ACTIONS).stream().filter(a -> a.feature().runaway()).forEach(a -> {
            final TokenUsage usage = a.calls().get(0).usage();
            assertThat(usage.input()).isGreaterThanOrEqualTo(CompanyWorkload.RUNAWAY_SYSTEM_PROMPT_TOKENS + 100);
            assertThat(usage.cacheRead() + usage.cacheWrite5m() + usage.cacheWrite1h()).isZero();
            assertThat(a.calls().get(0).model()).isEqualTo("claude-sonnet-5-5");
        });
    }

    @Test
    void draftEmailIsAFourCallChainOnTwoModels() {
        final List<UserAction> drafts = run(5, 5_000).stream()
                .filter(a -> a.feature().id().equals(CompanyWorkload.CHAIN_FEATURE)).toList();
        assertThat(drafts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.calls()).extracting(PlannedCall::step).containsExactly("outline", "tone", "retrieve", "draft");
            assertThat(a.calls()).extracting(PlannedCall::model).containsOnly("claude-haiku-5-5", "claude-sonnet-5-5");
        });
    }

    @Test
    void cachedFeaturesMostlyReadTheCacheAndWriteItSometimes() {
        final List<UserAction> actions = run(11, ACTIONS);
        final Map<String, TokenUsage> byFeature = new HashMap<>();
        actions.forEach(a -> byFeature.merge(a.feature().id(), a.totalUsage(), TokenUsage::plus));
        final TokenUsage summarize = byFeature.get("summarize_thread");
        assertThat(summarize.cacheWrite5m()).isPositive();
        assertThat(summarize.cacheRead()).isGreaterThan(10 * summarize.cacheWrite5m());
        final TokenUsage assistant = byFeature.get("ai_assistant");
        assertThat(assistant.cacheWrite1h()).isPositive();
        assertThat(assistant.cacheWrite5m()).isZero();
        final TokenUsage code = byFeature.get("autocomplete_code");
        assertThat(code.cacheRead()).isPositive();
        assertThat(code.cacheRead() % 128).isZero();
        assertThat(code.cacheWrite5m() + code.cacheWrite1h()).as("GPT-5.4 mini bills no cache write").isZero();
        assertThat(byFeature.get("classify_ticket").cacheRead()).isZero();
    }

    @Test
    void tenantsFormALongTailWithOnePowerUser() {
        final List<UserAction> actions = run(13, ACTIONS);
        final Map<String, Long> byTenant = actions.stream().collect(Collectors.groupingBy(a -> a.tenant().id(), Collectors.counting()));
        final List<Long> sorted = byTenant.values().stream().sorted((x, y) -> Long.compare(y, x)).toList();
        final long top5 = sorted.stream().limit(5).mapToLong(Long::longValue).sum();
        assertThat(top5 / (double) ACTIONS).as("top 5 of 60 tenants' share").isBetween(0.40, 0.70);
        assertThat(byTenant.size()).as("the tail is reached").isGreaterThan(50);
        assertThat(actions).extracting(a -> a.tenant().plan()).contains(PlanTier.FREE, PlanTier.PRO, PlanTier.ENTERPRISE);

        final List<UserAction> top = actions.stream().filter(a -> a.tenant().powerUserId() != null).toList();
        final String power = top.get(0).tenant().powerUserId();
        final long powerCalls = top.stream().filter(a -> a.userId().equals(power)).count();
        final long distinctOthers = top.stream().map(UserAction::userId).filter(u -> !u.equals(power)).distinct().count();
        assertThat(powerCalls).as("the power user sends more than everybody else in the tenant")
                .isGreaterThan(top.size() - powerCalls - top.size() / 20);
        assertThat(distinctOthers).isGreaterThan(100);
    }

    @Test
    void someCallsRetryFallBackOrStreamPastTheToolCallLimit() {
        final List<UserAction> actions = run(17, ACTIONS);
        final List<PlannedCall> calls = actions.stream().flatMap(a -> a.calls().stream()).toList();
        final long retried = calls.stream().filter(c -> c.failedAttempts() > 0).count();
        assertThat(retried / (double) calls.size()).isBetween(0.005, 0.04);

        final List<UserAction> extracts = actions.stream().filter(a -> a.feature().id().equals("extract_invoice")).toList();
        final long fallbacks = extracts.stream().filter(a -> a.calls().size() == 2).count();
        assertThat(fallbacks / (double) extracts.size()).as("10:1 small-model-first ratio").isCloseTo(1.0 / 11, within(0.03));
        assertThat(extracts.stream().filter(a -> a.calls().size() == 2))
                .allSatisfy(a -> assertThat(a.calls().get(1)).matches(PlannedCall::fallback).extracting(PlannedCall::model)
                        .isEqualTo("claude-sonnet-5-5"));

        final FeatureProfile assistant = CompanyWorkload.standard(60, 17).feature("ai_assistant");
        final List<PlannedCall> assistantCalls = actions.stream().filter(a -> a.feature().id().equals("ai_assistant"))
                .flatMap(a -> a.calls().stream()).toList();
        assertThat(assistantCalls).allMatch(PlannedCall::streaming);
        final long overLimit = assistantCalls.stream().filter(c -> c.toolCalls() > assistant.toolCallLimit()).count();
        assertThat(overLimit / (double) assistantCalls.size()).as("a few streams are cut by the guard").isBetween(0.02, 0.25);
        assertThat(calls.stream().filter(c -> c.provider() == Provider.OPENAI).anyMatch(PlannedCall::streaming)).isTrue();
    }

    @Test
    void tokenCountsFollowEachFeaturesDistribution() {
        final List<UserAction> actions = run(19, ACTIONS);
        final double autocompleteOut = actions.stream().filter(a -> a.feature().id().equals("autocomplete_search"))
                .mapToLong(a -> a.totalUsage().output()).average().orElseThrow();
        final double summarizeOut = actions.stream().filter(a -> a.feature().id().equals("summarize_thread"))
                .mapToLong(a -> a.totalUsage().output()).average().orElseThrow();
        assertThat(autocompleteOut).isBetween(8.0, 20.0);
        assertThat(summarizeOut).isBetween(250.0, 400.0);
        assertThat(actions).allSatisfy(a -> a.calls().forEach(c ->
                assertThat(c.usage().output()).isLessThanOrEqualTo(c.maxTokens())));
    }
}
