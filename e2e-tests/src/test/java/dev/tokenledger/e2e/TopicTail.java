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
package dev.tokenledger.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from the beginning under read_committed, without a consumer group (every partition
 * assigned, so nothing is re-delivered by a rebalance), handing each record to a callback. Poll it
 * from one thread at a time (e.g. inside an Awaitility condition).
 */
final class TopicTail<K, V> implements AutoCloseable {
    private final KafkaConsumer<K, V> consumer;
    private final Consumer<ConsumerRecord<K, V>> sink;
    private long records;

    TopicTail(String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values,
              Consumer<ConsumerRecord<K, V>> sink) {
        Properties p = E2e.consumerProps(bootstrap);
        this.consumer = new KafkaConsumer<>(p, keys, values);
        this.sink = sink;
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once; returns the records seen so far. */
    long poll() {
        for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(200))) {
            records++;
            sink.accept(r);
        }
        return records;
    }

    long records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
