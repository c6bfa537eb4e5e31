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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.RestSchemaRegistryClient;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenledger stack} as a user runs it: its own JVM, one line on stdout within 30 s, a
 * Confluent-style client (Avro serde + registry REST) producing and consuming through both printed
 * addresses, a clean exit on SIGTERM, and the same schema id after a restart on the same data dir.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StackCommandIT {
    private static final Pattern LINE = Pattern.compile("bootstrap=(\\S+) registry=(http://\\S+)");

    @TempDir
    Path dir;

    private record Running(Process process, String bootstrap, String registry, long readyMs) {
    }

    private Running start(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                TokenLedgerCommand.class.getName(), "stack", "--data-dir", dataDir.toString(),
                "--kafka-port", "0", "--registry-port", "0")
                .redirectError(dir.resolve("stack-stderr.txt").toFile())
                .start();
        long t0 = System.nanoTime();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(line).as("the one line on stdout").isNotNull();
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as("'%s' is bootstrap=HOST:PORT registry=http://HOST:PORT", line).isTrue();
        return new Running(p, m.group(1), m.group(2), readyMs);
    }

    private static void stop(Running r) throws Exception {
        r.process().destroy();   // SIGTERM, as Ctrl-C or a service manager would
        assertThat(r.process().waitFor(60, TimeUnit.SECONDS)).as("stack exits after SIGTERM").isTrue();
    }

    @Test
    void printsItsAddressesAndServesAConfluentStyleClientUntilSigterm() throws Exception {
        Path data = dir.resolve("data");
        Running first = start(data);
        System.out.printf("StackCommandIT: ready line after %d ms%n", first.readyMs());
        UsageEvent sent = UsageEvent.newBuilder().setEventId("evt-stack-1").setKind(UsageKind.COMPLETED)
                .setOccurredAt(Instant.parse("2026-12-01T10:00:00Z")).setFeatureId("draft_email").setTenantId("acme")
                .setRequestId("req-stack-1").setProvider("anthropic").setModel("claude-sonnet-4-5")
                .setInputTokens(1200).setOutputTokens(300).build();
        Map<String, String> serdeConfig = Map.of("schema.registry.url", first.registry());
        int schemaId;
        try (SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, serdeConfig, false)) {
            try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap()), new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, sent.getFeatureId(), sent)).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, UsageEvent> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap()), new StringDeserializer(), serde.deserializer())) {
                List<TopicPartition> parts = consumer.partitionsFor(Topics.USAGE_TOPIC).stream()
                        .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                UsageEvent received = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, UsageEvent> r : consumer.poll(Duration.ofMillis(500))) {
                        received = r.value();
                    }
                }
                assertThat(received).isEqualTo(sent);
            }
            schemaId = new RestSchemaRegistryClient(first.registry(), null).getLatest(Topics.USAGE.valueSubject()).id();
        }
        stop(first);
        assertThat(Files.readString(dir.resolve("stack-stderr.txt"))).contains("tokenledger stack: shutting down");

        // the data dir keeps topics and schema ids: a new stack on it answers with the same id
        Running second = start(data);
        try {
            assertThat(new RestSchemaRegistryClient(second.registry(), null).getLatest(Topics.USAGE.valueSubject()).id())
                    .isEqualTo(schemaId);
        } finally {
            stop(second);
        }
    }
}
