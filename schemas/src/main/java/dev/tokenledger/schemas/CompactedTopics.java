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
package dev.tokenledger.schemas;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The one "read a compacted topic to its end" step: every partition by assignment (no consumer
 * group, nothing committed), from the beginning to the end offsets seen at start; the last value per
 * key wins and a tombstone removes the key. Used by the price catalog reader and the budget admin;
 * the gate's state feed ({@code CompactedTopicFeed}) does the same and then keeps following.
 */
public final class CompactedTopics {
    private CompactedTopics() {
    }

    /**
     * Reads {@code topic} with {@code consumer} (unsubscribed; the caller closes it). An absent topic
     * reads as empty when {@code missingIsEmpty}, else fails naming it.
     */
    public static <V> Map<String, V> readToEnd(Consumer<String, V> consumer, String topic, Duration timeout, boolean missingIsEmpty) {
        final LinkedHashMap<String, V> latest = new LinkedHashMap<>();
        final boolean exists = scanToEnd(consumer, topic, null, timeout, r -> {
            if (r.key() == null) {
                return;
            }
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        });
        if (!exists && !missingIsEmpty) {
            throw new KafkaException("Topic " + topic + " does not exist; create it (tokenledger quickstart creates every topic)");
        }
        return latest;
    }

    /**
     * Hands every record of {@code topic} to {@code each}, by assignment, from the first offset whose timestamp is
     * at or after {@code from} (the beginning when null) to the end offsets seen at start (the last stable offsets
     * for a read_committed consumer). Returns false, having read nothing, when the topic does not exist.
     */
    public static <K, V> boolean scanToEnd(Consumer<K, V> consumer, String topic, Instant from, Duration timeout,
                                           java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        final List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        if (from == null) {
            consumer.seekToBeginning(partitions);
        } else {
            final Map<TopicPartition, Long> at = new HashMap<>();
            partitions.forEach(tp -> at.put(tp, from.toEpochMilli()));
            // Every offset before the one offsetsForTimes answers has an earlier timestamp; a partition with none
            // at or after it has nothing to read.
            consumer.offsetsForTimes(at, timeout).forEach((tp, found) -> consumer.seek(tp, found == null ? end.get(tp) : found.offset()));
        }
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Reading " + topic + " did not reach the end offsets " + end + " within " + timeout);
            }
            for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(200))) {
                each.accept(r);
            }
        }
        return true;
    }

    private static boolean caughtUp(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
