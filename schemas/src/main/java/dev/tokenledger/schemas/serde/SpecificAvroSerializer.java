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

import dev.tokenledger.schemas.registry.SchemaRegistryClient;
import dev.tokenledger.schemas.registry.SchemaRegistryClients;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a SpecificRecord in the Confluent wire format under subject {@code <topic>-value} or {@code <topic>-key}. */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final Class<T> type;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Target> targetByTopic = new ConcurrentHashMap<>();

    /**
     * What a topic's records are written as: a schema id, and, when {@code use.latest.version} picked a
     * registered schema other than the class's own, the resolving reader and writer that turn the
     * record into that schema (as Confluent's serializer writes with the latest version).
     */
    private record Target(int id, GenericDatumReader<GenericRecord> toLatest, GenericDatumWriter<GenericRecord> latestWriter) {
    }
    /**
     * Per-thread output buffer and buffered encoder, reused across calls: Avro's direct encoder wrote one
     * byte at a time into a fresh (synchronized) stream per record.
     */
    private static final class Scratch {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder encoder;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;

    public SpecificAvroSerializer(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, SpecificData.getForClass(type));
    }

    /** A serializer bound to a registry client (tests, or when the caller manages the client). */
    public SpecificAvroSerializer(Class<T> type, SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this(type);
        this.registry = registry;
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        if (registry == null) {
            registry = SchemaRegistryClients.create(config.registryUrls(), config.basicAuthUserInfo());
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new SerializationException("Serializer for " + type.getSimpleName() + " is not configured: set schema.registry.url");
        }
        Target target = targetByTopic.computeIfAbsent(topic, this::resolve);
        int id = target.id();
        Scratch scratch = SCRATCH.get();
        try {
            // configure first: it flushes whatever a failed earlier call left in the encoder, which reset() then drops
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(scratch.out, scratch.encoder);
            scratch.encoder = encoder;
            scratch.out.reset();
            scratch.out.write(WireFormat.MAGIC_BYTE);
            scratch.out.write(id >>> 24);
            scratch.out.write(id >>> 16);
            scratch.out.write(id >>> 8);
            scratch.out.write(id);
            if (target.toLatest() == null) {
                writer.write(data, encoder);
            } else {
                ByteArrayOutputStream own = new ByteArrayOutputStream(256);
                BinaryEncoder ownEncoder = EncoderFactory.get().directBinaryEncoder(own, null);
                writer.write(data, ownEncoder);
                ownEncoder.flush();
                GenericRecord converted = target.toLatest().read(null,
                        DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
                target.latestWriter().write(converted, encoder);
            }
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + type.getSimpleName() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
        return scratch.out.toByteArray();
    }

    private Target resolve(String topic) {
        String subject = topic + (isKey ? "-key" : "-value");
        try {
            if (config.autoRegister()) {
                return new Target(registry.register(subject, schema), null, null);
            }
            if (config.useLatestVersion()) {
                var latest = registry.getLatest(subject);
                if (latest.schema().equals(schema)) {
                    return new Target(latest.id(), null, null);
                }
                SchemaCompatibility.SchemaPairCompatibility pair =
                        SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), schema);
                if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new SerializationException("use.latest.version: the latest schema of subject '" + subject
                            + "' (id " + latest.id() + ") cannot hold a " + type.getSimpleName() + ": "
                            + pair.getResult().getIncompatibilities());
                }
                return new Target(latest.id(), new GenericDatumReader<>(schema, latest.schema()),
                        new GenericDatumWriter<>(latest.schema()));
            }
            return new Target(registry.getId(subject, schema), null, null);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot get a schema id for " + type.getSimpleName() + " under subject '"
                    + subject + "': " + e.getMessage(), e);
        }
    }
}
