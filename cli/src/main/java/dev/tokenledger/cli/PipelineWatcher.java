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

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows what the pipeline publishes, for the quickstart's live line and its summary: priced usage
 * ({@code tokenledger.usage-costed.v1}: count and spend), budget alerts, deny decisions and the latest
 * budget state per scope. A plain Kafka consumer with the registry, reading every partition from the
 * start (read_committed: only what the exactly-once apps committed).
 */
public final class PipelineWatcher implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpecificAvroDeserializer<CostedUsage> costed = new SpecificAvroDeserializer<>(CostedUsage.class);
    private final SpecificAvroDeserializer<BudgetAlert> alerts = new SpecificAvroDeserializer<>(BudgetAlert.class);
    private final SpecificAvroDeserializer<BudgetDecision> decisions = new SpecificAvroDeserializer<>(BudgetDecision.class);
    private final SpecificAvroDeserializer<BudgetState> states = new SpecificAvroDeserializer<>(BudgetState.class);
    private final AtomicLong costedCount = new AtomicLong();
    private final AtomicReference<BigDecimal> spend = new AtomicReference<>(Money.ZERO);
    private final List<BudgetAlert> alertList = new CopyOnWriteArrayList<>();
    private final List<BudgetDecision> denyList = new CopyOnWriteArrayList<>();
    private final List<BudgetDecision> decisionList = new CopyOnWriteArrayList<>();
    private final Map<String, BudgetState> latestState = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public PipelineWatcher(String bootstrap, String registryUrl) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tokenledger-quickstart-watcher-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final Map<String, Object> serde = Map.of("schema.registry.url", registryUrl);
        costed.configure(serde, false);
        alerts.configure(serde, false);
        decisions.configure(serde, false);
        states.configure(serde, false);
        final List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.USAGE_COSTED_TOPIC, Topics.BUDGET_ALERTS_TOPIC, Topics.BUDGET_DECISIONS_TOPIC,
                Topics.BUDGET_STATE_TOPIC)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "tokenledger-quickstart-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    switch (r.topic()) {
                        case Topics.USAGE_COSTED_TOPIC -> {
                            final CostedUsage c = costed.deserialize(r.topic(), r.value());
                            costedCount.incrementAndGet();
                            spend.accumulateAndGet(c.getTotalCostUsd(), BigDecimal::add);
                        }
                        case Topics.BUDGET_ALERTS_TOPIC -> alertList.add(alerts.deserialize(r.topic(), r.value()));
                        case Topics.BUDGET_DECISIONS_TOPIC -> {
                            final BudgetDecision d = decisions.deserialize(r.topic(), r.value());
                            decisionList.add(d);
                            if (d.getDecision().name().equals("DENY")) {
                                denyList.add(d);
                            }
                        }
                        case Topics.BUDGET_STATE_TOPIC -> {
                            final BudgetState s = states.deserialize(r.topic(), r.value());
                            latestState.put(s.getBudgetId().toString(), s);
                        }
                        default -> {
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Priced usage events seen. */
    public long costedCount() {
        return costedCount.get();
    }

    /** Sum of total_cost_usd of the priced usage seen. */
    public BigDecimal spend() {
        return spend.get();
    }

    public List<BudgetAlert> alerts() {
        return List.copyOf(alertList);
    }

    /** Every decision published (gate and enforcer). */
    public List<BudgetDecision> decisions() {
        return List.copyOf(decisionList);
    }

    /** DENY decisions published (gate and enforcer). */
    public List<BudgetDecision> denials() {
        return List.copyOf(denyList);
    }

    /** The latest BudgetState of a budget, or null. */
    public BudgetState state(String budgetId) {
        return latestState.get(budgetId);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
