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
package dev.tokenledger.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two aggregator instances of one application share the partitions: each answers every key over HTTP,
 * forwarding a query for a key the other one holds, and a top-N list gathers both instances' keys.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AggregatorInstancesIT {
    private static final int EVENTS = 3_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    private static AggregatorConfig config(LocalStack stack, String instance) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        p.put(AggregatorConfig.APPLICATION_ID_CONFIG, "aggregator-instances-it");
        p.put(AggregatorConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregator-" + instance + "-").toString());
        p.put(AggregatorConfig.HTTP_PORT_CONFIG, 0);
        p.put(AggregatorConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(AggregatorConfig.FLUSH_INTERVAL_CONFIG, 500L);
        p.put(AggregatorConfig.DEFAULT_CATALOG_CONFIG, false);
        return new AggregatorConfig(p);
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        return mapper.readTree(r.body());
    }

    @Test
    void eachInstanceAnswersForKeysTheOtherHolds() throws Exception {
        Instant now = Instant.now();
        long sinceMidnight = now.toEpochMilli() % 86_400_000L;
        Instant day = Instant.ofEpochMilli(now.toEpochMilli() - sinceMidnight);
        List<UsageEvent> events = UsageWorkload.generate(3, EVENTS, now, Math.max(1_000L, Math.min(600_000L, sinceMidnight - 1)));
        Map<String, BigDecimal> costByFeature = new TreeMap<>();
        Map<String, Long> callsByFeature = new TreeMap<>();
        for (UsageEvent e : events) {
            costByFeature.merge(e.getFeatureId(), UsageWorkload.expectedCost(e), BigDecimal::add);
            callsByFeature.merge(e.getFeatureId(), 1L, Long::sum);
        }
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, 4);
            AggregatorSerdes serdes = AggregatorSerdes.forRegistry(stack.registryUrl());
            Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, PriceEntry> prices = new KafkaProducer<>(producerProps, new StringSerializer(),
                    serdes.price().serializer())) {
                for (PriceEntry p : UsageWorkload.prices()) {
                    prices.send(new ProducerRecord<>(Topics.PRICES_TOPIC, p.getEntryId(), p)).get();
                }
            }
            try (AggregatorApp a = AggregatorApp.start(config(stack, "a"));
                 AggregatorApp b = AggregatorApp.start(config(stack, "b"))) {
                List<AggregatorApp> apps = List.of(a, b);
                await().atMost(Duration.ofSeconds(90)).until(() -> apps.stream().allMatch(x ->
                        x.streams().state() == KafkaStreams.State.RUNNING
                                && x.streams().metadataForAllStreamsClients().size() == 2));
                try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                        serdes.usage().serializer())) {
                    for (UsageEvent e : events) {
                        producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, e.getFeatureId(), e));
                    }
                    producer.flush();
                }

                // every feature's DAY spend, asked of each instance, whichever holds it
                String store = AggregatorTopology.spendStore(SpendWindow.DAY);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (String feature : callsByFeature.keySet()) {
                        for (AggregatorApp app : apps) {
                            JsonNode n = get(app.httpPort(), "/v1/spend/feature/" + feature + "?window=DAY&at=" + day);
                            assertThat(n.get("request_count").asLong()).as("%s on :%d", feature, app.httpPort())
                                    .isEqualTo(callsByFeature.get(feature));
                            assertThat(n.get("total_cost_usd").asText())
                                    .isEqualTo(Money.toScale(costByFeature.get(feature)).toPlainString());
                        }
                    }
                });
                // both instances hold some of those keys, so each answer above came from the other instance at least once
                List<HostInfo> holders = new ArrayList<>();
                for (String feature : callsByFeature.keySet()) {
                    KeyQueryMetadata md = a.streams().queryMetadataForKey(store,
                            SpendDimensions.storeKey(dev.tokenledger.avro.SpendDimension.FEATURE, feature), new StringSerializer());
                    holders.add(md.activeHost());
                }
                assertThat(holders.stream().distinct().count()).as("instances holding FEATURE keys").isEqualTo(2);

                // a top list gathers both instances' keys: the same answer from either
                JsonNode topA = get(a.httpPort(), "/v1/top/feature?window=DAY&n=20&at=" + day);
                JsonNode topB = get(b.httpPort(), "/v1/top/feature?window=DAY&n=20&at=" + day);
                assertThat(topA.get("items")).hasSize(callsByFeature.size());
                assertThat(topA.get("items")).isEqualTo(topB.get("items"));
            }
        }
    }
}
