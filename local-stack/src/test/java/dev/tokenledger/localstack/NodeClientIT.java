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
package dev.tokenledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client nobody here wrote (kafkajs + @kafkajs/confluent-schema-registry, from the npm registry)
 * against the local stack, both ways: it decodes what the Java serde wrote, and the Java serde
 * decodes what it wrote with a schema it registered itself. Skipped only when {@code node} is absent.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NodeClientIT {
    private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(commandWorks("node", "--version"), "node is not installed: skipping the Node.js client check");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("kafkajs"))
                || !Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("@kafkajs").resolve("confluent-schema-registry"))) {
            Result install = run(List.of("npm", "install", "--no-audit", "--no-fund"), 300);
            assertThat(install.exitCode).as("npm install failed:\n" + install.output).isZero();
        }
        stack = LocalStack.builder().start();
        stack.createTopics(List.of(Topics.USAGE, Topics.BUDGET_STATE), 1);
    }

    @AfterAll
    static void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void nodeClientReadsTheBudgetStateAGatewayActsOn() throws Exception {
        // DESIGN: the budget topic is readable by a plain consumer with the registry, no TokenLedger library needed
        dev.tokenledger.avro.BudgetState state = dev.tokenledger.avro.BudgetState.newBuilder()
                .setScopeKey("feature:draft_email").setBudgetId("feature:draft_email")
                .setScope(dev.tokenledger.avro.BudgetScope.FEATURE).setFeatureId("draft_email")
                .setStatus(dev.tokenledger.avro.BudgetStatus.DENY).setMode(dev.tokenledger.avro.BudgetMode.ENFORCE)
                .setStalePolicy(dev.tokenledger.avro.StalePolicy.OPEN)
                .setLimitUsd(dev.tokenledger.schemas.Money.of("500")).setSpentUsd(dev.tokenledger.schemas.Money.of("501.25"))
                .setReservedUsd(dev.tokenledger.schemas.Money.of("0.000000000001"))
                .setRemainingUsd(dev.tokenledger.schemas.Money.of("-1.250000000001"))
                .setPeriodStart(java.time.Instant.parse("2026-12-01T00:00:00Z")).setPeriodEnd(java.time.Instant.parse("2027-01-01T00:00:00Z"))
                .setReasonCode("GENUINE_BREACH").setVersion(42)
                .setUpdatedAt(java.time.Instant.parse("2026-12-01T10:00:00Z")).setHeartbeatAt(java.time.Instant.parse("2026-12-01T10:00:01Z"))
                .build();
        try (SpecificAvroSerde<dev.tokenledger.avro.BudgetState> serde = SpecificAvroSerde.create(dev.tokenledger.avro.BudgetState.class,
                Map.of("schema.registry.url", stack.registryUrl()), false);
                KafkaProducer<String, dev.tokenledger.avro.BudgetState> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                        new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.BUDGET_STATE_TOPIC, state.getScopeKey(), state)).get(30, TimeUnit.SECONDS);
        }

        Result consumed = node("consume", Topics.BUDGET_STATE_TOPIC, "feature:draft_email");
        assertThat(consumed.exitCode).as(consumed.output).isZero();
        JsonNode read = JSON.readTree(line(consumed, "EVENT ").substring("EVENT ".length()));
        assertThat(read.path("key").asText()).isEqualTo("feature:draft_email");
        assertThat(read.path("status").asText()).isEqualTo("DENY");
        assertThat(read.path("mode").asText()).isEqualTo("ENFORCE");
        assertThat(read.path("stale_policy").asText()).isEqualTo("OPEN");
        assertThat(read.path("limit_usd").asText()).isEqualTo("500.000000000000");
        assertThat(read.path("spent_usd").asText()).isEqualTo("501.250000000000");
        assertThat(read.path("reserved_usd").asText()).isEqualTo("0.000000000001");
        assertThat(read.path("remaining_usd").asText()).isEqualTo("-1.250000000001");
        assertThat(read.path("period_end").asLong()).isEqualTo(state.getPeriodEnd().toEpochMilli());
        assertThat(read.path("heartbeat_at").asLong()).isEqualTo(state.getHeartbeatAt().toEpochMilli());
        assertThat(read.path("reason_code").asText()).isEqualTo("GENUINE_BREACH");
    }

    @Test
    void nodeClientDecodesAUsageEventTheJavaSerdeWrote() throws Exception {
        // written with today's schema (UsageEvent v2): cache writes of other retentions set
        UsageEvent sent = UsageEvent.newBuilder(WireFormatIT.sampleEvent("java-to-node-1"))
                .setCacheWriteTokens(Map.of("30m", 6000L, "12h", 1500L)).build();
        try (SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class,
                Map.of("schema.registry.url", stack.registryUrl()), false);
                KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                        new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, sent.getFeatureId(), sent)).get(30, TimeUnit.SECONDS);
        }

        Result consumed = node("consume", "java-to-node-1");
        assertThat(consumed.exitCode).as(consumed.output).isZero();
        JsonNode event = JSON.readTree(line(consumed, "EVENT ").substring("EVENT ".length()));
        assertThat(event.path("key").asText()).isEqualTo("support-chat");
        assertThat(event.path("event_id").asText()).isEqualTo("java-to-node-1");
        assertThat(event.path("kind").asText()).isEqualTo("COMPLETED");
        assertThat(event.path("occurred_at").asLong()).isEqualTo(sent.getOccurredAt().toEpochMilli());
        assertThat(event.path("feature_id").asText()).isEqualTo("support-chat");
        assertThat(event.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(event.path("user_id").asText()).isEqualTo("u-42");
        assertThat(event.path("plan_tier").isNull()).isTrue();
        assertThat(event.path("provider").asText()).isEqualTo("anthropic");
        assertThat(event.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(event.path("input_tokens").asLong()).isEqualTo(1200);
        assertThat(event.path("output_tokens").asLong()).isEqualTo(350);
        assertThat(event.path("cache_read_tokens").asLong()).isEqualTo(800);
        assertThat(event.path("latency_ms").asLong()).isEqualTo(912);
        assertThat(event.path("environment").asText()).isEqualTo("production");
        assertThat(event.path("usage_source").asText()).isEqualTo("PROVIDER");
        assertThat(event.path("tags").path("team").asText()).isEqualTo("support");
        assertThat(event.path("cache_write_tokens").path("30m").asLong()).isEqualTo(6000);
        assertThat(event.path("cache_write_tokens").path("12h").asLong()).isEqualTo(1500);
    }

    @Test
    void javaSerdeDecodesAUsageEventTheNodeClientWroteWithTheSchemaItRegistered() throws Exception {
        Result produced = node("produce", "node-to-java-1");
        assertThat(produced.exitCode).as(produced.output).isZero();
        int nodeSchemaId = Integer.parseInt(line(produced, "PRODUCED ").substring("PRODUCED ".length()).trim());

        List<ConsumerRecord<String, byte[]>> records = consumeUsage();
        ConsumerRecord<String, byte[]> fromNode = null;
        UsageEvent event = null;
        try (SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class,
                Map.of("schema.registry.url", stack.registryUrl()), false)) {
            for (ConsumerRecord<String, byte[]> record : records) {
                UsageEvent decoded = serde.deserializer().deserialize(Topics.USAGE_TOPIC, record.value());
                if (decoded.getEventId().equals("node-to-java-1")) {
                    fromNode = record;
                    event = decoded;
                }
            }
        }
        assertThat(event).as("the Node client's event on " + Topics.USAGE_TOPIC).isNotNull();
        assertThat(java.nio.ByteBuffer.wrap(fromNode.value(), 1, 4).getInt()).isEqualTo(nodeSchemaId);
        assertThat(fromNode.key()).as("keyed by workflow: no root_request_id, so its request_id").isEqualTo("node-req-1");
        assertThat(event.getKind()).isEqualTo(UsageKind.COMPLETED);
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-11-23T08:15:30.250Z"));
        assertThat(event.getFeatureId()).isEqualTo("node-report-writer");
        assertThat(event.getTenantId()).isEqualTo("globex");
        assertThat(event.getUserId()).isNull();
        assertThat(event.getPlanTier()).isEqualTo("enterprise");
        assertThat(event.getAttempt()).isEqualTo(2);
        assertThat(event.getEnvironment()).isEqualTo("staging");
        assertThat(event.getProvider()).isEqualTo("openai");
        assertThat(event.getModel()).isEqualTo("gpt-5-mini");
        assertThat(event.getInputTokens()).isEqualTo(4321L);
        assertThat(event.getOutputTokens()).isEqualTo(987L);
        assertThat(event.getReasoningTokens()).isEqualTo(128L);
        assertThat(event.getCacheReadTokens()).isEqualTo(2048L);
        assertThat(event.getOtherTokens()).containsEntry("audio_input", 12L);
        assertThat(event.getRegion()).isEqualTo("eu-west-1");
        assertThat(event.getLatencyMs()).isEqualTo(1530L);
        assertThat(event.getUsageSource()).isEqualTo(UsageSource.PROVIDER);
        assertThat(event.getTags()).containsEntry("written_by", "kafkajs");
        // the Node client writes with its copy of the released v1 schema: today's reader fills the new field's default
        assertThat(event.getCacheWriteTokens()).isEmpty();
    }

    private static List<ConsumerRecord<String, byte[]>> consumeUsage() {
        Map<String, Object> props = Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(Topics.USAGE_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private Result node(String command, String eventId) throws Exception {
        return node(command, Topics.USAGE_TOPIC, eventId);
    }

    private Result node(String command, String topic, String id) throws Exception {
        return run(List.of("node", "usage-client.js", command, stack.bootstrapServers(), stack.registryUrl(), topic, id), 90);
    }

    private static String line(Result result, String prefix) {
        return result.output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + result.output));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-client-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            return finished ? new Result(process.exitValue(), output) : new Result(-1, "timed out: " + command + "\n" + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean commandWorks(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
