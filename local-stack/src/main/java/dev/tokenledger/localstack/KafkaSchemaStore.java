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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.AvroCompatibility;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, kept in the compacted single-partition {@code _schemas} topic with the
 * record layout Confluent's registry uses (JSON key {@code {"keytype":"SCHEMA","subject":..,"version":..}},
 * JSON value {@code {"subject","version","id","schema","deleted"}}; {@code CONFIG} keys for
 * compatibility levels). A reader thread tails the topic into memory; a write is acknowledged
 * only after the reader has applied it, so the memory view never runs ahead of the log and a
 * restarted registry replays to exactly the same ids. Writes are serialized by one lock, which
 * is what makes concurrent registrations of one schema get one id.
 */
final class KafkaSchemaStore implements SchemaStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.SCHEMAS_TOPIC, 0);

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread reader;
    private final Object writeLock = new Object();

    // guarded by "this"
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<String, AvroCompatibility> subjectCompatibility = new HashMap<>();
    private AvroCompatibility globalCompatibility = AvroCompatibility.DEFAULT;
    private long appliedOffset = -1; // offset of the next record to read
    private volatile boolean running = true;
    private volatile Exception readerFailure;

    KafkaSchemaStore(String bootstrapServers, Duration startTimeout) {
        LocalStack.createTopics(bootstrapServers, List.of(new NewTopic(Topics.SCHEMAS_TOPIC, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))), startTimeout);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-registry-writer");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "tokenledger-registry-reader");
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
        long end = consumer.endOffsets(List.of(PARTITION), startTimeout).get(PARTITION);
        reader = new Thread(this::readLoop, "tokenledger-registry-reader");
        reader.setDaemon(true);
        reader.start();
        awaitApplied(end, startTimeout);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public synchronized String schemaById(int id) {
        String schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized List<String> subjects() {
        return subjects.entrySet().stream().filter(e -> e.getValue().values().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized List<Version> versions(String subject) {
        List<Version> live = subjects.getOrDefault(subject, new TreeMap<>()).values().stream().filter(v -> !v.deleted()).toList();
        if (live.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return live;
    }

    /** Version {@code version} of {@code subject}; -1 means the latest. */
    @Override
    public synchronized Version version(String subject, int version) {
        List<Version> live = versions(subject);
        if (version == -1) {
            return live.get(live.size() - 1);
        }
        return live.stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
                        "Version " + version + " not found."));
    }

    /** The registered version of {@code subject} holding {@code schema}; 40401 / 40403 if none. */
    @Override
    public synchronized Version lookup(String subject, Schema schema) {
        String canonical = schema.toString();
        return versions(subject).stream().filter(v -> canonical(v.schema()).equals(canonical)).findFirst()
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
    }

    @Override
    public synchronized AvroCompatibility compatibility(String subject) {
        return subject == null ? globalCompatibility : subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    /** Incompatibilities of {@code schema} against {@code subject}: all live versions (per level) or one of them. */
    @Override
    public synchronized List<String> incompatibilities(String subject, Schema schema, Integer againstVersion) {
        AvroCompatibility level = compatibility(subject);
        List<Schema> against = new ArrayList<>();
        if (againstVersion == null) {
            for (Version v : versions(subject)) {
                against.add(parse(v.schema()));
            }
        } else {
            against.add(parse(version(subject, againstVersion).schema()));
        }
        return level.check(schema, against);
    }

    // ---------------------------------------------------------------- writes

    /** Registers {@code schema} under {@code subject} and returns its id; the same schema gets the same id everywhere. */
    @Override
    public int register(String subject, Schema schema) {
        synchronized (writeLock) {
            String canonical = schema.toString();
            int id;
            int version;
            synchronized (this) {
                TreeMap<Integer, Version> all = subjects.getOrDefault(subject, new TreeMap<>());
                for (Version v : all.values()) {
                    if (!v.deleted() && canonical(v.schema()).equals(canonical)) {
                        return v.id();
                    }
                }
                boolean hasLive = all.values().stream().anyMatch(v -> !v.deleted());
                if (hasLive) {
                    List<String> problems = incompatibilities(subject, schema, null);
                    if (!problems.isEmpty()) {
                        throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE,
                                "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                        + "\" (compatibility " + compatibility(subject) + "), details: " + problems);
                    }
                }
                Integer existingId = idByCanonical.get(canonical);
                id = existingId != null ? existingId : schemaById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
                version = all.isEmpty() ? 1 : all.lastKey() + 1;
            }
            ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                    .put("schema", canonical).put("deleted", false);
            write(schemaKey(subject, version), value.toString());
            return id;
        }
    }

    /** Soft-deletes every version of {@code subject} and returns their numbers. */
    @Override
    public List<Integer> deleteSubject(String subject) {
        synchronized (writeLock) {
            List<Version> live = versions(subject);
            for (Version v : live) {
                ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", v.version()).put("id", v.id())
                        .put("schema", v.schema()).put("deleted", true);
                write(schemaKey(subject, v.version()), value.toString());
            }
            return live.stream().map(Version::version).toList();
        }
    }

    /** Sets the compatibility level of {@code subject}, or the global one when it is null. */
    @Override
    public void setCompatibility(String subject, AvroCompatibility level) {
        synchronized (writeLock) {
            ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
            key.put("subject", subject);
            key.put("magic", 0);
            write(key.toString(), JSON.createObjectNode().put("compatibilityLevel", level.name()).toString());
        }
    }

    private static String schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version)
                .put("magic", 1).toString();
    }

    private void write(String key, String value) {
        long offset;
        try {
            offset = producer.send(new ProducerRecord<>(Topics.SCHEMAS_TOPIC, 0, key, value))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "Interrupted writing to " + Topics.SCHEMAS_TOPIC, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                    "Error while registering schema: cannot write to " + Topics.SCHEMAS_TOPIC + ": " + cause, cause);
        }
        awaitApplied(offset + 1, WRITE_TIMEOUT);
    }

    private synchronized void awaitApplied(long nextOffset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (appliedOffset < nextOffset) {
            if (readerFailure != null) {
                throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                        "The registry cannot read " + Topics.SCHEMAS_TOPIC + ": " + readerFailure, readerFailure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                        "Timed out after " + timeout.toSeconds() + " s reading back " + Topics.SCHEMAS_TOPIC + " up to offset " + nextOffset);
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "Interrupted", e);
            }
        }
    }

    // ---------------------------------------------------------------- reader

    private void readLoop() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(500));
                long position = consumer.position(PARTITION);
                synchronized (this) {
                    for (ConsumerRecord<String, String> record : records) {
                        apply(record);
                    }
                    appliedOffset = position;
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            LOG.error("Schema registry reader of {} stopped", Topics.SCHEMAS_TOPIC, e);
            synchronized (this) {
                readerFailure = e;
                notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            JsonNode key = JSON.readTree(record.key());
            String keyType = key.path("keytype").asText();
            if ("SCHEMA".equals(keyType)) {
                String subject = key.path("subject").asText();
                int version = key.path("version").asInt();
                if (record.value() == null) {
                    TreeMap<Integer, Version> versions = subjects.get(subject);
                    if (versions != null) {
                        versions.remove(version);
                    }
                    return;
                }
                JsonNode value = JSON.readTree(record.value());
                Version v = new Version(subject, version, value.path("id").asInt(), value.path("schema").asText(),
                        value.path("deleted").asBoolean(false));
                subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, v);
                schemaById.putIfAbsent(v.id(), v.schema());
                idByCanonical.putIfAbsent(canonical(v.schema()), v.id());
            } else if ("CONFIG".equals(keyType)) {
                JsonNode subjectNode = key.get("subject");
                String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
                if (record.value() == null) {
                    if (subject != null) {
                        subjectCompatibility.remove(subject);
                    }
                    return;
                }
                AvroCompatibility level = AvroCompatibility.parse(JSON.readTree(record.value()).path("compatibilityLevel").asText());
                if (subject == null) {
                    globalCompatibility = level;
                } else {
                    subjectCompatibility.put(subject, level);
                }
            }
        } catch (Exception e) {
            LOG.warn("Skipping unreadable {} record at offset {}: {}", Topics.SCHEMAS_TOPIC, record.offset(), e.toString());
        }
    }

    private final Map<String, String> canonicalCache = new HashMap<>();

    private String canonical(String schemaText) {
        return canonicalCache.computeIfAbsent(schemaText, t -> parse(t).toString());
    }

    static Schema parse(String schemaText) {
        return new Schema.Parser().parse(schemaText);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
