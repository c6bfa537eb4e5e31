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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.schemas.TopicCreation;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes price entries to the compacted {@value Topics#PRICES_TOPIC} topic: key {@code entry_id}
 * (UTF-8 string), value the Avro {@link PriceEntry} in Confluent wire format. A tombstone (null value)
 * retires an entry. Streams apps read the topic as a global table, so a price change reaches them
 * without a restart; an event is still priced by the entry in force at its own {@code occurred_at}.
 *
 * <p>Every publish is synchronous (idempotent producer, acks=all) and waits for the broker's
 * acknowledgement of each record before returning.
 */
public final class PriceCatalogPublisher implements AutoCloseable {

    private final Producer<String, PriceEntry> producer;
    private final String topic;
    private final Duration timeout;

    /** Constructor seam for tests ({@code MockProducer}) and custom producers. */
    public PriceCatalogPublisher(Producer<String, PriceEntry> producer, String topic, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * A publisher with its own producer.
     *
     * @param extraProducerConfig extra producer settings (SASL/SSL, ...) and serde settings
     *     ({@code basic.auth.user.info}, ...); may be empty
     * @throws org.apache.kafka.common.config.ConfigException for a setting that would break the idempotent,
     *     acks=all producer, naming the key
     */
    public static PriceCatalogPublisher create(String bootstrapServers, String registryUrl,
                                               Map<String, Object> extraProducerConfig) {
        GuaranteedSettings.requireIdempotentProducer(extraProducerConfig, "");
        final Map<String, Object> props = new HashMap<>(extraProducerConfig);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-price-publisher");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        final Map<String, Object> serdeConfig = new HashMap<>(extraProducerConfig);
        serdeConfig.put("schema.registry.url", registryUrl);
        final SpecificAvroSerde<PriceEntry> serde = SpecificAvroSerde.create(PriceEntry.class, serdeConfig, false);
        return new PriceCatalogPublisher(new KafkaProducer<>(props, new StringSerializer(), serde.serializer()),
                Topics.PRICES_TOPIC, Duration.ofSeconds(30));
    }

    /**
     * Validates then publishes every entry (key entry_id) and waits for all acknowledgements.
     *
     * @return the number of entries published
     * @throws IllegalArgumentException when an entry is invalid (nothing is sent then)
     * @throws KafkaException when the broker does not acknowledge in time
     */
    public int publish(Collection<PriceEntry> entries) {
        final List<PriceEntry> valid = new ArrayList<>();
        for (PriceEntry e : entries) {
            valid.add(PriceCatalog.validated(e));
        }
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (PriceEntry e : valid) {
            acks.add(producer.send(new ProducerRecord<>(topic, e.getEntryId(), e)));
        }
        producer.flush();
        await(acks);
        return valid.size();
    }

    /**
     * Creates the compacted prices topic when it does not exist (1 partition: the catalog is small and read
     * whole; the brokers' default replication factor). Returns true when it created it.
     */
    public static boolean ensureTopic(String bootstrapServers, Map<String, Object> extraAdminConfig, Duration timeout) {
        return TopicCreation.ensure(bootstrapServers, extraAdminConfig, Topics.PRICES, 1, timeout);
    }

    /** Publishes a tombstone for {@code entryId}: readers drop the entry. */
    public void retire(String entryId) {
        final Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, entryId, null));
        producer.flush();
        await(List.of(ack));
    }

    private void await(List<Future<RecordMetadata>> acks) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> f : acks) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted while publishing prices to " + topic, e);
            } catch (ExecutionException e) {
                throw new KafkaException("Publishing prices to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new KafkaException("Publishing prices to " + topic + " was not acknowledged within " + timeout, e);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
