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
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.services.blocking.MessageService;
import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.SseParser;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LedgerAnthropic.createStreaming: SDK stream events through the guard, from a recorded-shape SSE fixture. */
class SdkStreamingTest {
    @TempDir
    Path spool;

    private MockProducer<String, UsageEvent> producer;
    private TokenLedger ledger;
    private final AtomicBoolean upstreamClosed = new AtomicBoolean();
    private final MessageCreateParams params = MessageCreateParams.builder()
            .model("claude-sonnet-4-5").maxTokens(1024).addUserMessage("weather in SF?").build();

    @BeforeEach
    void start() {
        SpecificAvroSerializer<UsageEvent> value = new SpecificAvroSerializer<>(UsageEvent.class);
        value.configure(Map.of("schema.registry.url", "mock://sdk-stream-" + UUID.randomUUID()), false);
        producer = new MockProducer<>(true, null, new StringSerializer(), value);
        ledger = TokenLedger.builder().environment("test").bootstrapServers("unused:9092").registryUrl("mock://unused")
                .spoolDir(spool).probeInterval(Duration.ofMillis(20)).producer(producer)
                .streamLimits("no_tools", StreamLimits.of(Duration.ofMinutes(1), 0)).build();
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private AnthropicClient fakeStreamingClient(String fixture) throws Exception {
        List<RawMessageStreamEvent> events = new ArrayList<>();
        for (SseParser.SseEvent e : SseParser.parseAll(Fixtures.read(fixture))) {
            events.add(ObjectMappers.jsonMapper().readValue(e.data(), RawMessageStreamEvent.class));
        }
        StreamResponse<RawMessageStreamEvent> response = new StreamResponse<>() {
            @Override
            public Stream<RawMessageStreamEvent> stream() {
                return events.stream();
            }

            @Override
            public void close() {
                upstreamClosed.set(true);
            }
        };
        MessageService messages = (MessageService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageService.class}, (proxy, method, args) -> response);
        return (AnthropicClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AnthropicClient.class}, (proxy, method, args) -> messages);
    }

    private UsageEvent onlyEvent() {
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        return producer.history().get(0).value();
    }

    @Test
    void streamReadToTheEndRecordsTheProviderUsage() throws Exception {
        LedgerAnthropic claude = LedgerAnthropic.wrap(fakeStreamingClient("anthropic/stream-tool-use.sse"), ledger);
        long delivered;
        try (GuardedStream<RawMessageStreamEvent> s = claude.messages().createStreaming(Attribution.feature("chat"), params)) {
            delivered = s.stream().count();
        }
        assertThat(delivered).isEqualTo(13);
        UsageEvent e = onlyEvent();
        assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
        assertThat(e.getInputTokens()).isEqualTo(472);
        assertThat(e.getCacheReadTokens()).isEqualTo(2000);
        assertThat(e.getOutputTokens()).isEqualTo(89);
        assertThat(e.getModel()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void guardCutsTheSdkStreamAtTheToolCallLimit() throws Exception {
        LedgerAnthropic claude = LedgerAnthropic.wrap(fakeStreamingClient("anthropic/stream-tool-use.sse"), ledger);
        long delivered;
        try (GuardedStream<RawMessageStreamEvent> s = claude.messages().createStreaming(Attribution.feature("no_tools"), params)) {
            delivered = s.stream().count();
            assertThat(s.guard().terminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
        }
        // message_start, text block start, ping, 3 text deltas, block stop; the tool_use start is withheld
        assertThat(delivered).isEqualTo(7);
        assertThat(upstreamClosed).isTrue();
        UsageEvent e = onlyEvent();
        assertThat(e.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(3);
        assertThat(e.getInputTokens()).isEqualTo(472);
    }

    @Test
    void closingBeforeTheEndIsAClientCancel() throws Exception {
        LedgerAnthropic claude = LedgerAnthropic.wrap(fakeStreamingClient("anthropic/stream-tool-use.sse"), ledger);
        try (GuardedStream<RawMessageStreamEvent> s = claude.messages().createStreaming(Attribution.feature("chat"), params)) {
            assertThat(s.stream().limit(5).count()).isEqualTo(5);
        }
        UsageEvent e = onlyEvent();
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.CLIENT_CANCEL);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(2);
    }

    @Test
    void openAiStreamWithTheUsageChunkRecordsTheProviderUsage() throws Exception {
        List<com.openai.models.chat.completions.ChatCompletionChunk> chunks = new ArrayList<>();
        for (SseParser.SseEvent e : SseParser.parseAll(Fixtures.read("openai-chat/stream-include-usage.sse"))) {
            if (!"[DONE]".equals(e.data())) {
                chunks.add(com.openai.core.ObjectMappers.jsonMapper().readValue(e.data(), com.openai.models.chat.completions.ChatCompletionChunk.class));
            }
        }
        com.openai.core.http.StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk> response = new com.openai.core.http.StreamResponse<>() {
            @Override
            public Stream<com.openai.models.chat.completions.ChatCompletionChunk> stream() {
                return chunks.stream();
            }

            @Override
            public void close() {
                upstreamClosed.set(true);
            }
        };
        java.util.concurrent.atomic.AtomicReference<com.openai.models.chat.completions.ChatCompletionCreateParams> sent =
                new java.util.concurrent.atomic.AtomicReference<>();
        com.openai.services.blocking.chat.ChatCompletionService completions = (com.openai.services.blocking.chat.ChatCompletionService)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {com.openai.services.blocking.chat.ChatCompletionService.class},
                        (proxy, method, args) -> {
                            sent.set((com.openai.models.chat.completions.ChatCompletionCreateParams) args[0]);
                            return response;
                        });
        com.openai.services.blocking.ChatService chat = (com.openai.services.blocking.ChatService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {com.openai.services.blocking.ChatService.class}, (proxy, method, args) -> completions);
        com.openai.client.OpenAIClient client = (com.openai.client.OpenAIClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {com.openai.client.OpenAIClient.class}, (proxy, method, args) -> chat);
        com.openai.models.chat.completions.ChatCompletionCreateParams p = com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("hi").build();
        try (GuardedStream<com.openai.models.chat.completions.ChatCompletionChunk> s = LedgerOpenAi.wrap(client, ledger).chat()
                .createStreaming(Attribution.feature("chat"), p)) {
            assertThat(s.stream().count()).isEqualTo(5);
        }
        // the caller did not ask for the usage chunk: the decorator did, so the usage is the provider's
        assertThat(sent.get().streamOptions()).hasValueSatisfying(o -> assertThat(o.includeUsage()).contains(true));
        UsageEvent e = onlyEvent();
        assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
        assertThat(e.getInputTokens()).isEqualTo(120);
        assertThat(e.getCacheReadTokens()).isEqualTo(1280);
        assertThat(e.getOutputTokens()).isEqualTo(2);
        assertThat(e.getUsageSource()).isEqualTo(dev.tokenledger.avro.UsageSource.PROVIDER);
    }
}
