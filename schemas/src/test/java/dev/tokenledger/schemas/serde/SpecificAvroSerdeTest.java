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
package dev.tokenledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.InMemorySchemaRegistryClient;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpecificAvroSerdeTest {
    private static final String SCOPE = "serde-test";
    private static final String TOPIC = Topics.USAGE_TOPIC;
    private final Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    static UsageEvent event() {
        return UsageEvent.newBuilder()
                .setEventId("e-1").setKind(UsageKind.COMPLETED).setOccurredAt(Instant.parse("2026-11-01T10:15:30Z"))
                .setFeatureId("summarize_email_v2").setTenantId("acme").setRequestId("r-1")
                .setProvider("anthropic").setModel("claude-sonnet-4-5").setInputTokens(1200).setOutputTokens(300)
                .setCacheReadTokens(4000).build();
    }

    @Test
    void registersUnderTheTopicValueSubjectOnceAndFramesWithItsId() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, config, false);
        byte[] first = serde.serializer().serialize(TOPIC, event());
        serde.serializer().serialize(TOPIC, event());

        InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
        assertThat(first[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(first, 1, 4).getInt()).isEqualTo(registry.getLatest(TOPIC + "-value").id());
    }

    @Test
    void keySerdeUsesTheKeySubject() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, config, true);
        serde.serializer().serialize(TOPIC, event());
        assertThat(InMemorySchemaRegistryClient.forScope(SCOPE).subjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsAClearError() {
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false), false);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, event()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject '" + TOPIC + "-value'");
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredId() {
        int id = InMemorySchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", UsageEvent.getClassSchema());
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true), false);
        byte[] bytes = serde.serializer().serialize(TOPIC, event());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithANewerRegisteredSchema() throws Exception {
        // a newer version registered by another team: the current fields plus one with a default
        List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field f : UsageEvent.getClassSchema().getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("region_code", Schema.create(Schema.Type.STRING), "added later", "eu"));
        Schema newer = Schema.createRecord("UsageEvent", "v2", "dev.tokenledger.avro", false, fields);
        InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        registry.register(TOPIC + "-value", UsageEvent.getClassSchema());
        int newerId = registry.register(TOPIC + "-value", newer);
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true), false);

        byte[] bytes = serde.serializer().serialize(TOPIC, event());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(newerId);
        GenericRecord asWritten = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(newer).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(asWritten.get("region_code").toString()).isEqualTo("eu");
        assertThat(asWritten.get("event_id").toString()).isEqualTo("e-1");
        assertThat(new SpecificAvroDeserializer<>(UsageEvent.class, registry).deserialize(TOPIC, bytes)).isEqualTo(event());
    }

    @Test
    void useLatestVersionRefusesALatestSchemaThatCannotHoldTheRecord() {
        List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field f : UsageEvent.getClassSchema().getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("cost_center", Schema.create(Schema.Type.STRING), "required, no default", (Object) null));
        InMemorySchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value",
                Schema.createRecord("UsageEvent", "v2", "dev.tokenledger.avro", false, fields));
        SpecificAvroSerde<UsageEvent> serde = SpecificAvroSerde.create(UsageEvent.class, Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true), false);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, event()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot hold a UsageEvent").hasMessageContaining("cost_center");
    }

    @Test
    void decodesARecordWrittenWithAnOlderSchemaIntoTheCurrentClass() throws Exception {
        // an early producer knew only a handful of fields; everything added since has a default
        Schema old = new Schema.Parser().parse("""
                {"type":"record","name":"UsageEvent","namespace":"dev.tokenledger.avro","fields":[
                  {"name":"event_id","type":"string"},
                  {"name":"kind","type":{"type":"enum","name":"UsageKind","symbols":["COMPLETED","FAILED","STREAM_TERMINATED"]}},
                  {"name":"occurred_at","type":{"type":"long","logicalType":"timestamp-millis"}},
                  {"name":"feature_id","type":"string"},
                  {"name":"request_id","type":"string"},
                  {"name":"provider","type":"string"},
                  {"name":"model","type":"string"},
                  {"name":"input_tokens","type":"long"},
                  {"name":"output_tokens","type":"long"}]}""");
        int id = InMemorySchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", old);
        GenericRecord record = new GenericData.Record(old);
        record.put("event_id", "old-1");
        record.put("kind", new GenericData.EnumSymbol(old.getField("kind").schema(), "FAILED"));
        record.put("occurred_at", 1_700_000_000_000L);
        record.put("feature_id", "search");
        record.put("request_id", "r-9");
        record.put("provider", "openai");
        record.put("model", "gpt-4o");
        record.put("input_tokens", 10L);
        record.put("output_tokens", 20L);

        UsageEvent decoded = new SpecificAvroDeserializer<>(UsageEvent.class, InMemorySchemaRegistryClient.forScope(SCOPE))
                .deserialize(TOPIC, frame(id, old, record));

        assertThat(decoded.getEventId()).isEqualTo("old-1");
        assertThat(decoded.getKind()).isEqualTo(UsageKind.FAILED);
        assertThat(decoded.getOutputTokens()).isEqualTo(20L);
        assertThat(decoded.getCacheReadTokens()).as("default of a field the old writer lacked").isZero();
        assertThat(decoded.getEnvironment()).isEqualTo("production");
    }

    @Test
    void badBytesNameTheProblem() {
        SpecificAvroDeserializer<UsageEvent> deserializer = new SpecificAvroDeserializer<>(UsageEvent.class, InMemorySchemaRegistryClient.forScope(SCOPE));
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"json\":1}".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Unknown magic byte 123");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("shorter than the 5-byte");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 42, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Unknown schema id 42");
        int id = InMemorySchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", UsageEvent.getClassSchema());
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, (byte) id, (byte) 0xff}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Cannot decode UsageEvent");
    }

    @Test
    void incompatibleChangeIsRefusedWith409() {
        InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(SCOPE);
        registry.register("s-value", UsageEvent.getClassSchema());
        Schema incompatible = new Schema.Parser().parse("""
                {"type":"record","name":"UsageEvent","namespace":"dev.tokenledger.avro","fields":[
                  {"name":"event_id","type":"long"}]}""");
        assertThat(registry.isCompatible("s-value", incompatible)).isFalse();
        assertThatThrownBy(() -> registry.register("s-value", incompatible))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
        registry.setCompatibility("s-value", "NONE");
        assertThat(registry.register("s-value", incompatible)).isPositive();
        assertThat(registry.versions("s-value")).containsExactly(1, 2);
    }

    private static byte[] frame(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
