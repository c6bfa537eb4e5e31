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

import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background reader of a compacted topic into memory: assigns every partition (no consumer group),
 * reads from the beginning (the newest value per key), then follows it, handing each keyed record to
 * {@code sink}. {@link #awaitReady} returns once the end offsets seen at start have been reached. The
 * gate reads {@code tokenledger.budget-state.v1} this way, and {@link OutputTokenSizes} the
 * aggregator's {@code tokenledger.output-stats.v1}.
 */
public final class CompactedTopicFeed<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicFeed.class);
    private final Consumer<String, V> consumer;
    private final String topic;
    private final BiConsumer<String, V> sink;
    private final Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile long lastPollMs;
    /** Tail mode: only the partition of this key, from its end (null: every partition from the beginning). */
    private final String tailKey;

    public CompactedTopicFeed(Consumer<String, V> consumer, String topic, BiConsumer<String, V> sink, String threadName) {
        this(consumer, topic, sink, threadName, null);
    }

    private CompactedTopicFeed(Consumer<String, V> consumer, String topic, BiConsumer<String, V> sink, String threadName, String tailKey) {
        this.tailKey = tailKey;
        this.consumer = consumer;
        this.topic = topic;
        this.sink = sink;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * A started feed of {@code topic} (values of {@code type}, Confluent wire format through the
     * registry) read_committed, with no consumer group; {@code clientConfig} adds SASL/SSL and the like.
     */
    public static <V extends SpecificRecord> CompactedTopicFeed<V> start(String bootstrapServers, String registryUrl,
            Map<String, Object> clientConfig, Class<V> type, String topic, BiConsumer<String, V> sink, String name) {
        return new CompactedTopicFeed<>(consumer(bootstrapServers, registryUrl, clientConfig, type, name), topic, sink, name).start();
    }

    /**
     * A started reader of the one partition of {@code topic} that records keyed {@code key} go to
     * (default partitioner), from its end: what is addressed to this process from now on (the gate's
     * leases). {@link #awaitReady} returns once the start position is fixed.
     */
    public static <V extends SpecificRecord> CompactedTopicFeed<V> tail(String bootstrapServers, String registryUrl,
            Map<String, Object> clientConfig, Class<V> type, String topic, String key, BiConsumer<String, V> sink, String name) {
        return new CompactedTopicFeed<>(consumer(bootstrapServers, registryUrl, clientConfig, type, name), topic, sink, name, key).start();
    }

    private static <V extends SpecificRecord> Consumer<String, V> consumer(String bootstrapServers, String registryUrl,
            Map<String, Object> clientConfig, Class<V> type, String name) {
        final Properties c = new Properties();
        c.putAll(clientConfig);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a state change should reach memory within one commit of the writer, not after a 500 ms fetch wait
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        final SpecificAvroDeserializer<V> values = new SpecificAvroDeserializer<>(type);
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        return new KafkaConsumer<>(c, new StringDeserializer(), values);
    }

    public CompactedTopicFeed<V> start() {
        thread.start();
        return this;
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Wall-clock ms of the last successful poll (0 before the first). */
    public long lastPollMs() {
        return lastPollMs;
    }

    private void run() {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            while (running && (infos == null || infos.isEmpty())) {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            if (tailKey != null) {
                final TopicPartition mine = new TopicPartition(topic,
                        Utils.toPositive(Utils.murmur2(tailKey.getBytes(StandardCharsets.UTF_8))) % partitions.size());
                consumer.assign(List.of(mine));
                consumer.seekToEnd(List.of(mine));
                consumer.position(mine);
                ready.countDown();
                follow();
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                final ConsumerRecords<String, V> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, V> r : records) {
                    if (r.key() != null) {
                        sink.accept(r.key(), r.value());
                    }
                }
                lastPollMs = System.currentTimeMillis();
                if (ready.getCount() > 0 && caughtUp(end)) {
                    ready.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Feed of {} woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("Feed of {} ({}) stopped; what it fed goes stale (a gate applies its stale policy)", topic, thread.getName(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void follow() {
        while (running) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                if (tailKey.equals(r.key()) && r.value() != null) {
                    sink.accept(r.key(), r.value());
                }
            }
            lastPollMs = System.currentTimeMillis();
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
