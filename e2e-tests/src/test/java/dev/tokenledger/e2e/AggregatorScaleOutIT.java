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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * Three aggregator instances of one application, each in a child JVM, share six partitions. Usage
 * arrives keyed both ways (by workflow, the {@code UsageKeys} contract, and by feature, as older
 * producers did); one instance is killed with SIGKILL mid-stream (half of the second batch sent before the
 * kill, half after), so its partitions move to the two
 * others (a rebalance and a restore from the changelogs); then 500 events already sent are sent again,
 * each keyed the other way. Afterwards every event is costed exactly once, the FEATURE/DAY totals on
 * the spend topic equal the sums computed here, and each surviving instance answers every feature's
 * total over HTTP, forwarding to the other for the keys it does not hold.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AggregatorScaleOutIT {
    private static final int BATCH_A = 4_000;
    private static final int BATCH_B = 4_000;
    private static final int RESENT = 500;
    private static final int INSTANCES = 3;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void threeInstancesShareThePartitionsAndStayExactThroughAKill() throws Exception {
        Instant now = Instant.now();
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        List<UsageEvent> a = E2e.events("scale-a", 31, BATCH_A, now);
        List<UsageEvent> b = E2e.events("scale-b", 32, BATCH_B, now);
        E2e.Expected expected = E2e.Expected.of(a, b);
        Map<String, BigDecimal> expectedCost = expected.costByFeature();
        Map<String, Long> expectedRequests = expected.requestsByFeature();
        Set<String> ids = expected.eventIds();

        try (LocalStack stack = E2e.startStack();
             KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                     new StringSerializer(), E2e.avroSerializer(stack.registryUrl()))) {
            stack.createTopics(Topics.ALL, 6);
            E2e.publishPrices(stack);
            List<Process> children = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            try (PipelineOutputs out = new PipelineOutputs(stack.bootstrapServers(), stack.registryUrl(), now)) {
                for (int i = 0; i < INSTANCES; i++) {
                    ports.add(freePort());
                    children.add(startChild(stack, i, ports.get(i)));
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (int i = 0; i < INSTANCES; i++) {
                        assertThat(children.get(i).isAlive()).as("aggregator child %d is alive", i).isTrue();
                        JsonNode health = getOrNull(ports.get(i), "/health");
                        if (health == null || !"RUNNING".equals(health.path("state").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
                send(producer, a, 0);
                producer.flush();

                // Batch B straddles the kill: its first half is sent before, its second half after, so the killed
                // instance dies with input still arriving (no sender thread, no pacing sleep).
                int half = b.size() / 2;
                Process victim = children.get(INSTANCES - 1);
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        out.poll();
                        return out.costedById.size() >= 500;
                    });
                    send(producer, b.subList(0, half), 0);
                    producer.flush();
                } finally {
                    victim.destroyForcibly();   // SIGKILL: no close, no commit, no flush
                    victim.waitFor(30, TimeUnit.SECONDS);
                }
                out.poll();
                System.out.printf("AggregatorScaleOutIT: instance %d killed with %d of %d events costed%n", INSTANCES - 1,
                        out.costedById.size(), ids.size());
                assertThat(out.costedById.size()).as("the kill landed mid-stream").isLessThan(ids.size());
                send(producer, b.subList(half, b.size()), half);
                send(producer, a.subList(0, RESENT), 1);   // retries of counted events, each keyed the other way
                producer.flush();

                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    out.poll();
                    return out.costedById.size() >= ids.size() && out.featureRequests().equals(expectedRequests)
                            && out.featureCosts().equals(expectedCost);
                });
                System.out.printf("AggregatorScaleOutIT: two survivors caught up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                assertThat(out.costedById.keySet()).isEqualTo(ids);
                assertThat(out.costedCopies.values()).as("no event costed twice (read_committed)").containsOnly(1);
                assertThat(out.featureCosts()).isEqualTo(expectedCost);

                // Every feature's total from each survivor, whichever instance holds the key.
                for (int i = 0; i < INSTANCES - 1; i++) {
                    for (Map.Entry<String, BigDecimal> want : expectedCost.entrySet()) {
                        JsonNode n = getOrNull(ports.get(i), "/v1/spend/feature/" + want.getKey() + "?window=DAY&at=" + day);
                        assertThat(n).as("%s on instance %d", want.getKey(), i).isNotNull();
                        assertThat(n.get("total_cost_usd").asText()).as("%s on instance %d", want.getKey(), i)
                                .isEqualTo(Money.toScale(want.getValue()).toPlainString());
                        assertThat(n.get("request_count").asLong()).isEqualTo(expectedRequests.get(want.getKey()));
                    }
                }
            } finally {
                for (Process p : children) {
                    p.destroy();
                }
                for (Process p : children) {
                    if (!p.waitFor(40, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /** Sends {@code events}, the i-th keyed by workflow when {@code (offset + i)} is even, else by feature (old producers). */
    private static void send(KafkaProducer<String, SpecificRecord> producer, List<UsageEvent> events, int offset) {
        for (int i = 0; i < events.size(); i++) {
            UsageEvent e = events.get(i);
            String key = (offset + i) % 2 == 0 ? UsageKeys.keyOf(e) : e.getFeatureId();
            producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, key, e));
        }
    }

    private JsonNode getOrNull(int port, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? mapper.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;   // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process startChild(LocalStack stack, int n, int port) throws IOException {
        return E2e.startAggregatorChild(stack, "e2e-scale", Files.createTempDirectory("e2e-scale-" + n + "-"),
                Map.of("http.port", port), "aggregator-scale-" + n);
    }
}
