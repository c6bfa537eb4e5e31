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
package dev.tokenledger.gate;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.schemas.CompactedTopics;
import dev.tokenledger.schemas.TopicSpec;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sets, overrides, lists and clears budgets: the one client the CLI, the quickstart and the tests
 * use. Every change is one record on the compacted {@code tokenledger.budgets.v1} (key budget_id =
 * scope key); a clear is a tombstone written in one transaction with its audit decision on
 * {@code tokenledger.budget-decisions.v1}. Reads go to the end of the compacted topics.
 *
 * <p>{@code clientConfig} carries the Kafka client settings (SASL/SSL, ...) of its producer, consumer and
 * admin client; a setting that would break what they rely on (idempotent acks=all writes, read_committed
 * reads) is refused with {@link org.apache.kafka.common.config.ConfigException}. {@code registryConfig}
 * carries the serdes' ({@code basic.auth.user.info}, ...), without the apps' {@code registry.} prefix.
 * Topics it creates get 3 partitions and the brokers' default replication factor.
 */
public final class BudgetAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final String bootstrap;
    private final Map<String, Object> clientConfig;
    private final Map<String, Object> registryConfig;

    public BudgetAdmin(String bootstrap, String registryUrl, Map<String, ?> clientConfig, Map<String, ?> registryConfig) {
        GuaranteedSettings.requireIdempotentProducer(clientConfig, "");
        GuaranteedSettings.requireReadCommittedConsumer(clientConfig, "");
        this.bootstrap = bootstrap;
        this.clientConfig = new HashMap<>(clientConfig);
        this.registryConfig = new HashMap<>(registryConfig);
        this.registryConfig.put("schema.registry.url", registryUrl);
    }

    public BudgetAdmin(String bootstrap, String registryUrl) {
        this(bootstrap, registryUrl, Map.of(), Map.of());
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** Writes (sets, replaces, overrides) budgets, acknowledged by every in-sync replica. */
    public void publish(List<Budget> budgets) {
        ensureTopic(Topics.BUDGETS);
        final SpecificAvroSerializer<Budget> ser = new SpecificAvroSerializer<>(Budget.class);
        ser.configure(registryConfig, false);
        try (KafkaProducer<String, Budget> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), ser)) {
            for (Budget b : budgets) {
                producer.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, b.getBudgetId(), b)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not write to " + Topics.BUDGETS_TOPIC + " at " + bootstrap + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted writing to " + Topics.BUDGETS_TOPIC, e);
        }
    }

    public void publish(Budget budget) {
        publish(List.of(budget));
    }

    /**
     * Deletes a budget and audits it, in one transaction: a tombstone on the budgets topic (headers
     * {@code tokenledger-by}, {@code tokenledger-reason}) and {@code audit} on the decisions topic, so the
     * delete is never visible without its who and why, nor the other way round.
     */
    public void clear(String budgetId, BudgetDecision audit, String by, String reason) {
        ensureTopic(Topics.BUDGETS);
        ensureTopic(Topics.BUDGET_DECISIONS);
        final Map<String, Object> p = producerConfig();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tokenledger-budget-clear-" + UUID.randomUUID());
        final SpecificAvroSerializer<BudgetDecision> ser = new SpecificAvroSerializer<>(BudgetDecision.class);
        ser.configure(registryConfig, false);
        final byte[] decision = ser.serialize(Topics.BUDGET_DECISIONS_TOPIC, audit);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            final ProducerRecord<String, byte[]> tombstone = new ProducerRecord<>(Topics.BUDGETS_TOPIC, budgetId, null);
            tombstone.headers().add("tokenledger-by", by.getBytes(StandardCharsets.UTF_8));
            tombstone.headers().add("tokenledger-reason", reason.getBytes(StandardCharsets.UTF_8));
            producer.send(tombstone);
            producer.send(new ProducerRecord<>(Topics.BUDGET_DECISIONS_TOPIC, audit.getScopeKey(), decision));
            producer.commitTransaction();
        }
    }

    /** Every budget, by id. */
    public Map<String, Budget> budgets() {
        return readCompacted(Topics.BUDGETS_TOPIC, Budget.class);
    }

    /** One budget, or null. */
    public Budget find(String budgetId) {
        return budgets().get(budgetId);
    }

    /** The enforcer's newest state per scope key. */
    public Map<String, BudgetState> states() {
        return readCompacted(Topics.BUDGET_STATE_TOPIC, BudgetState.class);
    }

    private <T extends SpecificRecord> Map<String, T> readCompacted(String topic, Class<T> type) {
        final Map<String, Object> p = new HashMap<>(clientConfig);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final SpecificAvroDeserializer<T> de = new SpecificAvroDeserializer<>(type);
        de.configure(registryConfig, false);
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(p, new StringDeserializer(), de)) {
            return new TreeMap<>(CompactedTopics.readToEnd(consumer, topic, TIMEOUT, true));
        }
    }

    private Map<String, Object> producerConfig() {
        final Map<String, Object> p = new HashMap<>(clientConfig);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return p;
    }

    private void ensureTopic(TopicSpec spec) {
        spec.ensureExists(bootstrap, clientConfig, 3, TIMEOUT);
    }
}
