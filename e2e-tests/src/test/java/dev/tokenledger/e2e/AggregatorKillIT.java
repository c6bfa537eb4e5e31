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

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The aggregator runs in a child JVM ({@link AggregatorChild}) and is killed with SIGKILL
 * ({@code destroyForcibly}) while usage events are still arriving, then started again on the same state
 * dir; meanwhile 500 already-sent events are sent again (producer retries). Afterwards every event id is
 * on tokenledger.usage-costed.v1 exactly once (read_committed) and the FEATURE/DAY totals on
 * tokenledger.spend.v1 equal the sums computed here: nothing lost, nothing counted twice.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AggregatorKillIT {
    private static final int BATCH_A = 5_000;
    private static final int BATCH_B = 5_000;
    private static final int RESENT = 500;

    @Test
    void killedAggregatorRestartsWithNothingLostAndNothingCountedTwice() throws Exception {
        Instant now = Instant.now();
        List<UsageEvent> a = E2e.events("kill-a", 21, BATCH_A, now);
        List<UsageEvent> b = E2e.events("kill-b", 22, BATCH_B, now);
        E2e.Expected expected = E2e.Expected.of(a, b);
        Map<String, BigDecimal> expectedCost = expected.costByFeature();
        Map<String, Long> expectedRequests = expected.requestsByFeature();
        Set<String> ids = expected.eventIds();

        Path state = Files.createTempDirectory("e2e-kill-state-");
        try (LocalStack stack = E2e.startStack();
             KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                     new StringSerializer(), E2e.avroSerializer(stack.registryUrl()))) {
            stack.createTopics(Topics.ALL, 2);
            E2e.publishPrices(stack);
            send(producer, a);
            producer.flush();

            try (PipelineOutputs out = new PipelineOutputs(stack.bootstrapServers(), stack.registryUrl(), now)) {
                Process first = startChild(stack, state, 1);
                // Batch B straddles the kill: its first 1,000 events are sent before it, the rest after, so the
                // aggregator dies with input still arriving (no sender thread, no pacing sleep).
                int beforeKill = 1_000;
                long killedAtCosted;
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        out.poll();
                        assertThat(first.isAlive()).as("first aggregator child is alive").isTrue();
                        return out.costedById.size() >= 500;
                    });
                    send(producer, b.subList(0, beforeKill));
                    producer.flush();
                } finally {
                    first.destroyForcibly();   // SIGKILL: no close, no commit, no flush
                    first.waitFor(30, TimeUnit.SECONDS);
                }
                out.poll();
                killedAtCosted = out.costedById.size();
                System.out.printf("AggregatorKillIT: killed with %d of %d events costed, %d sent so far%n",
                        killedAtCosted, BATCH_A + BATCH_B, BATCH_A + beforeKill);
                assertThat(killedAtCosted).as("the kill landed mid-stream").isLessThan(BATCH_A + BATCH_B);

                send(producer, b.subList(beforeKill, b.size()));
                send(producer, a.subList(0, RESENT));   // retries of events that were (mostly) already counted
                producer.flush();

                Process second = startChild(stack, state, 2);
                long t0 = System.nanoTime();
                try {
                    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        out.poll();
                        assertThat(second.isAlive()).as("restarted aggregator child is alive").isTrue();
                        return out.costedById.size() >= ids.size() && out.featureRequests().equals(expectedRequests)
                                && out.featureCosts().equals(expectedCost);
                    });
                    System.out.printf("AggregatorKillIT: restarted child caught up in %d ms%n",
                            (System.nanoTime() - t0) / 1_000_000);
                    assertThat(out.costedById.keySet()).isEqualTo(ids);
                    assertThat(out.costedCopies.values()).as("no event costed twice (read_committed)").containsOnly(1);
                    assertThat(out.costedRecords()).isEqualTo(ids.size());
                    assertThat(out.featureCosts()).isEqualTo(expectedCost);
                } finally {
                    second.destroy();
                    if (!second.waitFor(40, TimeUnit.SECONDS)) {
                        second.destroyForcibly();
                    }
                }
            }
        }
    }

    private static void send(KafkaProducer<String, SpecificRecord> producer, List<UsageEvent> events) {
        for (UsageEvent e : events) {
            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, e.getFeatureId(), e));
        }
    }

    private static Process startChild(LocalStack stack, Path state, int n) throws IOException {
        return E2e.startAggregatorChild(stack, "e2e-kill", state, Map.of(), "aggregator-child-" + n);
    }
}
