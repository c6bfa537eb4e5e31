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

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The budget enforcer runs in a child JVM ({@link EnforcerChild}) and is killed with SIGKILL while usage is still
 * arriving, then started again on the same state dir; meanwhile 500 already-sent events are sent again (producer
 * retries). The GLOBAL and one FEATURE scope must end with spent equal to the sums computed here, and no committed
 * budget state (read_committed, what every gate reads) may ever show more: the ledgers written once per commit and
 * the dedup of each event before its fan-out are in the same transaction as the input offsets, so a crash loses
 * nothing and counts nothing twice.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EnforcerKillIT {
    private static final int BATCH_A = 5_000;
    private static final int BATCH_B = 5_000;
    private static final int RESENT = 500;
    private static final String FEATURE = "support_chat";
    private static final long HEARTBEAT_MS = 500;

    @Test
    void killedEnforcerRestartsWithEveryScopeExact() throws Exception {
        Instant now = Instant.now();
        List<UsageEvent> a = E2e.events("ekill-a", 41, BATCH_A, now);
        List<UsageEvent> b = E2e.events("ekill-b", 42, BATCH_B, now);
        Map<String, BigDecimal> costByFeature = E2e.Expected.of(a, b).costByFeature();
        BigDecimal total = sum(costByFeature);
        BigDecimal featureTotal = costByFeature.get(FEATURE);
        BigDecimal aTotal = sum(E2e.costByFeature(a));
        Budget global = E2e.budget(BudgetScope.GLOBAL, null, "1000000000", BudgetPeriod.MONTH);
        Budget feature = E2e.budget(BudgetScope.FEATURE, FEATURE, "1000000000", BudgetPeriod.MONTH);

        Path state = Files.createTempDirectory("e2e-enforcer-kill-state-");
        try (LocalStack stack = E2e.startStack();
             KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                     new StringSerializer(), E2e.avroSerializer(stack.registryUrl()))) {
            stack.createTopics(Topics.ALL, 2);
            E2e.publishPrices(stack);
            producer.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, global.getBudgetId(), global)).get();
            producer.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, feature.getBudgetId(), feature)).get();
            send(producer, a);
            producer.flush();

            SpecificAvroDeserializer<BudgetState> stateDe = new SpecificAvroDeserializer<>(BudgetState.class);
            stateDe.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
            Map<String, BudgetState> latest = new HashMap<>();
            Map<String, BigDecimal> most = new HashMap<>();
            try (TopicTail<String, BudgetState> states = new TopicTail<>(stack.bootstrapServers(), Topics.BUDGET_STATE_TOPIC,
                    new StringDeserializer(), stateDe, r -> {
                        if (r.value() != null) {
                            latest.put(r.key(), r.value());
                            most.merge(r.key(), r.value().getSpentUsd(), BigDecimal::max);
                        }
                    })) {
                Process first = startChild(stack, state, 1);
                // Batch B straddles the kill: 1,000 events before it, the rest after; the kill comes once half of batch A
                // is charged, so the restarted enforcer restores real ledgers and seen events from their changelogs.
                int beforeKill = 1_000;
                BigDecimal half = aTotal.divide(BigDecimal.valueOf(2));
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
                        states.poll();
                        assertThat(first.isAlive()).as("first enforcer child is alive").isTrue();
                        return spent(latest, "global").compareTo(half) >= 0;
                    });
                    send(producer, b.subList(0, beforeKill));
                    producer.flush();
                } finally {
                    first.destroyForcibly();   // SIGKILL: no close, no commit, no flush
                    first.waitFor(30, TimeUnit.SECONDS);
                }
                states.poll();
                BigDecimal atKill = spent(latest, "global");
                System.out.printf("EnforcerKillIT: killed with GLOBAL spent %s of %s%n", atKill, total);
                assertThat(atKill).as("the kill landed mid-stream").isLessThan(total);

                send(producer, b.subList(beforeKill, b.size()));
                send(producer, a.subList(0, RESENT));   // retries of events that were (mostly) already charged
                producer.flush();

                Process second = startChild(stack, state, 2);
                try {
                    final BigDecimal expectedGlobal = total;
                    final BigDecimal expectedFeature = featureTotal;
                    long t0 = System.nanoTime();
                    await("GLOBAL spent " + expectedGlobal + " and " + feature.getBudgetId() + " spent " + expectedFeature)
                            .atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        states.poll();
                        assertThat(second.isAlive()).as("restarted enforcer child is alive").isTrue();
                        return spent(latest, "global").compareTo(expectedGlobal) == 0
                                && spent(latest, feature.getBudgetId()).compareTo(expectedFeature) == 0;
                    });
                    long exactAt = latest.get("global").getHeartbeatAt().toEpochMilli();
                    System.out.printf("EnforcerKillIT: restarted child exact after %d ms (GLOBAL %s, %s %s)%n",
                            (System.nanoTime() - t0) / 1_000_000, expectedGlobal, feature.getBudgetId(), expectedFeature);
                    // Two heartbeats later the scopes still show the same spend: nothing left to arrive counted twice.
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        states.poll();
                        return latest.get("global").getHeartbeatAt().toEpochMilli() >= exactAt + 2 * HEARTBEAT_MS;
                    });
                    assertThat(spent(latest, "global")).isEqualByComparingTo(expectedGlobal);
                    assertThat(spent(latest, feature.getBudgetId())).isEqualByComparingTo(expectedFeature);
                    assertThat(most.get("global")).as("no committed GLOBAL state ever counted an event twice")
                            .isEqualByComparingTo(expectedGlobal);
                    assertThat(most.get(feature.getBudgetId())).as("no committed FEATURE state ever counted an event twice")
                            .isEqualByComparingTo(expectedFeature);
                } finally {
                    second.destroy();
                    if (!second.waitFor(40, TimeUnit.SECONDS)) {
                        second.destroyForcibly();
                    }
                }
            }
        }
    }

    private static BigDecimal sum(Map<String, BigDecimal> costByFeature) {
        return costByFeature.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal spent(Map<String, BudgetState> latest, String scope) {
        BudgetState s = latest.get(scope);
        return s == null ? BigDecimal.ZERO : s.getSpentUsd();
    }

    private static void send(KafkaProducer<String, SpecificRecord> producer, List<UsageEvent> events) {
        for (UsageEvent e : events) {
            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, UsageKeys.keyOf(e), e));
        }
    }

    private static Process startChild(LocalStack stack, Path state, int n) throws IOException {
        Map<String, Object> props = E2e.enforcerProps(stack, "e2e-enforcer-kill", state);
        props.put("pricing.default.catalog", false);
        props.put("heartbeat.interval.ms", HEARTBEAT_MS);
        props.put("scope.partitions", 2);   // as tokenledger.lease-requests.v1 here
        props.put("streams.consumer.session.timeout.ms", 6000);
        props.put("streams.consumer.heartbeat.interval.ms", 1500);
        return E2e.startChild(EnforcerChild.class, new HashMap<>(props), "enforcer-child-" + n);
    }
}
