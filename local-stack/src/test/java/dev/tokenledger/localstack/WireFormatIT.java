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

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.schemas.TopicSpec;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.RestSchemaRegistryClient;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Confluent wire format end to end: serde → real broker → serde, through the local registry. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WireFormatIT {
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.builder().start();
        stack.createTopics(Topics.ALL, 1);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    static UsageEvent sampleEvent(String eventId) {
        return UsageEvent.newBuilder()
                .setEventId(eventId)
                .setKind(UsageKind.COMPLETED)
                .setOccurredAt(Instant.parse("2026-11-23T01:02:03.456Z"))
                .setFeatureId("support-chat")
                .setTenantId("acme")
                .setUserId("u-42")
                .setRequestId("req-" + eventId)
                .setProvider("anthropic")
                .setModel("claude-sonnet-4-5")
                .setInputTokens(1200)
                .setOutputTokens(350)
                .setCacheReadTokens(800)
                .setLatencyMs(912L)
                .setTags(Map.of("team", "support"))
                .build();
    }

    @Test
    void usageEventRoundTripsThroughTheSerdeAndTheRealBroker() throws Exception {
        Map<String, String> serdeConfig = Map.of("schema.registry.url", stack.registryUrl());
        try (SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, serdeConfig, false);
                KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                        new StringSerializer(), serde.serializer())) {
            UsageEvent sent = sampleEvent("evt-1");
            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, sent.getFeatureId(), sent)).get(30, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> raw = consume(Topics.USAGE_TOPIC, 1);
            byte[] bytes = raw.get(0).value();
            int registeredId = new RestSchemaRegistryClient(stack.registryUrl(), null)
                    .getLatest(Topics.USAGE.valueSubject()).id();
            assertThat(bytes[0]).as("magic byte").isZero();
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id").isEqualTo(registeredId);

            Deserializer<UsageEvent> deserializer = serde.deserializer();
            UsageEvent received = deserializer.deserialize(Topics.USAGE_TOPIC, bytes);
            assertThat(received).isEqualTo(sent);
            assertThat(raw.get(0).key()).isEqualTo("support-chat");
        }
    }

    @Test
    void aRecordWrittenWithAnOlderRegisteredSchemaDecodesIntoTheCurrentClass() throws Exception {
        TopicSpec legacyTopic = new TopicSpec("legacy.usage", String.class, UsageEvent.class, false, "test");
        stack.createTopics(List.of(legacyTopic), 1);
        // The "old" UsageEvent: the same record before usage_source and tags were added (both have defaults).
        Schema current = UsageEvent.getClassSchema();
        List<Schema.Field> oldFields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            if (!field.name().equals("usage_source") && !field.name().equals("tags")) {
                oldFields.add(new Schema.Field(field, field.schema()));
            }
        }
        Schema old = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, oldFields);
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl(), null);
        int oldId = registry.register(legacyTopic.valueSubject(), old);

        GenericRecord oldEvent = new GenericRecordBuilder(old)
                .set("event_id", "evt-old").set("kind", new GenericData.EnumSymbol(old.getField("kind").schema(), "COMPLETED"))
                .set("occurred_at", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli())
                .set("feature_id", "search").set("request_id", "req-old").set("provider", "openai").set("model", "gpt-5")
                .set("input_tokens", 10L).set("output_tokens", 20L)
                .build();
        produceRaw(legacyTopic.name(), wireFormat(oldId, old, oldEvent));

        // The current class is registered as version 2 (BACKWARD compatible) by the serializer.
        try (SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class,
                Map.of("schema.registry.url", stack.registryUrl()), false)) {
            byte[] currentBytes = serde.serializer().serialize(legacyTopic.name(), sampleEvent("evt-new"));
            produceRaw(legacyTopic.name(), currentBytes);
            assertThat(registry.versions(legacyTopic.valueSubject())).containsExactly(1, 2);

            List<UsageEvent> decoded = consume(legacyTopic.name(), 2).stream()
                    .map(r -> serde.deserializer().deserialize(legacyTopic.name(), r.value())).toList();
            UsageEvent fromOld = decoded.get(0);
            assertThat(fromOld.getEventId()).isEqualTo("evt-old");
            assertThat(fromOld.getModel()).isEqualTo("gpt-5");
            assertThat(fromOld.getOutputTokens()).isEqualTo(20L);
            assertThat(fromOld.getOccurredAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(fromOld.getUsageSource()).as("default of a field the writer did not know").isEqualTo(UsageSource.PROVIDER);
            assertThat(fromOld.getTags()).isEmpty();
            assertThat(decoded.get(1)).isEqualTo(sampleEvent("evt-new"));
        }
    }

    private static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static void produceRaw(String topic, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
        }
    }

    static List<ConsumerRecord<String, byte[]>> consume(String topic, int count) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "wire-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(count);
        return records;
    }
}
