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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Publisher and reader against Kafka's mock clients: keys, validation before sending, tombstones. */
class PriceCatalogPublisherTest {

    @Test
    void publishesEveryEntryKeyedByIdAndRetiresWithATombstone() {
        final MockProducer<String, PriceEntry> producer = new MockProducer<>(true, null, new StringSerializer(), (t, v) -> new byte[0]);
        try (PriceCatalogPublisher p = new PriceCatalogPublisher(producer, Topics.PRICES_TOPIC, Duration.ofSeconds(5))) {
            final List<PriceEntry> shipped = PriceCatalog.loadDefault().entries();
            assertThat(p.publish(shipped)).isEqualTo(shipped.size());
            p.retire("openai/gpt-4o@2024-08-06");
        }
        final List<ProducerRecord<String, PriceEntry>> sent = producer.history();
        assertThat(sent).allSatisfy(r -> assertThat(r.topic()).isEqualTo(Topics.PRICES_TOPIC));
        assertThat(sent.subList(0, sent.size() - 1)).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getEntryId()));
        assertThat(sent.get(sent.size() - 1).key()).isEqualTo("openai/gpt-4o@2024-08-06");
        assertThat(sent.get(sent.size() - 1).value()).isNull();
    }

    @Test
    void anInvalidEntrySendsNothing() {
        final MockProducer<String, PriceEntry> producer = new MockProducer<>(true, null, new StringSerializer(), (t, v) -> new byte[0]);
        final PriceEntry good = Fixtures.entry("acme", "a", "2026-01-01", "1", "1").build();
        final PriceEntry bad = Fixtures.entry("acme", "b", "2026-01-01", "-1", "1").build();
        try (PriceCatalogPublisher p = new PriceCatalogPublisher(producer, Topics.PRICES_TOPIC, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> p.publish(List.of(good, bad))).hasMessageContaining("acme/b@2026-01-01");
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void readerKeepsTheLastValuePerKeyAndDropsTombstones() {
        final MockConsumer<String, PriceEntry> consumer = new MockConsumer<>("earliest");
        final TopicPartition tp = new TopicPartition(Topics.PRICES_TOPIC, 0);
        consumer.updatePartitions(Topics.PRICES_TOPIC, List.of(new PartitionInfo(Topics.PRICES_TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, 4L));
        final PriceEntry a1 = Fixtures.entry("acme", "a", "2026-01-01", "1", "1").build();
        final PriceEntry a2 = Fixtures.entry("acme", "a", "2026-01-01", "2", "2").build();
        final PriceEntry b = Fixtures.entry("acme", "b", "2026-01-01", "3", "3").build();
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(Topics.PRICES_TOPIC, 0, 0, a1.getEntryId(), a1));
            consumer.addRecord(new ConsumerRecord<>(Topics.PRICES_TOPIC, 0, 1, b.getEntryId(), b));
            consumer.addRecord(new ConsumerRecord<>(Topics.PRICES_TOPIC, 0, 2, a2.getEntryId(), a2));
            consumer.addRecord(new ConsumerRecord<>(Topics.PRICES_TOPIC, 0, 3, b.getEntryId(), null));
        });
        final PriceCatalog c = PriceCatalogReader.read(consumer, Topics.PRICES_TOPIC, Duration.ofSeconds(5));
        assertThat(c.entries()).extracting(PriceEntry::getEntryId).containsExactly("acme/a@2026-01-01");
        assertThat(c.entries().get(0).getInputPerMtok()).isEqualByComparingTo("2");
    }

    @Test
    void aProducerSettingThatBreaksIdempotenceIsRefusedBeforeAnyClientIsBuilt() {
        assertThatThrownBy(() -> PriceCatalogPublisher.create("127.0.0.1:1", "http://127.0.0.1:1", Map.of("acks", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value 1 for configuration acks:");
    }
}
