package dev.tokenledger.pricing;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the whole compacted {@value Topics#PRICES_TOPIC} topic, from the beginning to the end offsets
 * seen at start, into a {@link PriceCatalog}: the last value per key wins and a tombstone removes the
 * entry. Uses partition assignment (no consumer group, nothing committed).
 */
public final class PriceCatalogReader {

    private PriceCatalogReader() {
    }

    /** Reads the topic with a consumer of its own. */
    public static PriceCatalog read(String bootstrapServers, String registryUrl, Map<String, Object> extraConsumerConfig,
                                    Duration timeout) {
        final Map<String, Object> props = new HashMap<>(extraConsumerConfig);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tokenledger-price-reader");
        final Map<String, Object> serdeConfig = new HashMap<>(extraConsumerConfig);
        serdeConfig.put("schema.registry.url", registryUrl);
        final SpecificAvroSerde<PriceEntry> serde = SpecificAvroSerde.create(PriceEntry.class, serdeConfig, false);
        try (KafkaConsumer<String, PriceEntry> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer())) {
            return read(consumer, Topics.PRICES_TOPIC, timeout);
        }
    }

    /** Reads {@code topic} with the given (unsubscribed) consumer; the caller closes it. */
    public static PriceCatalog read(Consumer<String, PriceEntry> consumer, String topic, Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new KafkaException("Topic " + topic + " does not exist; create it (tokenledger quickstart creates every topic)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        final LinkedHashMap<String, PriceEntry> latest = new LinkedHashMap<>();
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Reading " + topic + " did not reach the end offsets " + end + " within " + timeout);
            }
            for (ConsumerRecord<String, PriceEntry> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() == null) {
                    continue;
                }
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return PriceCatalog.of(latest.values());
    }

    private static boolean caughtUp(Consumer<String, PriceEntry> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
