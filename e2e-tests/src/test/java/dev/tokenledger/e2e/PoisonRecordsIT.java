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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.aggregator.AggregatorApp;
import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.aggregator.UsageDeadLetterHandler;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.UnpricedUsageAlert;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Poison records mixed into a good stream on tokenledger.usage.v1, through the real aggregator on a
 * real broker: bad bytes, an unknown schema id, negative tokens, absurd tokens and a missing feature
 * tag each land once on tokenledger.usage-dlq.v1 with their reason header and original bytes; an
 * unknown model is not dead-lettered but priced UNPRICED at zero and raises an UnpricedUsageAlert;
 * every good event is costed once and the FEATURE/DAY spend equals the sums computed here.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PoisonRecordsIT {
    private static final int GOOD = 600;
    private static final String UNKNOWN_MODEL = "e2e-model-nobody-prices";

    @Test
    void eachPoisonRecordLandsInTheDlqWithItsReasonAndEveryGoodEventCounts() throws Exception {
        Instant now = Instant.now();
        try (LocalStack stack = E2e.startStack()) {
            stack.createTopics(Topics.ALL, 2);
            E2e.publishPrices(stack);
            List<UsageEvent> good = E2e.events("poison-good", 11, GOOD, now);
            SpecificAvroSerializer<UsageEvent> ser = new SpecificAvroSerializer<>(UsageEvent.class);
            ser.configure(Map.of("schema.registry.url", stack.registryUrl()), false);

            UsageEvent template = good.get(0);
            byte[] valid = ser.serialize(Topics.USAGE_TOPIC, copy(template, "poison-unknown-schema"));
            byte[] unknownSchemaId = valid.clone();
            ByteBuffer.wrap(unknownSchemaId, 1, 4).putInt(987_654);
            UsageEvent unknownModel = copy(template, "poison-unknown-model");
            unknownModel.setModel(UNKNOWN_MODEL);
            UsageEvent negative = copy(template, "poison-negative");
            negative.setInputTokens(-5);
            UsageEvent absurd = copy(template, "poison-absurd");
            absurd.setOutputTokens(1_000_000_000_000L);
            UsageEvent noFeature = copy(template, "poison-no-feature");
            noFeature.setFeatureId("");

            // poison -> the reason the DLQ must give; the unknown model is a good (UNPRICED) event
            Map<String, byte[]> poisons = new LinkedHashMap<>();
            poisons.put("UNDECODABLE", "{\"this\":\"is not avro\"}".getBytes(StandardCharsets.UTF_8));
            poisons.put("UNKNOWN_SCHEMA_ID", unknownSchemaId);
            poisons.put("NEGATIVE_TOKENS", ser.serialize(Topics.USAGE_TOPIC, negative));
            poisons.put("ABSURD_TOKENS", ser.serialize(Topics.USAGE_TOPIC, absurd));
            poisons.put("MISSING_FEATURE", ser.serialize(Topics.USAGE_TOPIC, noFeature));
            List<String> poisonOrder = new ArrayList<>(poisons.keySet());

            Path state = Files.createTempDirectory("e2e-poison-");
            try (AggregatorApp app = AggregatorApp.start(new AggregatorConfig(E2e.aggregatorProps(stack, "e2e-poison", state)));
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                int step = GOOD / (poisons.size() + 2);
                int nextPoison = 0;
                for (int i = 0; i < GOOD; i++) {
                    UsageEvent e = good.get(i);
                    producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, bytes(e.getFeatureId()),
                            ser.serialize(Topics.USAGE_TOPIC, e)));
                    if (i > 0 && i % step == 0) {
                        if (nextPoison < poisonOrder.size()) {
                            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, bytes("support_chat"),
                                    poisons.get(poisonOrder.get(nextPoison++))));
                        } else if (nextPoison == poisonOrder.size()) {
                            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, bytes(unknownModel.getFeatureId()),
                                    ser.serialize(Topics.USAGE_TOPIC, unknownModel)));
                            nextPoison++;
                        }
                    }
                }
                producer.flush();
                assertThat(nextPoison).as("every poison and the unknown model were sent").isEqualTo(poisons.size() + 1);

                Map<String, BigDecimal> expected = E2e.costByFeature(good);
                expected.merge(unknownModel.getFeatureId(), Money.ZERO, BigDecimal::add);
                Map<String, Long> expectedRequests = new TreeMap<>();
                good.forEach(e -> expectedRequests.merge(e.getFeatureId(), 1L, Long::sum));
                expectedRequests.merge(unknownModel.getFeatureId(), 1L, Long::sum);

                List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
                List<UnpricedUsageAlert> alerts = new ArrayList<>();
                SpecificAvroDeserializer<UnpricedUsageAlert> alertDe = new SpecificAvroDeserializer<>(UnpricedUsageAlert.class);
                alertDe.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
                long t0 = System.nanoTime();
                try (PipelineOutputs out = new PipelineOutputs(stack.bootstrapServers(), stack.registryUrl(), now);
                     TopicTail<byte[], byte[]> dlqTail = new TopicTail<>(stack.bootstrapServers(), Topics.USAGE_DLQ_TOPIC,
                             new ByteArrayDeserializer(), new ByteArrayDeserializer(), dlq::add);
                     TopicTail<String, UnpricedUsageAlert> alertTail = new TopicTail<>(stack.bootstrapServers(),
                             Topics.PRICING_ALERTS_TOPIC, new StringDeserializer(), alertDe, r -> alerts.add(r.value()))) {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        out.poll();
                        dlqTail.poll();
                        alertTail.poll();
                        return dlq.size() >= poisons.size() && out.costedById.size() >= GOOD + 1 && !alerts.isEmpty()
                                && out.featureRequests().equals(expectedRequests);
                    });
                    System.out.printf("PoisonRecordsIT: %d good + 1 unknown-model + %d poison records settled in %d ms%n",
                            GOOD, poisons.size(), (System.nanoTime() - t0) / 1_000_000);
                    assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

                    Map<String, byte[]> dlqByReason = new TreeMap<>();
                    for (var r : dlq) {
                        String reason = header(r.headers().lastHeader(UsageDeadLetterHandler.REASON_HEADER));
                        assertThat(dlqByReason.put(reason, r.value())).as("one DLQ record for %s", reason).isNull();
                        assertThat(header(r.headers().lastHeader("tokenledger.dlq.detail"))).as("detail of %s", reason)
                                .isNotBlank();
                    }
                    assertThat(dlqByReason.keySet()).containsExactlyInAnyOrderElementsOf(poisons.keySet());
                    poisons.forEach((reason, sent) -> assertThat(dlqByReason.get(reason))
                            .as("original bytes kept for %s", reason).isEqualTo(sent));

                    assertThat(out.costedCopies.values()).as("each event costed once").containsOnly(1);
                    assertThat(out.costedById).hasSize(GOOD + 1);
                    for (UsageEvent e : good) {
                        CostedUsage c = out.costedById.get(e.getEventId());
                        assertThat(c).as("good event %s", e.getEventId()).isNotNull();
                        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
                        assertThat(c.getTotalCostUsd()).isEqualByComparingTo(E2e.cost(e));
                    }
                    CostedUsage unpriced = out.costedById.get(unknownModel.getEventId());
                    assertThat(unpriced.getPricingStatus()).isEqualTo(PricingStatus.UNPRICED);
                    assertThat(unpriced.getTotalCostUsd()).isEqualByComparingTo(BigDecimal.ZERO);
                    assertThat(alerts).anySatisfy(a -> {
                        assertThat(a.getModel()).isEqualTo(UNKNOWN_MODEL);
                        assertThat(a.getFeatureId()).isEqualTo(unknownModel.getFeatureId());
                        assertThat(a.getEventId()).isEqualTo(unknownModel.getEventId());
                    });

                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        out.poll();
                        assertThat(out.featureCosts()).isEqualTo(expected);
                    });
                }
            }
        }
    }

    private static UsageEvent copy(UsageEvent e, String id) {
        return UsageEvent.newBuilder(e).setEventId(id).setRequestId("req-" + id).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Header h) {
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
