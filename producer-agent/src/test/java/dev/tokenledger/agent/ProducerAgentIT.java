package dev.tokenledger.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real KRaft broker and schema registry (local-stack): events produced while the
 * broker is down arrive once it is back — also across an agent restart on the same spool — and a stream
 * cut by the guard lands as STREAM_TERMINATED with its partial count. One stack for the class; each test
 * writes to its own topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ProducerAgentIT {
    private static final int CALLS = 10_000;
    private LocalStack stack;

    @BeforeAll
    void startStack() {
        stack = LocalStack.builder().start();
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private String newTopic() throws Exception {
        String topic = "it.usage." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        return topic;
    }

    private TokenLedger.Builder ledger(String topic, Path spool, InMemoryAgentMetrics metrics) {
        return TokenLedger.builder()
                .environment("it")
                .bootstrapServers(stack.bootstrapServers())
                .registryUrl(stack.registryUrl())
                .topic(topic)
                .spoolDir(spool)
                .queueCapacity(4096)
                .probeInterval(Duration.ofMillis(200))
                .metrics(metrics);
    }

    /** Makes {@code n} completed calls; returns their request ids. */
    private static Set<String> calls(TokenLedger ledger, int n) {
        String body = Fixtures.read("openai-chat/completion-reasoning-cache.json");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            try (LedgerCall call = ledger.begin(Attribution.feature("feature_" + (i % 7)).tenant("t" + (i % 13)))) {
                call.recordResponse(ProviderApi.OPENAI_CHAT_COMPLETIONS, body);
                ids.add(call.requestId());
            }
        }
        return ids;
    }

    /** Reads the topic's log from the beginning (assigned partitions, no consumer group: no re-delivery). */
    private List<UsageEvent> consumeAll(String topic, int expected) {
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
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, UsageEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(r.key()).isEqualTo(r.value().getFeatureId());
                    out.add(r.value());
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp)) && out.size() >= expected;
            });
        }
        return out;
    }

    private static void assertEachOnce(List<UsageEvent> events, Set<String> requestIds) {
        assertThat(events).hasSize(requestIds.size());
        Set<String> eventIds = new HashSet<>();
        Set<String> seenRequests = new HashSet<>();
        for (UsageEvent e : events) {
            eventIds.add(e.getEventId());
            seenRequests.add(e.getRequestId());
            assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
            assertThat(e.getInputTokens()).isEqualTo(86);
            assertThat(e.getCacheReadTokens()).isEqualTo(1920);
        }
        assertThat(eventIds).hasSize(requestIds.size());
        assertThat(seenRequests).isEqualTo(requestIds);
    }

    @Test
    @Order(1)
    void callsMadeWhileTheBrokerIsDownArriveOnceItIsBack(@TempDir Path spool) throws Exception {
        String topic = newTopic();
        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
        stack.stopBroker();
        Set<String> ids;
        try (TokenLedger ledger = ledger(topic, spool, metrics).build()) {
            ids = calls(ledger, CALLS);
            await().atMost(Duration.ofSeconds(60)).until(() -> metrics.spooledCount() == CALLS);
            assertThat(metrics.sentCount()).isZero();
            stack.startBroker();
            await().atMost(Duration.ofSeconds(90)).until(() -> metrics.drainedCount() == CALLS && ledger.isLive());
        } finally {
            stack.startBroker();
        }
        assertThat(metrics.droppedCount()).isZero();
        assertEachOnce(consumeAll(topic, CALLS), ids);
    }

    @Test
    @Order(2)
    void spoolSurvivesAnAgentRestartWhileTheBrokerIsDown(@TempDir Path spool) throws Exception {
        String topic = newTopic();
        stack.stopBroker();
        Set<String> ids;
        try {
            InMemoryAgentMetrics first = new InMemoryAgentMetrics();
            try (TokenLedger ledger = ledger(topic, spool, first).closeTimeout(Duration.ofSeconds(3)).build()) {
                ids = calls(ledger, CALLS);
            }
            assertThat(first.spooledCount()).isEqualTo(CALLS);
            assertThat(first.sentCount()).isZero();

            // the process restarts: a new agent on the same spool directory; then the broker comes back
            InMemoryAgentMetrics second = new InMemoryAgentMetrics();
            try (TokenLedger restarted = ledger(topic, spool, second).build()) {
                assertThat(restarted.spooledPending()).isEqualTo(CALLS);
                stack.startBroker();
                await().atMost(Duration.ofSeconds(90)).until(() -> second.drainedCount() == CALLS && restarted.isLive());
            }
        } finally {
            stack.startBroker();
        }
        assertEachOnce(consumeAll(topic, CALLS), ids);
    }

    @Test
    @Order(3)
    void streamCutByTheGuardLandsWithItsPartialCount(@TempDir Path spool) throws Exception {
        String topic = newTopic();
        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
        String requestId;
        try (TokenLedger ledger = ledger(topic, spool, metrics).streamLimits("support_agent", StreamLimits.of(Duration.ofMinutes(1), 1)).build()) {
            await().atMost(Duration.ofSeconds(30)).until(ledger::isLive);
            try (LedgerCall call = ledger.begin(Attribution.feature("support_agent").tenant("acme"))) {
                requestId = call.requestId();
                StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS);
                StreamGuard.Decision d = StreamGuard.Decision.CONTINUE;
                for (String line : Fixtures.read("openai-chat/stream-tool-calls.sse").split("\n", -1)) {
                    d = guard.onSseLine(line);
                    if (d == StreamGuard.Decision.CUT) {
                        break;
                    }
                }
                assertThat(d).isEqualTo(StreamGuard.Decision.CUT);
            }
        }
        UsageEvent e = consumeAll(topic, 1).get(0);
        assertThat(e.getRequestId()).isEqualTo(requestId);
        assertThat(e.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(3);
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.COUNTED);
    }
}
