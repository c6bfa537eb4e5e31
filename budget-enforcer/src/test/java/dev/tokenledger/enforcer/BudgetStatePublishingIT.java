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
package dev.tokenledger.enforcer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.gate.BudgetAdmin;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The enforcer publishes a scope's newest budget state once per commit, not once per usage event: a burst of usage
 * becomes a handful of states whose last one carries the exact spend, and a budget deleted while a state is pending
 * ends with the tombstone (real broker, real enforcer, exactly_once_v2).
 */
class BudgetStatePublishingIT {
    private static final int EVENTS = 1_000;
    private static final long COMMIT_MS = 5_000;
    private static final Duration AWAIT = Duration.ofSeconds(90);
    /**
     * Fixed from the parameters: one state per commit at most, a commit every {@value #COMMIT_MS} ms, for at most the
     * {@link #AWAIT} the test waits, plus the budget's first state and one commit in flight. Per event it would be 1,000.
     */
    private static final long MAX_STATES = AWAIT.toMillis() / COMMIT_MS + 2;

    @Test
    @Timeout(240)
    void aBurstOfUsageIsPublishedAsOneStatePerCommitEndingAtTheExactSpend() throws Exception {
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, 3);
            Map<String, Object> registry = Map.of("schema.registry.url", stack.registryUrl());
            try (KafkaProducer<String, PriceEntry> prices = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(), serializer(PriceEntry.class, registry))) {
                prices.send(new ProducerRecord<>(Topics.PRICES_TOPIC, Fixtures.TEST_PRICE.getEntryId(), Fixtures.TEST_PRICE)).get();
            }
            String applicationId = "publishing-it-" + UUID.randomUUID().toString().substring(0, 6);
            new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl())
                    .publish(Fixtures.featureBudget("burst", "1000", BudgetPeriod.MONTH).setUpdatedAt(Instant.now()).build());
            try (EnforcerApp enforcer = EnforcerApp.start(new EnforcerConfig(Map.of(
                    EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                    EnforcerConfig.APPLICATION_ID_CONFIG, applicationId,
                    EnforcerConfig.STATE_DIR_CONFIG, Files.createTempDirectory("publishing-it").toString(),
                    EnforcerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, COMMIT_MS,
                    EnforcerConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_MS)));
                 KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                         serializer(UsageEvent.class, registry));
                 KafkaConsumer<String, BudgetState> states = new KafkaConsumer<>(Map.of(
                         ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                         ConsumerConfig.GROUP_ID_CONFIG, "publishing-it-reader",
                         ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                         ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                         new StringDeserializer(), deserializer(registry))) {
                states.subscribe(List.of(Topics.BUDGET_STATE_TOPIC));
                BigDecimal expected = BigDecimal.ZERO;
                for (int i = 0; i < EVENTS; i++) {
                    String cost = "0.00000" + (1 + i % 9);
                    UsageEvent e = Fixtures.event("burst", "acme", cost, Instant.now());
                    e.setRootRequestId("root-" + i);
                    expected = expected.add(new BigDecimal(cost));
                    producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, UsageKeys.keyOf(e), e));
                }
                producer.flush();
                BigDecimal total = Money.toScale(expected);
                String scope = ScopeKeys.feature("burst");
                List<BudgetState> seen = new ArrayList<>();
                await().atMost(AWAIT).pollDelay(Duration.ZERO).until(() -> {
                    for (ConsumerRecord<String, BudgetState> r : states.poll(Duration.ofMillis(200))) {
                        if (scope.equals(r.key()) && r.value() != null) {
                            seen.add(r.value());
                        }
                    }
                    return !seen.isEmpty() && seen.get(seen.size() - 1).getSpentUsd().compareTo(total) == 0;
                });
                System.out.printf("%,d usage events for %s: %d budget states published (bound %d, commit every %d ms)%n",
                        EVENTS, scope, seen.size(), MAX_STATES, COMMIT_MS);
                assertThat(seen).hasSizeLessThanOrEqualTo((int) MAX_STATES);
                assertThat(seen).extracting(BudgetState::getSpentUsd).isSortedAccordingTo(BigDecimal::compareTo);

                // More usage, then the budget is deleted at once: the usage's pending state and the deletion's tombstone
                // can meet in one commit, and the tombstone must stay the scope's last record on the compacted topic.
                for (int i = 0; i < 100; i++) {
                    UsageEvent e = Fixtures.event("burst", "acme", "0.000001", Instant.now());
                    producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, UsageKeys.keyOf(e), e));
                }
                producer.flush();
                // Wait until the fan-out's commit made those 100 visible on the by-scope topic (what its charges add up
                // to): the accounting step charges them right after that commit, and the delete then lands within the next
                // commit interval.
                try (KafkaConsumer<String, byte[]> byScope = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "publishing-it-by-scope",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    byScope.subscribe(List.of(applicationId + "-" + EnforcerTopology.BY_SCOPE + "-repartition"));
                    BigDecimal[] charged = {BigDecimal.ZERO};
                    BigDecimal all = new BigDecimal("0.000001").multiply(BigDecimal.valueOf(EVENTS + 100));
                    await().atMost(AWAIT).pollDelay(Duration.ZERO).until(() -> {
                        for (var r : byScope.poll(Duration.ofMillis(100))) {
                            assertThat((char) r.value()[0]).as("a usage charge").isEqualTo('C');
                            charged[0] = charged[0].add(ScopeCharge.read(r.value(), 1, r.value().length - 1).costUsd());
                        }
                        return charged[0].compareTo(all) >= 0;
                    });
                }
                try (KafkaProducer<String, byte[]> budgets = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                        new ByteArraySerializer())) {
                    budgets.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, scope, null)).get();
                }
                List<BudgetState> after = new ArrayList<>();
                boolean[] tombstone = {false};
                await().atMost(AWAIT).pollDelay(Duration.ZERO).until(() -> {
                    for (ConsumerRecord<String, BudgetState> r : states.poll(Duration.ofMillis(200))) {
                        if (scope.equals(r.key())) {
                            tombstone[0] = r.value() == null;
                            after.add(r.value());
                        }
                    }
                    // read to the end of every partition (read_committed: the end of the last committed transaction)
                    return tombstone[0] && states.endOffsets(states.assignment()).entrySet().stream()
                            .allMatch(end -> states.position(end.getKey()) >= end.getValue());
                });
                assertThat(after).as("the scope's records after the delete; the last must be the tombstone").last().isNull();
            }
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerializer<T> serializer(Class<T> type,
                                                                                                      Map<String, Object> registry) {
        SpecificAvroSerializer<T> ser = new SpecificAvroSerializer<>(type);
        ser.configure(registry, false);
        return ser;
    }

    private static SpecificAvroDeserializer<BudgetState> deserializer(Map<String, Object> registry) {
        SpecificAvroDeserializer<BudgetState> de = new SpecificAvroDeserializer<>(BudgetState.class);
        de.configure(registry, false);
        return de;
    }
}
