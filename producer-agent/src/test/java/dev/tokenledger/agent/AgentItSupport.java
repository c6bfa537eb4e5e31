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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the agent's broker ITs share: a topic per test, an agent on it, its calls, the log read back, the once-each check. */
final class AgentItSupport {
    private AgentItSupport() {
    }

    static String newTopic(LocalStack stack) throws Exception {
        String topic = "it.usage." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        return topic;
    }

    static TokenLedger.Builder ledger(String bootstrapServers, String registryUrl, String topic, Path spool,
                                      InMemoryAgentMetrics metrics) {
        return TokenLedger.builder()
                .environment("it")
                .bootstrapServers(bootstrapServers)
                .registryUrl(registryUrl)
                .topic(topic)
                .spoolDir(spool)
                .probeInterval(Duration.ofMillis(200))
                .metrics(metrics);
    }

    /** Makes {@code n} completed calls (the same OpenAI response each time); returns their request ids in order. */
    static List<String> calls(TokenLedger ledger, int n) {
        String body = Fixtures.read("openai-chat/completion-reasoning-cache.json");
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try (LedgerCall call = ledger.begin(Attribution.feature("feature_" + (i % 7)).tenant("t" + (i % 13)))) {
                call.recordResponse(ProviderApi.OPENAI_CHAT_COMPLETIONS, body);
                ids.add(call.requestId());
            }
        }
        return ids;
    }

    /** Reads the topic's log from the beginning (assigned partitions, no consumer group: no re-delivery). */
    static List<UsageEvent> consumeAll(LocalStack stack, String topic, int expected, Duration bound) {
        SpecificAvroDeserializer<UsageEvent> value = new SpecificAvroDeserializer<>(UsageEvent.class);
        value.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        List<UsageEvent> out = new ArrayList<>();
        try (KafkaConsumer<String, UsageEvent> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", stack.bootstrapServers(),
                "enable.auto.commit", "false"), new StringDeserializer(), value)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(bound).until(() -> {
                for (ConsumerRecord<String, UsageEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    // the usage key contract (UsageKeys): the workflow key, root_request_id else request_id
                    assertThat(r.key()).isEqualTo(r.value().getRootRequestId() != null ? r.value().getRootRequestId()
                            : r.value().getRequestId());
                    out.add(r.value());
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp)) && out.size() >= expected;
            });
        }
        return out;
    }

    /** Every recorded request id exactly once, each with its own event id and the response's counts. */
    static void assertEachOnce(List<UsageEvent> events, Set<String> requestIds) {
        Map<String, Integer> perRequest = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        for (UsageEvent e : events) {
            perRequest.merge(e.getRequestId(), 1, Integer::sum);
            eventIds.add(e.getEventId());
            assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
            assertThat(e.getInputTokens()).isEqualTo(86);
            assertThat(e.getCacheReadTokens()).isEqualTo(1920);
        }
        assertThat(perRequest.keySet()).isEqualTo(requestIds);
        assertThat(perRequest.values()).as("no request id twice").containsOnly(1);
        assertThat(events).hasSize(requestIds.size());
        assertThat(eventIds).hasSize(requestIds.size());
    }
}
