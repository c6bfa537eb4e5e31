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
import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.gate.OutputTokenSizes;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker restarts while services record calls through the producer agent ({@link TokenLedger},
 * spool on disk) and the aggregator (exactly_once_v2, in-process) prices them. Afterwards each call is on
 * tokenledger.usage-costed.v1 exactly once (read_committed, by request id and by event id) and the
 * FEATURE/DAY spend equals the sums computed here from the usage each call recorded.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartIT {
    private static final int BEFORE = 1_500;
    private static final int DURING = 3_000;
    private static final int AFTER = 1_000;

    @Test
    void everyCallIsCostedOnceAcrossABrokerRestart() throws Exception {
        Instant now = Instant.now();
        Path state = Files.createTempDirectory("e2e-restart-state-");
        Path spool = Files.createTempDirectory("e2e-restart-spool-");
        Map<String, BigDecimal> expectedCost = new TreeMap<>();
        Map<String, Long> expectedRequests = new TreeMap<>();
        Set<String> requestIds = new HashSet<>();
        Random random = new Random(31);
        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();

        try (LocalStack stack = E2e.startStack()) {
            stack.createTopics(Topics.ALL, 2);
            E2e.publishPrices(stack);
            Map<String, Object> props = E2e.aggregatorProps(stack, "e2e-restart", state);
            props.put(AggregatorConfig.COMMIT_INTERVAL_MS_CONFIG, 200L);
            try (AggregatorApp app = AggregatorApp.start(new AggregatorConfig(props));
                 TokenLedger ledger = TokenLedger.builder().environment("e2e").bootstrapServers(stack.bootstrapServers())
                         .registryUrl(stack.registryUrl()).topic(Topics.USAGE_TOPIC).spoolDir(spool)
                         .queueCapacity(8192).probeInterval(Duration.ofMillis(200)).metrics(metrics).build();
                 PipelineOutputs out = new PipelineOutputs(stack.bootstrapServers(), stack.registryUrl(), now)) {
                calls(ledger, BEFORE, random, expectedCost, expectedRequests, requestIds);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    out.poll();
                    return out.costedById.size() >= 300;
                });

                long t0 = System.nanoTime();
                CompletableFuture<Void> restart = CompletableFuture.runAsync(stack::restartBroker);
                int during = 0;
                while (during < DURING) {   // calls keep coming while the broker goes down and comes back
                    calls(ledger, 100, random, expectedCost, expectedRequests, requestIds);
                    during += 100;
                    Thread.sleep(restart.isDone() ? 0 : 30);
                }
                restart.get(90, TimeUnit.SECONDS);
                System.out.printf("BrokerRestartIT: broker restarted in %d ms; agent %s%n",
                        (System.nanoTime() - t0) / 1_000_000, metrics);
                calls(ledger, AFTER, random, expectedCost, expectedRequests, requestIds);
                int total = BEFORE + DURING + AFTER;

                long t1 = System.nanoTime();
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    out.poll();
                    return out.costedById.size() >= total && out.featureRequests().equals(expectedRequests)
                            && out.featureCosts().equals(expectedCost);
                });
                System.out.printf("BrokerRestartIT: %d calls costed and aggregated %d ms after the last call; agent %s%n",
                        total, (System.nanoTime() - t1) / 1_000_000, metrics);
                assertThat(metrics.droppedCount()).isZero();
                assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(out.costedCopies.values()).as("no event costed twice (read_committed)").containsOnly(1);
                assertThat(out.costedById).hasSize(total);
                Set<String> costedRequests = new HashSet<>();
                for (CostedUsage c : out.costedById.values()) {
                    assertThat(costedRequests.add(c.getEvent().getRequestId())).as("request %s once",
                            c.getEvent().getRequestId()).isTrue();
                }
                assertThat(costedRequests).isEqualTo(requestIds);
                assertThat(out.featureCosts()).isEqualTo(expectedCost);

                // the gate's hold sizing reads the aggregator's output-token p99 per feature (outputs here: uniform 1..2,000)
                try (OutputTokenSizes sizes = OutputTokenSizes.connect(stack.bootstrapServers(), stack.registryUrl(), Map.of())) {
                    assertThat(sizes.awaitReady(Duration.ofSeconds(30))).isTrue();
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        for (String feature : expectedRequests.keySet()) {
                            assertThat(sizes.p99(feature)).as("p99 of %s", feature).isPresent();
                            assertThat(sizes.p99(feature).getAsLong()).as("p99 of %s", feature).isBetween(1_900L, 2_020L);
                        }
                    });
                }
            }
        }
    }

    /** {@code n} calls with random usage; adds each call's cost (computed here) to the expected sums. */
    private static void calls(TokenLedger ledger, int n, Random r, Map<String, BigDecimal> cost, Map<String, Long> requests,
                              Set<String> requestIds) {
        for (int i = 0; i < n; i++) {
            String feature = E2e.FEATURES.get(r.nextInt(E2e.FEATURES.size()));
            String model = E2e.MODELS.get(r.nextInt(E2e.MODELS.size()));
            long input = r.nextInt(8000);
            long output = 1 + r.nextInt(2000);
            long cw5 = r.nextInt(4) == 0 ? r.nextInt(4000) : 0;
            long cr = r.nextInt(2) == 0 ? r.nextInt(20_000) : 0;
            try (LedgerCall call = ledger.begin(Attribution.feature(feature).tenant("tenant-" + r.nextInt(20)))) {
                call.recordUsage(new ProviderUsage(E2e.PROVIDER, model, input, output, output / 4, cw5, 0, cr, Map.of(),
                        null, UsageSource.PROVIDER));
                requestIds.add(call.requestId());
            }
            cost.merge(feature, E2e.cost(model, input, output, cw5, 0, cr), (x, y) -> Money.toScale(x.add(y)));
            requests.merge(feature, 1L, Long::sum);
        }
    }
}
