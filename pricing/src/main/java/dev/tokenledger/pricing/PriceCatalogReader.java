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
import dev.tokenledger.schemas.CompactedTopics;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
        return PriceCatalog.of(CompactedTopics.readToEnd(consumer, topic, timeout, false).values());
    }
}
