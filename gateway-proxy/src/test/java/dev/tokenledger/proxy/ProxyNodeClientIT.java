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
package dev.tokenledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.enforcer.ScopeKeys;
import dev.tokenledger.gate.BudgetAdmin;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.pricing.PriceCatalogPublisher;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A Node service on the official {@code openai} and {@code @anthropic-ai/sdk} packages, changed only in its
 * base URL and headers, through the real proxy to the provider simulator, with a real broker, registry and
 * budget enforcer: what the SDK receives is byte for byte what the upstream sent, the usage topic carries
 * the upstream's exact token counts, and the refusals and cuts reach the SDK as its own error types.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyNodeClientIT {
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The proxy's stream time limit in this test: the hanging upstream is cut at it. */
    private static final long STREAM_LIMIT_MS = 3_000;

    private LocalStack stack;
    private EnforcerApp enforcer;
    private ProviderSimulator simulator;
    private TokenLedgerProxy proxy;
    private KafkaConsumer<String, UsageEvent> usage;
    private final List<UsageEvent> seen = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(run(List.of("node", "--version"), 30).exitCode == 0, "node is not installed: skipping the SDK check");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("openai"))
                || !Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("@anthropic-ai").resolve("sdk"))) {
            final Result install = run(List.of("npm", "install", "--no-audit", "--no-fund"), 300);
            assertThat(install.exitCode).as("npm install failed:\n" + install.output).isZero();
        }
        stack = LocalStack.builder().start();
        stack.createTopics(Topics.ALL, 1);
        enforcer = EnforcerApp.start(new EnforcerConfig(Map.of(
                EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                EnforcerConfig.APPLICATION_ID_CONFIG, "proxy-it-enforcer",
                EnforcerConfig.STATE_DIR_CONFIG, Files.createTempDirectory("proxy-it-enforcer").toString(),
                EnforcerConfig.SCOPE_PARTITIONS_CONFIG, 1)));
        // a day budget far below one call: the gate is refused a lease for it (the real enforcer decides)
        new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl()).publish(Budget.newBuilder()
                .setBudgetId(ScopeKeys.feature("exhausted_feature")).setScope(BudgetScope.FEATURE).setFeatureId("exhausted_feature")
                .setLimitUsd(Money.of("0.000001")).setPeriod(BudgetPeriod.DAY).setTimeZone("UTC").setBurstTolerancePct(0)
                .setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.CLOSED).setUpdatedAt(Instant.now()).setUpdatedBy("proxy-it").build());
        simulator = new ProviderSimulator();
        final Map<String, Object> props = new HashMap<>();
        props.put(ProxyConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProxyConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        props.put(ProxyConfig.HTTP_PORT_CONFIG, 0);
        props.put(ProxyConfig.UPSTREAM_ANTHROPIC_CONFIG, simulator.url());
        props.put(ProxyConfig.UPSTREAM_OPENAI_CONFIG, simulator.url());
        props.put(ProxyConfig.UPSTREAM_GOOGLE_CONFIG, simulator.url());
        props.put(ProxyConfig.SPOOL_DIR_CONFIG, Files.createTempDirectory("proxy-it-spool").toString());
        props.put(ProxyConfig.STREAM_MAX_DURATION_MS_CONFIG, STREAM_LIMIT_MS);
        props.put(ProxyConfig.ENVIRONMENT_CONFIG, "proxy_it");
        proxy = TokenLedgerProxy.start(new ProxyConfig(props));
        usage = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                SpecificAvroSerde.create(UsageEvent.class, Map.of("schema.registry.url", stack.registryUrl()), false).deserializer());
        usage.assign(List.of(new TopicPartition(Topics.USAGE_TOPIC, 0)));
    }

    @AfterAll
    void stop() {
        if (usage != null) {
            usage.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (enforcer != null) {
            enforcer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void plainAndStreamedCallsReachTheSdkByteForByteAndAreRecordedWithTheUpstreamsExactCounts() throws Exception {
        final Result raw = node("raw-all", "sdk");
        assertRaw(raw, "anthropic_json", "anthropic-messages.json");
        assertRaw(raw, "anthropic_sse", "anthropic-messages.sse");
        assertRaw(raw, "chat_json", "openai-chat.json");
        assertRaw(raw, "chat_sse", "openai-chat.sse");
        assertRaw(raw, "responses_json", "openai-responses.json");
        assertRaw(raw, "responses_sse", "openai-responses.sse");

        // the caller's own keys reached the provider untouched
        assertThat(simulator.lastCredentials("/v1/messages")).endsWith("sk-ant-sim-key-1");
        assertThat(simulator.lastCredentials("/v1/chat/completions")).isEqualTo("Bearer sk-sim-key-2");

        // the counts of the recorded answers, class by class (Anthropic input excludes cache reads; OpenAI's cached
        // tokens are taken out of the prompt count)
        assertTokens(single("sdk_anthropic_json"), 38, 17, 1200, "claude-sonnet-4-5");
        assertTokens(single("sdk_anthropic_sse"), 42, 9, 0, "claude-sonnet-4-5");
        assertTokens(single("sdk_chat_json"), 1330 - 1024, 11, 1024, "gpt-4.1-mini");
        assertTokens(single("sdk_chat_sse"), 512 - 256, 6, 256, "gpt-4.1-mini");
        assertTokens(single("sdk_responses_json"), 880 - 512, 5, 512, "gpt-4.1-mini");
        assertTokens(single("sdk_responses_sse"), 300, 4, 0, "gpt-4.1-mini");
        final UsageEvent tagged = single("sdk_anthropic_json");
        assertThat(tagged.getTenantId()).isEqualTo("acme");
        assertThat(tagged.getUserId()).isEqualTo("u-17");
        assertThat(tagged.getEnvironment()).isEqualTo("proxy_it");
        assertThat(tagged.getReservationId()).as("the call was admitted by the gate under a hold").isNotNull();

        // the SDK's own stream reader parses every event the proxy passed on
        final Result events = node("anthropic-events", "sdk_anthropic_events");
        assertThat(line(events, "DELTAS ")).isEqualTo("4");
        assertThat(line(events, "OUTPUT ")).isEqualTo("9");

        final HttpClient http = HttpClient.newHttpClient();
        final JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("kafka_live").asBoolean()).isTrue();
        assertThat(health.path("budget").asText()).isEqualTo("enforced");
        // every call's usage event settled its hold: none is left open
        await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(proxy.url()
                + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("open_holds").asInt(-1) == 0);
        final String metrics = http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tokenledger_proxy_requests_total{outcome=\"forwarded\",route=\"anthropic_messages\"}")
                .contains("tokenledger_proxy_admission_seconds_bucket").contains("tokenledger_proxy_duration_seconds_count")
                .contains("tokenledger_agent_events_total{outcome=\"sent\"");
    }

    @Test
    @Order(2)
    void geminiJsonAndSseGoThroughUnchangedWithTheirUsage() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Q3 sales?\"}]}],\"generationConfig\":{\"maxOutputTokens\":32}}";
        final HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1beta/models/gemini-2.5-flash:generateContent"))
                .header("x-goog-api-key", "goog-sim-key-3").header("x-tokenledger-feature", "gemini_json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo(ProviderSimulator.resource("gemini-generate.json"));
        final HttpResponse<byte[]> sse = http.send(HttpRequest.newBuilder(URI.create(proxy.url()
                        + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")).header("x-goog-api-key", "goog-sim-key-3")
                .header("baggage", "tokenledger-feature=gemini_sse,trace.team=search,tokenledger-tenant=globex")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.body()).isEqualTo(ProviderSimulator.resource("gemini-stream.sse"));
        assertThat(simulator.lastCredentials("/v1beta/models/gemini-2.5-flash:generateContent")).isEqualTo("goog-sim-key-3");
        assertTokens(single("gemini_json"), 95, 9, 0, "gemini-2.5-flash");
        final UsageEvent streamed = single("gemini_sse");
        assertTokens(streamed, 60, 3, 0, "gemini-2.5-flash");
        assertThat(streamed.getTenantId()).as("tags from W3C baggage").isEqualTo("globex");
        assertThat(simulator.lastBaggage("/v1beta/models/gemini-2.5-flash:streamGenerateContent"))
                .as("the tags left the baggage before it went upstream").isEqualTo("trace.team=search");
    }

    @Test
    @Order(3)
    void anUntaggedCallIsRefusedWith400NamingTheHeaderBeforeAnythingGoesUpstream() throws Exception {
        final long upstreamCalls = simulator.requests("/v1/messages");
        final Result r = node("anthropic-call", "-");
        final JsonNode error = JSON.readTree(line(r, "ERROR "));
        assertThat(error.path("name").asText()).isEqualTo("BadRequestError");
        assertThat(error.path("status").asInt()).isEqualTo(400);
        assertThat(error.path("error").path("error").path("header").asText()).isEqualTo("x-tokenledger-feature");
        assertThat(error.path("error").path("error").path("message").asText()).contains("Missing header x-tokenledger-feature");
        final HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/messages"))
                .header("x-tokenledger-feature", "ok_feature").header("x-tokenledger-tenant", "acme corp")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        final JsonNode badError = JSON.readTree(bad.body()).path("error");
        assertThat(badError.path("header").asText()).isEqualTo("x-tokenledger-tenant");
        assertThat(badError.path("rule").asText()).contains("character ' ' at position 4 is not allowed");
        assertThat(simulator.requests("/v1/messages")).as("nothing reached the upstream").isEqualTo(upstreamCalls);
        assertThat(eventsOf("ok_feature")).isEmpty();
    }

    @Test
    @Order(4)
    void aModelPricedAfterTheStartIsSizedWithoutARestartAndAnUnpricedOneRefusedOnlyUnderABudget() throws Exception {
        final String body = "{\"model\":\"claude-later-1\",\"max_tokens\":5,\"messages\":[]}";
        assertThat(post("unbudgeted_feature", body).statusCode()).as("no budget governs it: nothing to size, it goes through")
                .isEqualTo(200);
        final BudgetAdmin admin = new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl());
        admin.publish(Budget.newBuilder().setBudgetId(ScopeKeys.feature("priced_later")).setScope(BudgetScope.FEATURE)
                .setFeatureId("priced_later").setLimitUsd(Money.of("100")).setPeriod(BudgetPeriod.DAY).setTimeZone("UTC")
                .setBurstTolerancePct(0).setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.CLOSED).setUpdatedAt(Instant.now())
                .setUpdatedBy("proxy-it").build());
        // once the gate has the budget's state, the unpriced model cannot be sized against it
        await().atMost(Duration.ofSeconds(60)).until(() -> post("priced_later", body).statusCode() == 400);
        final HttpResponse<String> refused = post("priced_later", body);
        assertThat(JSON.readTree(refused.body()).path("error").path("field").asText()).isEqualTo("model");
        assertThat(refused.body()).contains("No price for provider 'anthropic' model 'claude-later-1'");
        try (PriceCatalogPublisher prices = PriceCatalogPublisher.create(stack.bootstrapServers(), stack.registryUrl(), Map.of())) {
            prices.publish(List.of(PriceEntry.newBuilder().setEntryId("anthropic/claude-later-1").setProvider("anthropic")
                    .setModel("claude-later-1").setEffectiveFrom(Instant.now().minus(Duration.ofDays(1))).setInputPerMtok(Money.of("3"))
                    .setOutputPerMtok(Money.of("15")).setSourceUrl("https://example.test/later").setSourceReadOn(LocalDate.of(2026, 12, 5))
                    .build()));
        }
        // the running proxy follows the prices topic: the same call is now held and sent
        await().atMost(Duration.ofSeconds(30)).until(() -> post("priced_later", body).statusCode() == 200);
    }

    private HttpResponse<String> post(String feature, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/messages"))
                .header("x-api-key", "sk-ant-sim-key-1").header("x-tokenledger-feature", feature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(5)
    void anExhaustedBudgetIsARateLimitErrorInTheSdkCarryingTheGatesPayload() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl()).states()
                .containsKey(ScopeKeys.feature("exhausted_feature")));
        final long upstreamCalls = simulator.requests("/v1/messages");
        final Result r = node("anthropic-call", "exhausted_feature");
        final JsonNode error = JSON.readTree(line(r, "ERROR "));
        assertThat(error.path("name").asText()).isEqualTo("RateLimitError");
        assertThat(error.path("status").asInt()).isEqualTo(429);
        final JsonNode payload = error.path("error");
        assertThat(payload.path("error").asText()).isEqualTo("budget_exceeded");
        assertThat(payload.path("scope_key").asText()).isEqualTo("feature:exhausted_feature");
        assertThat(payload.path("feature_id").asText()).isEqualTo("exhausted_feature");
        assertThat(payload.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(payload.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(payload.path("limit_usd").asText()).isEqualTo("0.000001");
        assertThat(payload.path("reason_code").asText()).isNotEmpty();
        assertThat(error.path("retry_after").asText()).isEqualTo(payload.path("retry_after_seconds").asText());
        assertThat(simulator.requests("/v1/messages")).as("a denied call never reaches the provider").isEqualTo(upstreamCalls);
        assertThat(metrics()).contains("tokenledger_proxy_requests_total{outcome=\"denied\",route=\"anthropic_messages\"} 1.0");
        assertThat(eventsOf("exhausted_feature")).as("a denied call is not a usage event").isEmpty();

        // an upstream 429 is not the budget's: passed through unchanged, recorded as FAILED
        final Result upstream = node("anthropic-call", "provider_limited", "status-429");
        final JsonNode limited = JSON.readTree(line(upstream, "ERROR "));
        assertThat(limited.path("name").asText()).isEqualTo("RateLimitError");
        assertThat(JSON.writeValueAsString(limited.path("error"))).isEqualTo(ProviderSimulator.RATE_LIMIT_BODY);
        assertThat(limited.path("retry_after").asText()).isEqualTo("7");
        final UsageEvent failed = single("provider_limited");
        assertThat(failed.getKind()).isEqualTo(UsageKind.FAILED);
        assertThat(failed.getErrorClass()).isEqualTo("http_429");
    }

    @Test
    @Order(6)
    void aStreamPastTwiceItsHoldIsCutAtTheBudgetCeilingAndTheSdkSeesItEnd() throws Exception {
        final Result r = node("anthropic-stream-until-error", "ceiling_feature", "long");
        final JsonNode error = JSON.readTree(line(r, "STREAM_ERROR "));
        assertThat(error.path("error").path("error").path("type").asText()).isEqualTo("tokenledger_budget_ceiling");
        final long deltasSeen = Long.parseLong(line(r, "DELTAS "));
        final UsageEvent cut = single("ceiling_feature");
        assertThat(cut.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(cut.getTerminationReason()).isEqualTo(StreamTerminationReason.BUDGET_CEILING);
        // the hold is sized from max_tokens=16 and a body of under 400 bytes; 2x that buys well under 500 output tokens
        // of claude-sonnet-4-5, plus one simulator batch (50 deltas) already on its way at the cut
        assertThat(cut.getGeneratedOutputTokens()).isBetween(17L, 500L + 50L);
        assertThat(cut.getOutputTokens()).isEqualTo(cut.getGeneratedOutputTokens());
        assertThat(deltasSeen).isLessThanOrEqualTo(cut.getGeneratedOutputTokens()).isLessThan(ProviderSimulator.LONG_DELTAS);
        assertThat(metrics()).contains("tokenledger_proxy_stream_cuts_total{reason=\"BUDGET_CEILING\"} 1.0");
    }

    @Test
    @Order(7)
    void aClientAbortEndsTheUpstreamCallAndRecordsThePartialTokens() throws Exception {
        final Result r = node("anthropic-abort", "abort_feature", "slow");
        assertThat(line(r, "ABORTED ")).isEqualTo("5");
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf("abort_feature").size() == 1);
        final UsageEvent cut = single("abort_feature");
        assertThat(cut.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(cut.getTerminationReason()).isEqualTo(StreamTerminationReason.CLIENT_CANCEL);
        assertThat(cut.getInputTokens()).isEqualTo(42);
        // at least what the client read; far fewer than the 1,000 deltas the upstream would have sent
        assertThat(cut.getGeneratedOutputTokens()).isBetween(5L, 100L);
    }

    @Test
    @Order(8)
    void anUpstreamThatHangsIsCutAtTheFeaturesTimeLimit() throws Exception {
        final long started = System.nanoTime();
        final Result r = node("anthropic-stream-until-error", "hang_feature", "hang");
        final long tookMs = (System.nanoTime() - started) / 1_000_000;
        final JsonNode error = JSON.readTree(line(r, "STREAM_ERROR "));
        assertThat(error.path("error").path("error").path("type").asText()).isEqualTo("tokenledger_stream_timeout");
        final UsageEvent cut = single("hang_feature");
        assertThat(cut.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(cut.getTerminationReason()).isEqualTo(StreamTerminationReason.TIMEOUT);
        assertThat(cut.getInputTokens()).isEqualTo(42);
        assertThat(tookMs).as("cut at the %d ms limit, not at the SDK's own 10-minute timeout", STREAM_LIMIT_MS)
                .isGreaterThanOrEqualTo(STREAM_LIMIT_MS).isLessThan(60_000);

        // an upstream that never even sends its headers is cut at the same limit, with a 504 the client can read
        final HttpResponse<String> silent = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/messages"))
                .header("x-tokenledger-feature", "silent_feature").header(ProviderSimulator.SCENARIO_HEADER, "silent")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"stream\":true,\"messages\":[]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(silent.statusCode()).isEqualTo(504);
        assertThat(JSON.readTree(silent.body()).path("error").path("type").asText()).isEqualTo("tokenledger_stream_timeout");
        final UsageEvent silentCut = single("silent_feature");
        assertThat(silentCut.getTerminationReason()).isEqualTo(StreamTerminationReason.TIMEOUT);
        assertThat(silentCut.getOutputTokens()).isZero();
    }

    @Test
    @Order(9)
    void callsMadeWhileKafkaIsDownAreAllRecordedOnceItReturns() throws Exception {
        stack.stopBroker();
        try {
            for (int i = 0; i < 3; i++) {
                final Result r = node("chat-call", "outage_feature");
                assertThat(line(r, "OK ")).as("the call is answered while Kafka is down").isEqualTo("11");
            }
        } finally {
            stack.startBroker();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> eventsOf("outage_feature").size() >= 3);
        final List<UsageEvent> events = eventsOf("outage_feature");
        assertThat(events).hasSize(3).allSatisfy(e -> assertTokens(e, 1330 - 1024, 11, 1024, "gpt-4.1-mini"));
        assertThat(events.stream().map(UsageEvent::getEventId).distinct()).hasSize(3);
    }

    // ------------------------------------------------------------------ helpers

    private String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void assertRaw(Result r, String call, String fixture) {
        assertThat(line(r, "STATUS " + call + " ")).isEqualTo("200");
        assertThat(Base64.getDecoder().decode(line(r, "RAW " + call + " "))).as(call + " body").isEqualTo(ProviderSimulator.resource(fixture));
    }

    private static void assertTokens(UsageEvent e, long input, long output, long cacheRead, String model) {
        assertThat(e.getKind()).as(e.getFeatureId()).isEqualTo(UsageKind.COMPLETED);
        assertThat(e.getInputTokens()).as(e.getFeatureId() + " input").isEqualTo(input);
        assertThat(e.getOutputTokens()).as(e.getFeatureId() + " output").isEqualTo(output);
        assertThat(e.getCacheReadTokens()).as(e.getFeatureId() + " cache read").isEqualTo(cacheRead);
        assertThat(e.getModel()).isEqualTo(model);
    }

    private UsageEvent single(String feature) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !eventsOf(feature).isEmpty());
        final List<UsageEvent> events = eventsOf(feature);
        assertThat(events).as("usage events of " + feature).hasSize(1);
        return events.get(0);
    }

    private synchronized List<UsageEvent> eventsOf(String feature) {
        for (ConsumerRecord<String, UsageEvent> rec : usage.poll(Duration.ofMillis(200))) {
            seen.add(rec.value());
        }
        return seen.stream().filter(e -> e.getFeatureId().equals(feature)).collect(Collectors.toList());
    }

    private Result node(String command, String feature) throws IOException, InterruptedException {
        return node(command, feature, null);
    }

    private Result node(String command, String feature, String scenario) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>(List.of("node", "sdk-client.js", command, proxy.url(), feature));
        if (scenario != null) {
            cmd.add(scenario);
        }
        final Result r = run(cmd, 90);
        assertThat(r.exitCode).as(String.join(" ", cmd) + ":\n" + r.output).isZero();
        return r;
    }

    private static String line(Result r, String prefix) {
        return r.output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in:\n" + r.output));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        final byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, new String(out, StandardCharsets.UTF_8) + "\n(timed out)");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
