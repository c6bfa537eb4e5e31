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
package dev.tokenledger.sink.reconcile;

import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.schemas.CompactedTopics;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes reconciliation alerts to the compacted {@value Topics#RECONCILIATION_ALERTS_TOPIC} topic: key
 * {@code alert_id} (UTF-8), value the Avro {@link ReconciliationAlert} in Confluent wire format, through an
 * idempotent acks=all producer, waiting for every acknowledgement. The warehouse sink writes the topic to
 * {@code reconciliation_alerts} (upsert on alert_id), where the report and the dashboard read it.
 */
public final class ReconciliationAlertPublisher implements AutoCloseable {
    /** One partition: a month raises at most days x models alerts, read whole by the report. */
    static final int PARTITIONS = 1;

    private final Producer<String, ReconciliationAlert> producer;
    private final Supplier<Collection<ReconciliationAlert>> current;
    private final Duration timeout;

    /**
     * Constructor seam for tests and custom producers.
     *
     * @param current the latest alert per key on the topic, read when a check runs
     */
    public ReconciliationAlertPublisher(Producer<String, ReconciliationAlert> producer, Supplier<Collection<ReconciliationAlert>> current,
                                        Duration timeout) {
        this.producer = producer;
        this.current = current;
        this.timeout = timeout;
    }

    /** What one check published: alerts raised (or raised again) and open alerts closed. */
    public record Published(int raised, int resolved) {
    }

    /**
     * Publishes one check of {@code month}: an alert for every row over the threshold, and the closing record of every
     * open alert of the month whose row is now within it (see {@link ReconciliationAlerts}).
     */
    public Published check(YearMonth month, List<Reconciliation.Row> rows, BigDecimal thresholdPct, Instant now) {
        List<ReconciliationAlert> raised = ReconciliationAlerts.over(month, rows, thresholdPct, now);
        List<ReconciliationAlert> resolved = ReconciliationAlerts.resolved(month, rows, thresholdPct, current.get(), now);
        publish(Stream.concat(raised.stream(), resolved.stream()).toList());
        return new Published(raised.size(), resolved.size());
    }

    /**
     * A publisher with its own producer; creates the topic when missing.
     *
     * @param extraConfig extra producer and serde settings (SASL/SSL, basic.auth.user.info, ...); may be empty
     * @throws org.apache.kafka.common.config.ConfigException for a setting that would break the idempotent producer
     */
    public static ReconciliationAlertPublisher create(String bootstrapServers, String registryUrl, Map<String, Object> extraConfig) {
        GuaranteedSettings.requireIdempotentProducer(extraConfig, "");
        Duration timeout = Duration.ofSeconds(30);
        Topics.RECONCILIATION_ALERTS.ensureExists(bootstrapServers, extraConfig, PARTITIONS, timeout);
        Map<String, Object> props = new HashMap<>(extraConfig);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-reconcile");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        Map<String, Object> serde = new HashMap<>(extraConfig);
        serde.put("schema.registry.url", registryUrl);
        return new ReconciliationAlertPublisher(new KafkaProducer<>(props, new StringSerializer(),
                SpecificAvroSerde.create(ReconciliationAlert.class, serde, false).serializer()),
                () -> current(bootstrapServers, registryUrl, extraConfig, timeout), timeout);
    }

    /** Sends every alert (key alert_id) and returns once the broker acknowledged them all; KafkaException otherwise. */
    public int publish(List<ReconciliationAlert> alerts) {
        List<Future<RecordMetadata>> sent = alerts.stream()
                .map(a -> producer.send(new ProducerRecord<>(Topics.RECONCILIATION_ALERTS_TOPIC, a.getAlertId(), a))).toList();
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<RecordMetadata> ack : sent) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while publishing reconciliation alerts", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Reconciliation alerts were not acknowledged by " + Topics.RECONCILIATION_ALERTS_TOPIC + " within "
                    + timeout + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        return sent.size();
    }

    /**
     * The latest alert per key on the topic (read to its end, no consumer group): what a check must close when its
     * day is back within the threshold. An absent topic reads as empty.
     */
    public static Collection<ReconciliationAlert> current(String bootstrapServers, String registryUrl, Map<String, Object> extraConfig,
                                                          Duration timeout) {
        Map<String, Object> props = new HashMap<>(extraConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Map<String, Object> serde = new HashMap<>(extraConfig);
        serde.put("schema.registry.url", registryUrl);
        SpecificAvroDeserializer<ReconciliationAlert> values = new SpecificAvroDeserializer<>(ReconciliationAlert.class);
        values.configure(serde, false);
        try (KafkaConsumer<String, ReconciliationAlert> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            return CompactedTopics.readToEnd(consumer, Topics.RECONCILIATION_ALERTS_TOPIC, timeout, true).values();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
