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
package dev.tokenledger.agent;

import static dev.tokenledger.agent.TestLedgers.awaitEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerCallTest {
    @TempDir
    Path spool;

    private MockProducer<String, UsageEvent> producer;
    private TokenLedger ledger;

    @BeforeEach
    void start() {
        producer = TestLedgers.mockProducer();
        ledger = TestLedgers.builder(spool, producer).build();
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    @Test
    void completedCallCarriesTagsIdsAndAuthoritativeUsage() {
        String requestId;
        try (LedgerCall call = ledger.begin(Attribution.feature("summarize_email_v2").tenant("acme").user("u-17").plan("pro").tag("step", "draft"))) {
            call.modelRequested("claude-sonnet-4-5");
            requestId = call.requestId();
            assertThat(call.recordResponse(ProviderApi.ANTHROPIC_MESSAGES, Fixtures.read("anthropic/message-cache-ttl.json")).ok()).isTrue();
        }
        UsageEvent e = awaitEvents(producer, 1).get(0);
        // The usage key contract (UsageKeys): the workflow key, so retries and re-sends share a partition.
        assertThat(producer.history().get(0).key()).isEqualTo(e.getRootRequestId() != null ? e.getRootRequestId() : e.getRequestId());
        assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
        assertThat(e.getEventId()).startsWith("evt_");
        assertThat(e.getRequestId()).isEqualTo(requestId).startsWith("req_");
        assertThat(e.getRootRequestId()).isEqualTo(requestId);
        assertThat(e.getParentRequestId()).isNull();
        assertThat(e.getAttempt()).isEqualTo(1);
        assertThat(e.getEnvironment()).isEqualTo("staging");
        assertThat(e.getTenantId()).isEqualTo("acme");
        assertThat(e.getUserId()).isEqualTo("u-17");
        assertThat(e.getPlanTier()).isEqualTo("pro");
        assertThat(e.getTags()).containsEntry("step", "draft");
        assertThat(e.getProvider()).isEqualTo("anthropic");
        assertThat(e.getModel()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(e.getModelRequested()).isEqualTo("claude-sonnet-4-5");
        assertThat(e.getInputTokens()).isEqualTo(25);
        assertThat(e.getCacheWrite5mTokens()).isEqualTo(1200);
        assertThat(e.getCacheWrite1hTokens()).isEqualTo(500);
        assertThat(e.getCacheReadTokens()).isEqualTo(12000);
        assertThat(e.getOutputTokens()).isEqualTo(310);
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.PROVIDER);
        assertThat(e.getLatencyMs()).isNotNull().isGreaterThanOrEqualTo(0);
    }

    @Test
    void regionTierAndCacheWritesOfTheResponseReachTheEvent() {
        try (LedgerCall call = ledger.begin(Attribution.feature("summarize_email_v2"))) {
            call.region("eu-configured");
            assertThat(call.recordResponse(ProviderApi.ANTHROPIC_MESSAGES, Fixtures.read("anthropic/message-inference-geo-us.json")).ok()).isTrue();
        }
        try (LedgerCall call = ledger.begin(Attribution.feature("summarize_email_v2"))) {
            assertThat(call.recordResponse(ProviderApi.OPENAI_RESPONSES, Fixtures.read("openai-responses/response-cache-writes.json")).ok()).isTrue();
        }
        List<UsageEvent> events = awaitEvents(producer, 2);
        // the provider's answer (inference_geo) wins over a region the caller configured
        assertThat(events.get(0).getRegion()).isEqualTo("us");
        assertThat(events.get(0).getServiceTier()).isEqualTo("standard");
        assertThat(events.get(1).getCacheWriteTokens()).isEqualTo(Map.of("30m", 200_000L, "12h", 100_000L));
        assertThat(events.get(1).getInputTokens()).isEqualTo(10_000);
        assertThat(events.get(1).getServiceTier()).isEqualTo("fast");
        assertThat(events.get(1).getRegion()).isNull();
    }

    @Test
    void anUnboundCallLeavesTheThreadsContextAloneAndTheEmittedHookSeesItsEvent() {
        final List<UsageEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TokenLedger hooked = TestLedgers.builder(spool.resolve("hooked"), producer).onEmitted(heard::add).build()) {
            final LedgerCall first = hooked.beginUnbound(Attribution.feature("proxy_a").root("root-a"));
            final LedgerCall second = hooked.beginUnbound(Attribution.feature("proxy_b"));
            // two calls multiplexed on one thread: neither is the thread's context, neither is the other's parent
            assertThat(LedgerContext.current()).isNull();
            assertThat(second.parentRequestId()).isNull();
            assertThat(first.rootRequestId()).isEqualTo("root-a");
            second.recordFailure("http_500");
            first.reservation("res-1").recordFailure("http_429");
            assertThat(heard).extracting(UsageEvent::getFeatureId).containsExactly("proxy_b", "proxy_a");
            assertThat(heard.get(1).getReservationId()).isEqualTo("res-1");
        }
    }

    @Test
    void refusesACallWithoutFeatureTag() {
        assertThatThrownBy(() -> ledger.begin(null)).isInstanceOf(MissingFeatureTagException.class);
    }

    @Test
    void malformedResponseIsRecordedAsFailedAndNeverThrown() {
        LedgerCall.Recorded r;
        try (LedgerCall call = ledger.begin(Attribution.feature("classify"))) {
            r = call.recordResponse(ProviderApi.OPENAI_CHAT_COMPLETIONS, "{\"choices\": [");
        }
        assertThat(r.ok()).isFalse();
        assertThat(r.kind()).isEqualTo(UsageKind.FAILED);
        assertThat(r.error()).contains("OpenAI Chat Completions").contains("not valid JSON");
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getKind()).isEqualTo(UsageKind.FAILED);
        assertThat(e.getErrorClass()).isEqualTo("malformed_usage");
        assertThat(e.getProvider()).isEqualTo("openai");
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.NONE);
    }

    @Test
    void failedCallsAndUnrecordedCallsStillLand() {
        try (LedgerCall call = ledger.begin(Attribution.feature("classify")).provider("openai").modelRequested("gpt-4o")) {
            call.recordFailure("http_429");
        }
        assertThatThrownBy(() -> {
            try (LedgerCall ignored = ledger.begin(Attribution.feature("classify"))) {
                throw new IllegalStateException("caller bug before the provider answered");
            }
        }).isInstanceOf(IllegalStateException.class);
        List<UsageEvent> events = awaitEvents(producer, 2);
        assertThat(events.get(0).getKind()).isEqualTo(UsageKind.FAILED);
        assertThat(events.get(0).getErrorClass()).isEqualTo("http_429");
        assertThat(events.get(0).getModel()).isEqualTo("gpt-4o");
        assertThat(events.get(1).getErrorClass()).isEqualTo("not_recorded");
    }

    @Test
    void onlyTheFirstRecordCounts() {
        try (LedgerCall call = ledger.begin(Attribution.feature("classify"))) {
            call.recordResponse(ProviderApi.OPENAI_CHAT_COMPLETIONS, Fixtures.read("openai-chat/completion-reasoning-cache.json"));
            call.recordFailure("late_error");
        }
        try (LedgerCall marker = ledger.begin(Attribution.feature("marker"))) {
            marker.recordFailure("x");
        }
        List<UsageEvent> events = awaitEvents(producer, 2);
        assertThat(events).extracting(UsageEvent::getFeatureId).containsExactly("classify", "marker");
        assertThat(events.get(0).getKind()).isEqualTo(UsageKind.COMPLETED);
    }

    @Test
    void nestedCallsRetriesAndFallbacksShareTheRoot() {
        String outerId;
        String rootId;
        try (LedgerCall outer = ledger.begin(Attribution.feature("draft_email").tenant("acme").plan("pro"))) {
            outerId = outer.requestId();
            rootId = outer.rootRequestId();
            try (LedgerCall step = ledger.begin(Attribution.feature("tone_classifier"))) {
                step.recordFailure("timeout");
                try (LedgerCall retry = ledger.begin(step.retry())) {
                    retry.recordFailure("ok_marker");
                }
            }
            outer.recordFailure("outer_marker");
        }
        List<UsageEvent> events = awaitEvents(producer, 3);
        UsageEvent step = events.get(0);
        UsageEvent retry = events.get(1);
        UsageEvent outer = events.get(2);
        assertThat(outer.getRequestId()).isEqualTo(outerId);
        assertThat(step.getRootRequestId()).isEqualTo(rootId);
        assertThat(step.getParentRequestId()).isEqualTo(outerId);
        assertThat(step.getTenantId()).isEqualTo("acme");
        assertThat(step.getPlanTier()).isEqualTo("pro");
        assertThat(retry.getRootRequestId()).isEqualTo(rootId);
        assertThat(retry.getParentRequestId()).isEqualTo(outerId);
        assertThat(retry.getAttempt()).isEqualTo(2);
        assertThat(retry.getRequestId()).isNotEqualTo(step.getRequestId());
        assertThat(LedgerContext.current()).isNull();
    }

    @Test
    void contextSurvivesExecutorHandOff() throws Exception {
        ExecutorService pool = LedgerExecutors.wrap(Executors.newFixedThreadPool(2));
        String outerId;
        String rootId;
        try (LedgerCall outer = ledger.begin(Attribution.feature("agent_loop").tenant("acme"))) {
            outerId = outer.requestId();
            rootId = outer.rootRequestId();
            pool.submit(() -> {
                try (LedgerCall step = ledger.begin(Attribution.inherit())) {
                    step.recordFailure("from_pool");
                }
            }).get(10, TimeUnit.SECONDS);
            outer.recordFailure("outer");
        } finally {
            pool.shutdown();
        }
        UsageEvent fromPool = awaitEvents(producer, 2).get(0);
        assertThat(fromPool.getErrorClass()).isEqualTo("from_pool");
        assertThat(fromPool.getFeatureId()).isEqualTo("agent_loop");
        assertThat(fromPool.getTenantId()).isEqualTo("acme");
        assertThat(fromPool.getRootRequestId()).isEqualTo(rootId);
        assertThat(fromPool.getParentRequestId()).isEqualTo(outerId);
    }

    @Test
    void contextCrossesServicesInHttpHeaders() {
        Map<String, String> outgoing = new HashMap<>();
        String outerId;
        String rootId;
        try (LedgerCall outer = ledger.begin(Attribution.feature("search").tenant("acme").user("u-1"))) {
            outerId = outer.requestId();
            rootId = outer.rootRequestId();
            LedgerHeaders.writeCurrent(outgoing::put);
            outer.recordFailure("outer");
        }
        // the downstream service: reads the headers, serves the request inside that context
        LedgerContext incoming = LedgerHeaders.read(outgoing);
        try (LedgerContext.Scope ignored = incoming.activate();
             LedgerCall call = ledger.begin(Attribution.inherit())) {
            call.recordFailure("downstream");
        }
        UsageEvent downstream = awaitEvents(producer, 2).get(1);
        assertThat(downstream.getFeatureId()).isEqualTo("search");
        assertThat(downstream.getTenantId()).isEqualTo("acme");
        assertThat(downstream.getUserId()).isEqualTo("u-1");
        assertThat(downstream.getRootRequestId()).isEqualTo(rootId);
        assertThat(downstream.getParentRequestId()).isEqualTo(outerId);
    }

    @Test
    void userIdsAreHashedBeforeTheyLeaveWhenAKeyIsSet(@TempDir Path otherSpool) {
        MockProducer<String, UsageEvent> p = TestLedgers.mockProducer();
        try (TokenLedger hashing = TestLedgers.builder(otherSpool, p).userIdHmacKey("a-very-secret-hmac-key").build()) {
            try (LedgerCall call = hashing.begin(Attribution.feature("f").user("alice@example.com"))) {
                assertThat(call.openAiUser()).hasSize(64).isEqualTo(call.anthropicUserId()).doesNotContain("alice");
                call.recordFailure("x");
            }
            UsageEvent e = awaitEvents(p, 1).get(0);
            assertThat(e.getUserId()).isEqualTo(new UserIdHasher("a-very-secret-hmac-key".getBytes()).hash("alice@example.com"));
        }
    }

    @Test
    void openAiUserLimitIsCheckedWhereTheFieldIsProduced() {
        try (LedgerCall call = ledger.begin(Attribution.feature("f").user("u".repeat(65)))) {
            assertThat(call.anthropicUserId()).hasSize(65);
            assertThatThrownBy(call::openAiUser).isInstanceOf(InvalidTagException.class)
                    .hasMessageContaining("'user'").hasMessageContaining("at most 64").hasMessageContaining("OpenAI");
            call.recordFailure("x");
        }
    }
}
