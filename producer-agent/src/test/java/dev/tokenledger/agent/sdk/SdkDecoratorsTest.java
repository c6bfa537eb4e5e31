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
package dev.tokenledger.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Usage;
import com.anthropic.services.blocking.MessageService;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.Response;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.OpenAiResponsesUsage;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SDK usage mapping from SDK objects (builders and the SDKs' own JSON mappers) and the decorators, without network. */
class SdkDecoratorsTest {
    @TempDir
    Path spool;

    @Test
    void anthropicUsageBuiltWithTheSdkBuilder() {
        Usage usage = Usage.builder()
                .inputTokens(25)
                .outputTokens(310)
                .cacheReadInputTokens(12000L)
                .cacheCreationInputTokens(1700L)
                .cacheCreation(CacheCreation.builder().ephemeral5mInputTokens(1200).ephemeral1hInputTokens(500).build())
                .serverToolUse(java.util.Optional.empty())
                .serviceTier(Usage.ServiceTier.STANDARD)
                .build();
        ProviderUsage u = SdkUsage.anthropic(usage, "claude-sonnet-4-5");
        assertThat(u.inputTokens()).isEqualTo(25);
        assertThat(u.cacheWrite5mTokens()).isEqualTo(1200);
        assertThat(u.cacheWrite1hTokens()).isEqualTo(500);
        assertThat(u.cacheReadTokens()).isEqualTo(12000);
        assertThat(u.outputTokens()).isEqualTo(310);
        assertThat(u.serviceTier()).isEqualTo("standard");
    }

    @Test
    void openAiUsageBuiltWithTheSdkBuilder() {
        CompletionUsage usage = CompletionUsage.builder()
                .promptTokens(2006).completionTokens(300).totalTokens(2306)
                .promptTokensDetails(CompletionUsage.PromptTokensDetails.builder().cachedTokens(1920L).audioTokens(0L).build())
                .completionTokensDetails(CompletionUsage.CompletionTokensDetails.builder().reasoningTokens(192L).build())
                .build();
        ProviderUsage u = SdkUsage.openAiChat(usage, "o3-mini", null);
        assertThat(u.inputTokens()).isEqualTo(86);
        assertThat(u.cacheReadTokens()).isEqualTo(1920);
        assertThat(u.outputTokens()).isEqualTo(300);
        assertThat(u.reasoningTokens()).isEqualTo(192);
    }

    @Test
    void sdkMappingAgreesWithTheRawJsonExtractorsOnTheSameResponses() throws Exception {
        for (String fixture : List.of("anthropic/message-cache-ttl.json", "anthropic/message-inference-geo-us.json")) {
            Message message = com.anthropic.core.ObjectMappers.jsonMapper().readValue(Fixtures.read(fixture), Message.class);
            assertThat(SdkUsage.anthropic(message.usage(), message.model().asString())).as(fixture)
                    .isEqualTo(ProviderApi.ANTHROPIC_MESSAGES.extractor().extract(Fixtures.read(fixture)));
        }
        Message geo = com.anthropic.core.ObjectMappers.jsonMapper().readValue(Fixtures.read("anthropic/message-inference-geo-us.json"), Message.class);
        assertThat(SdkUsage.anthropic(geo.usage(), geo.model().asString()).region()).isEqualTo("us");

        for (String fixture : List.of("openai-chat/completion-reasoning-cache.json", "openai-chat/completion-audio.json",
                "openai-chat/completion-cache-writes.json")) {
            ChatCompletion c = com.openai.core.ObjectMappers.jsonMapper().readValue(Fixtures.read(fixture), ChatCompletion.class);
            ProviderUsage sdk = SdkUsage.openAiChat(c.usage().orElseThrow(), c.model(), c.serviceTier().map(t -> t.asString()).orElse(null));
            assertThat(sdk).as(fixture).isEqualTo(ProviderApi.OPENAI_CHAT_COMPLETIONS.extractor().extract(Fixtures.read(fixture)));
        }

        for (String fixture : List.of("openai-responses/response-reasoning-cache.json", "openai-responses/response-cache-writes.json")) {
            Response r = com.openai.core.ObjectMappers.jsonMapper().readValue(Fixtures.read(fixture), Response.class);
            assertThat(SdkUsage.openAiResponses(r.usage().orElseThrow(), LedgerOpenAi.modelName(r.model()),
                    r.serviceTier().map(t -> t.asString()).orElse(null))).as(fixture)
                    .isEqualTo(OpenAiResponsesUsage.fromResponse(Fixtures.read(fixture)));
        }
    }

    private static MockProducer<String, UsageEvent> mockProducer() {
        SpecificAvroSerializer<UsageEvent> value = new SpecificAvroSerializer<>(UsageEvent.class);
        value.configure(Map.of("schema.registry.url", "mock://sdk-" + UUID.randomUUID()), false);
        return new MockProducer<>(true, null, new StringSerializer(), value);
    }

    private TokenLedger ledger(MockProducer<String, UsageEvent> producer) {
        return TokenLedger.builder().environment("test").bootstrapServers("unused:9092").registryUrl("mock://unused")
                .spoolDir(spool).probeInterval(Duration.ofMillis(20)).userIdHmacKey("sdk-test-hmac-key-0123").producer(producer).build();
    }

    private static List<UsageEvent> events(MockProducer<String, UsageEvent> producer, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= n);
        return producer.history().stream().map(r -> r.value()).collect(Collectors.toList());
    }

    /** An AnthropicClient whose messages().create(...) answers {@code answer} (or throws it). */
    private static AnthropicClient fakeAnthropic(Object answer, AtomicReference<MessageCreateParams> seen) {
        MessageService messages = (MessageService) Proxy.newProxyInstance(SdkDecoratorsTest.class.getClassLoader(),
                new Class<?>[] {MessageService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("create")) {
                        seen.set((MessageCreateParams) args[0]);
                        if (answer instanceof RuntimeException e) {
                            throw e;
                        }
                        return answer;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (AnthropicClient) Proxy.newProxyInstance(SdkDecoratorsTest.class.getClassLoader(),
                new Class<?>[] {AnthropicClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("messages")) {
                        return messages;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anthropicDecoratorTagsCallsAndRecordsInOneStep() throws Exception {
        Message answer = com.anthropic.core.ObjectMappers.jsonMapper()
                .readValue(Fixtures.read("anthropic/message-cache-ttl.json"), Message.class);
        AtomicReference<MessageCreateParams> seen = new AtomicReference<>();
        MockProducer<String, UsageEvent> producer = mockProducer();
        try (TokenLedger ledger = ledger(producer)) {
            LedgerAnthropic claude = LedgerAnthropic.wrap(fakeAnthropic(answer, seen), ledger);
            MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(512).addUserMessage("Summarize").build();
            Message m = claude.messages().create(Attribution.feature("summarize_email_v2").tenant("acme").user("u-17"), params);
            assertThat(m).isSameAs(answer);
            String sentUserId = seen.get().metadata().orElseThrow().userId().orElseThrow();
            assertThat(sentUserId).hasSize(64).doesNotContain("u-17");

            LedgerAnthropic failing = LedgerAnthropic.wrap(fakeAnthropic(new IllegalStateException("connection reset"), seen), ledger);
            assertThatThrownBy(() -> failing.messages().create(Attribution.feature("summarize_email_v2"), params))
                    .isInstanceOf(IllegalStateException.class);

            List<UsageEvent> events = events(producer, 2);
            UsageEvent ok = events.get(0);
            assertThat(ok.getKind()).isEqualTo(UsageKind.COMPLETED);
            assertThat(ok.getProvider()).isEqualTo("anthropic");
            assertThat(ok.getModel()).isEqualTo("claude-sonnet-4-5-20250929");
            assertThat(ok.getModelRequested()).isEqualTo("claude-sonnet-4-5");
            assertThat(ok.getCacheWrite1hTokens()).isEqualTo(500);
            assertThat(ok.getUserId()).isEqualTo(sentUserId);
            UsageEvent failed = events.get(1);
            assertThat(failed.getKind()).isEqualTo(UsageKind.FAILED);
            assertThat(failed.getErrorClass()).isEqualTo("IllegalStateException");
            assertThat(failed.getModel()).isEqualTo("claude-sonnet-4-5");
        }
    }

    @Test
    void openAiDecoratorSetsTheUserFieldAndRecordsUsage() throws Exception {
        ChatCompletion answer = com.openai.core.ObjectMappers.jsonMapper()
                .readValue(Fixtures.read("openai-chat/completion-reasoning-cache.json"), ChatCompletion.class);
        AtomicReference<ChatCompletionCreateParams> seen = new AtomicReference<>();
        OpenAIClient client = openAiAnswering(answer, seen);
        MockProducer<String, UsageEvent> producer = mockProducer();
        try (TokenLedger ledger = ledger(producer)) {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("o3-mini").addUserMessage("2+2?").build();
            LedgerOpenAi.wrap(client, ledger).chat().create(Attribution.feature("classify_ticket").user("u-17"), params);
            @SuppressWarnings("deprecation")
            String user = seen.get().user().orElseThrow();
            assertThat(user).hasSize(64);
            UsageEvent e = events(producer, 1).get(0);
            assertThat(e.getUserId()).isEqualTo(user);
            assertThat(e.getInputTokens()).isEqualTo(86);
            assertThat(e.getReasoningTokens()).isEqualTo(192);
            assertThat(e.getModel()).isEqualTo("o3-mini-2025-01-31");
            assertThat(e.getModelRequested()).isEqualTo("o3-mini");
        }
    }

    @Test
    void openAiResponsesDecoratorSetsTheSafetyIdentifierAndRecordsUsage() throws Exception {
        com.openai.models.responses.Response answer = com.openai.core.ObjectMappers.jsonMapper()
                .readValue(Fixtures.read("openai-responses/response-reasoning-cache.json"), com.openai.models.responses.Response.class);
        AtomicReference<com.openai.models.responses.ResponseCreateParams> seen = new AtomicReference<>();
        com.openai.services.blocking.ResponseService responses = (com.openai.services.blocking.ResponseService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {com.openai.services.blocking.ResponseService.class}, (proxy, method, args) -> {
                    seen.set((com.openai.models.responses.ResponseCreateParams) args[0]);
                    return answer;
                });
        OpenAIClient client = (OpenAIClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {OpenAIClient.class}, (proxy, method, args) -> responses);
        MockProducer<String, UsageEvent> producer = mockProducer();
        try (TokenLedger ledger = ledger(producer)) {
            com.openai.models.responses.ResponseCreateParams params = com.openai.models.responses.ResponseCreateParams.builder()
                    .model("o3").input("2+2?").build();
            LedgerOpenAi.wrap(client, ledger).responses().create(Attribution.feature("classify_ticket").user("u-17"), params);
            String identifier = seen.get().safetyIdentifier().orElseThrow();
            assertThat(identifier).hasSize(64);
            UsageEvent e = events(producer, 1).get(0);
            assertThat(e.getUserId()).isEqualTo(identifier);
            assertThat(e.getKind()).isEqualTo(dev.tokenledger.avro.UsageKind.COMPLETED);
        }
    }

    @Test
    void inconsistentProviderUsageNeverFailsTheCallersSuccessfulCall() throws Exception {
        // cached_tokens (500) above prompt_tokens (100): no disjoint split exists
        ChatCompletion answer = com.openai.core.ObjectMappers.jsonMapper().readValue("{\"id\":\"c1\",\"object\":\"chat.completion\","
                + "\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":5,"
                + "\"total_tokens\":105,\"prompt_tokens_details\":{\"cached_tokens\":500}}}", ChatCompletion.class);
        OpenAIClient client = openAiAnswering(answer, new AtomicReference<>());
        MockProducer<String, UsageEvent> producer = mockProducer();
        try (TokenLedger ledger = ledger(producer)) {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();
            ChatCompletion got = LedgerOpenAi.wrap(client, ledger).chat().create(Attribution.feature("classify_ticket"), params);
            assertThat(got).isSameAs(answer);
            UsageEvent e = events(producer, 1).get(0);
            assertThat(e.getKind()).isEqualTo(dev.tokenledger.avro.UsageKind.FAILED);
            assertThat(e.getErrorClass()).isEqualTo("invalid_usage");
        }
    }

    /** An OpenAI client whose chat completions answer {@code answer}, remembering the params sent in {@code seen}. */
    private static OpenAIClient openAiAnswering(ChatCompletion answer, AtomicReference<ChatCompletionCreateParams> seen) {
        ClassLoader loader = SdkDecoratorsTest.class.getClassLoader();
        ChatCompletionService completions = (ChatCompletionService) Proxy.newProxyInstance(loader,
                new Class<?>[] {ChatCompletionService.class}, (proxy, method, args) -> {
                    seen.set((ChatCompletionCreateParams) args[0]);
                    return answer;
                });
        ChatService chat = (ChatService) Proxy.newProxyInstance(loader, new Class<?>[] {ChatService.class},
                (proxy, method, args) -> completions);
        return (OpenAIClient) Proxy.newProxyInstance(loader, new Class<?>[] {OpenAIClient.class}, (proxy, method, args) -> chat);
    }
}
