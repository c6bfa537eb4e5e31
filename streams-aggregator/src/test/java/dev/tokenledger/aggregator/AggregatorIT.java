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

import dev.tokenledger.pricing.DeadLetterReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendKey;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The aggregator against a real broker and registry (LocalStack), exactly_once_v2: 100,000 generated
 * events over 12 features (one at 80 %) and a long tail of tenants, sent twice. The latest spend per
 * key on tokenledger.spend.v1 must equal, to the last digit, the sums computed here from the
 * generated events; the HTTP API must answer the same numbers; the hot feature's work must be spread
 * over every partition after the event-id repartition.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AggregatorIT {
    /**
     * The 100,000 events (sent twice: 200,000 input records): about 80 s to complete spend on an idle
     * 2-core machine since the RocksDB write-buffer fix (it was ~100 events/s, over 15 minutes, before it).
     */
    private static final int EVENTS = Integer.getInteger("aggregator.it.events", 100_000);
    private static final int PARTITIONS = 4;
    private static final byte[] POISON = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    private static LocalStack stack;
    private static Path stateDir;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.builder().start();
        stack.createTopics(Topics.ALL, PARTITIONS);
        stateDir = Files.createTempDirectory("aggregator-it-");
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyEventCountsOnceAndSpendMatchesTheIndependentSums() throws Exception {
        Instant now = Instant.now();
        // events within the last 20 minutes, and never across a UTC midnight (the sums below are per DAY)
        long sinceMidnight = now.toEpochMilli() % 86_400_000L;
        long spread = Math.max(1_000L, Math.min(20 * 60_000L, sinceMidnight - 1));
        List<UsageEvent> events = UsageWorkload.generate(7, EVENTS, now, spread);
        Instant day = Instant.ofEpochMilli(now.toEpochMilli() - sinceMidnight);

        Map<String, Object> props = new HashMap<>();
        props.put(AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        props.put(AggregatorConfig.APPLICATION_ID_CONFIG, "aggregator-it");
        props.put(AggregatorConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(AggregatorConfig.HTTP_PORT_CONFIG, 0);
        props.put(AggregatorConfig.NUM_STREAM_THREADS_CONFIG, 2);
        props.put(AggregatorConfig.COMMIT_INTERVAL_MS_CONFIG, 200L);
        props.put(AggregatorConfig.FLUSH_INTERVAL_CONFIG, 500L);
        props.put(AggregatorConfig.TAIL_DIMENSIONS_CONFIG, true);
        props.put(AggregatorConfig.DEFAULT_CATALOG_CONFIG, false);
        props.put("streams.consumer.max.poll.records", "2000");
        AggregatorConfig config = new AggregatorConfig(props);

        AggregatorSerdes serdes = AggregatorSerdes.forRegistry(stack.registryUrl());
        try (KafkaProducer<String, PriceEntry> prices = new KafkaProducer<>(producerProps(), new StringSerializer(),
                serdes.price().serializer())) {
            for (PriceEntry p : UsageWorkload.prices()) {
                prices.send(new ProducerRecord<>(Topics.PRICES_TOPIC, p.getEntryId(), p)).get();
            }
        }

        long t0 = System.nanoTime();
        try (AggregatorApp app = AggregatorApp.start(config)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
            try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                    serdes.usage().serializer())) {
                for (int pass = 0; pass < 2; pass++) {   // the second pass is a replay of the same events
                    for (UsageEvent e : events) {
                        producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, e.getFeatureId(), e));
                    }
                    producer.flush();
                }
                // poison: a negative token count, and bytes that are not Avro at all
                UsageEvent negative = UsageEvent.newBuilder(events.get(0)).setEventId("poison-negative")
                        .setOutputTokens(-5).build();
                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, negative.getFeatureId(), negative)).get();
            }
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerProps(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(Topics.USAGE_TOPIC, "support_chat".getBytes(StandardCharsets.UTF_8),
                        POISON)).get();
            }
            Map<SpendKey, SpendAggregate> expected = expected(events, day);
            Map<SpendKey, SpendAggregate> latest = new HashMap<>();
            try (KafkaConsumer<SpendKey, SpendAggregate> consumer = new KafkaConsumer<>(consumerProps(),
                    serdes.spendKey().deserializer(), serdes.spend().deserializer())) {
                consumer.subscribe(List.of(Topics.SPEND_TOPIC));
                long[] lastReport = {System.nanoTime()};
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    for (ConsumerRecord<SpendKey, SpendAggregate> r : consumer.poll(Duration.ofMillis(500))) {
                        latest.put(r.key(), r.value());
                    }
                    long complete = expected.keySet().stream().filter(k -> latest.containsKey(k)
                            && latest.get(k).getRequestCount() >= expected.get(k).getRequestCount()).count();
                    if (System.nanoTime() - lastReport[0] > 10_000_000_000L) {
                        lastReport[0] = System.nanoTime();
                        SpendAggregate global = latest.get(globalKey(day));
                        System.out.printf("AggregatorIT: %d of %d spend keys complete, GLOBAL requests %s, %d keys seen%n",
                                complete, expected.size(), global == null ? "-" : global.getRequestCount(), latest.size());
                    }
                    return complete == expected.size();
                });
            }
            long processedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("AggregatorIT: %d events sent twice, spend complete after %d ms%n", EVENTS, processedMs);

            for (Map.Entry<SpendKey, SpendAggregate> e : expected.entrySet()) {
                SpendAggregate got = latest.get(e.getKey());
                SpendAggregate want = e.getValue();
                assertThat(got.getRequestCount()).as("requests %s", e.getKey()).isEqualTo(want.getRequestCount());
                assertThat(got.getTotalCostUsd()).as("cost %s", e.getKey()).isEqualTo(want.getTotalCostUsd());
                assertThat(got.getInputTokens()).as("input %s", e.getKey()).isEqualTo(want.getInputTokens());
                assertThat(got.getOutputTokens()).as("output %s", e.getKey()).isEqualTo(want.getOutputTokens());
                assertThat(got.getCacheReadTokens()).as("cache read %s", e.getKey()).isEqualTo(want.getCacheReadTokens());
                assertThat(got.getUnpricedCount()).as("unpriced %s", e.getKey()).isEqualTo(want.getUnpricedCount());
                assertThat(got.getErrorCount()).as("errors %s", e.getKey()).isEqualTo(want.getErrorCount());
                assertThat(SpendMath.classCostSum(got)).isEqualByComparingTo(got.getTotalCostUsd());
            }
            assertThat(countCommitted(Topics.USAGE_COSTED_TOPIC)).as("costed records (dedup)").isEqualTo(EVENTS);

            assertDeadLettersUnderExactlyOnce();
            assertHttpAnswersTheSameNumbers(app.httpPort(), expected, day);
            assertHotFeatureIsSpreadOverEveryPartition(events);
        }
    }

    private static SpendKey globalKey(Instant day) {
        return SpendKey.newBuilder().setDimension(SpendDimension.GLOBAL).setDimensionKey(SpendDimensions.GLOBAL_KEY)
                .setWindow(SpendWindow.DAY).setWindowStart(day).build();
    }

    private static Map<SpendKey, SpendAggregate> expected(List<UsageEvent> events, Instant day) {
        Map<SpendKey, SpendAggregate> out = new HashMap<>();
        for (UsageEvent e : events) {
            for (Map.Entry<SpendDimension, String> d : Map.of(SpendDimension.GLOBAL, SpendDimensions.GLOBAL_KEY,
                    SpendDimension.FEATURE, e.getFeatureId(),
                    SpendDimension.FEATURE_TENANT, e.getFeatureId() + "|" + e.getTenantId()).entrySet()) {
                SpendKey key = SpendKey.newBuilder().setDimension(d.getKey()).setDimensionKey(d.getValue())
                        .setWindow(SpendWindow.DAY).setWindowStart(day).build();
                SpendAggregate a = out.computeIfAbsent(key, k -> SpendMath.empty(d.getKey(), d.getValue(),
                        SpendWindow.DAY, day.toEpochMilli(), day.toEpochMilli() + 86_400_000L, "UTC"));
                BigDecimal cost = UsageWorkload.expectedCost(e);
                a.setRequestCount(a.getRequestCount() + 1);
                a.setTotalCostUsd(Money.toScale(a.getTotalCostUsd().add(cost)));
                a.setInputTokens(a.getInputTokens() + e.getInputTokens());
                a.setOutputTokens(a.getOutputTokens() + e.getOutputTokens());
                a.setCacheReadTokens(a.getCacheReadTokens() + e.getCacheReadTokens());
                a.setUnpricedCount(a.getUnpricedCount() + (UsageWorkload.RATES.containsKey(e.getModel()) ? 0 : 1));
                a.setErrorCount(a.getErrorCount() + (e.getKind() == dev.tokenledger.avro.UsageKind.FAILED ? 1 : 0));
            }
        }
        return out;
    }

    /** The KIP-1034 dead-letter records are written in the Streams transaction: visible to read_committed. */
    private static void assertDeadLettersUnderExactlyOnce() {
        Map<String, byte[]> byReason = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.USAGE_DLQ_TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    byReason.put(new String(r.headers().lastHeader(UsageDeadLetterHandler.REASON_HEADER).value(),
                            StandardCharsets.UTF_8), r.value());
                }
                return byReason.size() >= 2;
            });
        }
        assertThat(byReason).containsKeys(DeadLetterReason.UNDECODABLE.name(), DeadLetterReason.NEGATIVE_TOKENS.name());
        assertThat(byReason.get(DeadLetterReason.UNDECODABLE.name())).isEqualTo(POISON);
    }

    private static void assertHttpAnswersTheSameNumbers(int port, Map<SpendKey, SpendAggregate> expected, Instant day)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper mapper = new ObjectMapper();
        List<SpendAggregate> features = new ArrayList<>();
        for (String feature : UsageWorkload.FEATURES) {
            SpendAggregate want = expected.get(SpendKey.newBuilder().setDimension(SpendDimension.FEATURE)
                    .setDimensionKey(feature).setWindow(SpendWindow.DAY).setWindowStart(day).build());
            features.add(want);
            JsonNode got = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/spend/feature/" + feature + "?window=DAY&at=" + day)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
            assertThat(got.get("total_cost_usd").asText()).as("HTTP %s", feature)
                    .isEqualTo(want.getTotalCostUsd().toPlainString());
            assertThat(got.get("request_count").asLong()).isEqualTo(want.getRequestCount());
        }
        features.sort(SpendQueries.BY_SPEND_DESC);
        JsonNode top = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/top/feature?window=DAY&n=3&at=" + day)).build(), HttpResponse.BodyHandlers.ofString()).body());
        List<String> topKeys = new ArrayList<>();
        top.get("items").forEach(i -> topKeys.add(i.get("key").asText()));
        assertThat(topKeys).containsExactly(features.get(0).getDimensionKey(), features.get(1).getDimensionKey(),
                features.get(2).getDimensionKey());
    }

    /** The hot feature sits on one input partition; keyed the old way (by feature), it is re-keyed by workflow and every partition shares the work. */
    private static void assertHotFeatureIsSpreadOverEveryPartition(List<UsageEvent> events) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<Integer, Long> input = endOffsets(admin, Topics.USAGE_TOPIC);
            Map<Integer, Long> byEventId = endOffsets(admin, "aggregator-it-" + AggregatorTopology.USAGE_REKEYED + "-repartition");
            Map<Integer, Long> partials = endOffsets(admin, "aggregator-it-" + AggregatorTopology.SPEND_PARTIALS + "-repartition");
            System.out.printf("AggregatorIT: input per partition %s, after the re-keying repartition %s, spend partials %s%n",
                    input, byEventId, partials);
            long inputTotal = input.values().stream().mapToLong(Long::longValue).sum();
            assertThat(input.values().stream().mapToLong(Long::longValue).max().orElseThrow())
                    .as("the hot feature's partition").isGreaterThan(inputTotal * 7 / 10);
            long total = byEventId.values().stream().mapToLong(Long::longValue).sum();
            assertThat(byEventId.values()).allSatisfy(v -> assertThat(v).isBetween(total / PARTITIONS * 8 / 10,
                    total / PARTITIONS * 12 / 10));
            // Pre-aggregation: without it every event would send one partial per dimension it counts in (8 with a
            // user: GLOBAL, FEATURE, TENANT, FEATURE_TENANT, FEATURE_MODEL, PLAN_FEATURE, ROOT_REQUEST, TENANT_USER).
            // With it, the four low-cardinality ones (the dimensions the hot feature makes hot) cost one partial per
            // partition, minute and flush, so about 4 per event remain: the long tail, spread by its own keys.
            // Counted from end offsets: Streams purges committed repartition records, so reading them back is not.
            long partialTotal = partials.values().stream().mapToLong(Long::longValue).sum();
            long dimensionsWithoutPreAggregation = events.stream().mapToLong(e -> SpendDimensions.keysOf(e).size()).sum();
            System.out.printf("AggregatorIT: %d spend partials for %d events (%.2f per event; %d without pre-aggregation)%n",
                    partialTotal, events.size(), (double) partialTotal / events.size(), dimensionsWithoutPreAggregation);
            assertThat(partialTotal).as("partials pre-aggregated before the merge stage")
                    .isLessThan(dimensionsWithoutPreAggregation * 3 / 4);
            // ... and the merge stage is not pinned to the hot feature's partition either
            long mean = partialTotal / PARTITIONS;
            assertThat(partials.values()).as("spend partials per merge partition").allSatisfy(v ->
                    assertThat(v).isBetween(mean * 3 / 4, mean * 5 / 4));
        }
    }

    private static Map<Integer, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> out = new java.util.TreeMap<>();
        admin.listOffsets(specs).all().get().forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }

    private static long countCommitted(String topic) {
        Properties p = consumerProps();
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            int idle = 0;
            while (idle < 6) {
                int n = c.poll(Duration.ofMillis(500)).count();
                count += n;
                idle = n == 0 ? idle + 1 : 0;
            }
        }
        return count;
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    private static Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "aggregator-it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return p;
    }
}
