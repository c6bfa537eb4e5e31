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
package dev.tokenledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.localstack.ConnectWorker;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector in a real standalone Connect worker against a real broker and registry, writing to
 * a DuckDB file and to PostgreSQL at once: 20,000 costed events, 300 running spend totals over 60
 * windows, 50 decisions, 30 alerts and one poison record. Row counts and exact sums match what was
 * produced, although both workers (child JVMs, one per warehouse) are killed with SIGKILL mid-stream
 * and the connectors resumed; a replay of every topic from the beginning changes nothing; the poison record is in
 * the dead-letter topic with its reason.
 */
// Each method (and @BeforeAll) bounded; ~2 min for the class on a quiet 2-core machine, the bounds leave room for a loaded one.
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarehouseSinkIT {
    private static final int EVENTS = 20_000;
    private static final List<String> TOPICS = List.of(Topics.USAGE_COSTED_TOPIC, Topics.SPEND_TOPIC,
            Topics.BUDGET_DECISIONS_TOPIC, Topics.BUDGET_ALERTS_TOPIC);
    private static final String[] MODELS = {"claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-5"};
    private static final String[][] RATES = {{"0.80", "4", "0.08"}, {"3", "15", "0.30"}, {"15", "75", "1.50"}};

    @TempDir
    static Path dir;

    private LocalStack stack;
    private ConnectWorker worker;
    private TestWarehouse duck;
    private TestWarehouse pg;
    private BigDecimal expectedTotal = BigDecimal.ZERO;
    private BigDecimal expectedSavings = BigDecimal.ZERO;
    private long expectedInputTokens;
    private BigDecimal expectedSpendTotal = BigDecimal.ZERO;
    private byte[] poison;

    @BeforeAll
    void startAndProduce() throws Exception {
        long started = System.nanoTime();
        stack = LocalStack.builder().dataDir(dir.resolve("kafka")).start();
        stack.createTopics(List.of(Topics.USAGE_COSTED, Topics.SPEND, Topics.BUDGET_DECISIONS, Topics.BUDGET_ALERTS,
                Topics.SINK_DLQ), 2);
        duck = TestWarehouse.create(Dialect.DUCKDB);
        pg = TestWarehouse.create(Dialect.POSTGRESQL);
        long produceStarted = System.nanoTime();
        produce();
        System.out.printf("WarehouseSinkIT: stack up in %d ms, produce took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(produceStarted - started), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - produceStarted));
        worker = ConnectWorker.start(stack.bootstrapServers(), dir.resolve("connect.offsets"), Map.of());
        System.out.printf("WarehouseSinkIT: broker, registry, %d events produced and worker started in %d ms%n", EVENTS,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (duck != null) {
            duck.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private <T extends SpecificRecord> SpecificAvroSerializer<T> serializer(Class<T> type, boolean isKey) {
        SpecificAvroSerializer<T> s = new SpecificAvroSerializer<>(type);
        s.configure(Map.of("schema.registry.url", stack.registryUrl()), isKey);
        return s;
    }

    private void produce() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        SpecificAvroSerializer<CostedUsage> usage = serializer(CostedUsage.class, false);
        SpecificAvroSerializer<SpendKey> spendKey = serializer(SpendKey.class, true);
        SpecificAvroSerializer<SpendAggregate> spend = serializer(SpendAggregate.class, false);
        SpecificAvroSerializer<BudgetDecision> decisions = serializer(BudgetDecision.class, false);
        SpecificAvroSerializer<BudgetAlert> alerts = serializer(BudgetAlert.class, false);
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                int m = i % 3;
                CostedUsage cu = TestData.costed("evt-" + i, t0.plusSeconds(i * 60L), "feature-" + (i % 12), "tenant-" + (i % 97),
                        i % 5 == 0 ? "free" : "pro", MODELS[m], 800 + (i % 1300), 150 + (i % 450), (i % 4) * 1000L,
                        RATES[m][0], RATES[m][1], RATES[m][2]);
                expectedTotal = expectedTotal.add(cu.getTotalCostUsd());
                expectedSavings = expectedSavings.add(cu.getCacheSavingsUsd());
                expectedInputTokens += cu.getEvent().getInputTokens();
                byte[] key = cu.getEvent().getEventId().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.USAGE_COSTED_TOPIC, key, usage.serialize(Topics.USAGE_COSTED_TOPIC, cu)));
                if (i == EVENTS / 2) {
                    poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(Topics.USAGE_COSTED_TOPIC, "poison".getBytes(StandardCharsets.UTF_8), poison));
                }
            }
            // 60 day windows, each re-emitted 5 times with a growing running total; the last one counts.
            for (int update = 1; update <= 5; update++) {
                for (int k = 0; k < 60; k++) {
                    Instant start = t0.plus(Duration.ofDays(k % 30));
                    SpendAggregate agg = TestData.spend(k < 30 ? SpendDimension.FEATURE : SpendDimension.TENANT, "key-" + k,
                            SpendWindow.DAY, start, start.plus(Duration.ofDays(1)), update * 10L,
                            new BigDecimal(k + 1).multiply(new BigDecimal(update)).add(new BigDecimal("0.000000000001")).toPlainString(),
                            t0.plusSeconds(update));
                    if (update == 5) {
                        expectedSpendTotal = expectedSpendTotal.add(agg.getTotalCostUsd());
                    }
                    SpendKey key = new SpendKey(agg.getDimension(), agg.getDimensionKey(), agg.getWindow(), agg.getWindowStart());
                    producer.send(new ProducerRecord<>(Topics.SPEND_TOPIC, spendKey.serialize(Topics.SPEND_TOPIC, key),
                            spend.serialize(Topics.SPEND_TOPIC, agg)));
                }
            }
            for (int d = 0; d < 50; d++) {
                BudgetDecision decision = TestData.decision("dec-" + d, t0.plusSeconds(d), "FEATURE:feature-" + (d % 12),
                        BudgetStatus.DENY, d % 2 == 0, "GENUINE_BREACH", "0.01");
                producer.send(new ProducerRecord<>(Topics.BUDGET_DECISIONS_TOPIC, decision.getScopeKey().getBytes(StandardCharsets.UTF_8),
                        decisions.serialize(Topics.BUDGET_DECISIONS_TOPIC, decision)));
            }
            for (int a = 0; a < 30; a++) {
                BudgetAlert alert = TestData.alert("FEATURE:feature-" + (a % 10), new int[] {50, 80, 100}[a / 10], t0.plusSeconds(a));
                producer.send(new ProducerRecord<>(Topics.BUDGET_ALERTS_TOPIC, alert.getAlertId().getBytes(StandardCharsets.UTF_8),
                        alerts.serialize(Topics.BUDGET_ALERTS_TOPIC, alert)));
            }
            producer.flush();
        }
        expectedTotal = Money.toScale(expectedTotal);
        expectedSavings = Money.toScale(expectedSavings);
        expectedSpendTotal = Money.toScale(expectedSpendTotal);
    }

    private Map<String, String> connectorConfig(TestWarehouse w) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", WarehouseSinkConnector.class.getName());
        c.put("tasks.max", "2");
        c.put("topics", String.join(",", TOPICS));
        c.put("key.converter", ByteArrayConverter.class.getName());
        c.put("value.converter", ByteArrayConverter.class.getName());
        c.put("connection.url", w.url());
        c.put("connection.user", w.user());
        c.put("schema.registry.url", stack.registryUrl());
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", Topics.SINK_DLQ_TOPIC);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("consumer.override.max.poll.records", "1000");
        // a killed worker's consumer must leave the group quickly so its restart gets the partitions back
        c.put("consumer.override.session.timeout.ms", "6000");
        c.put("consumer.override.heartbeat.interval.ms", "1000");
        return c;
    }

    private void assertWarehouseMatchesWhatWasProduced(TestWarehouse w) throws Exception {
        assertThat(w.scalar("SELECT COUNT(*) FROM usage_log")).isEqualTo((long) EVENTS);
        assertThat(w.scalar("SELECT COUNT(DISTINCT event_id) FROM usage_log")).isEqualTo((long) EVENTS);
        assertThat(w.scalar("SELECT CAST(SUM(total_cost_usd) AS DECIMAL(38,12)) FROM usage_log")).isEqualTo(expectedTotal);
        assertThat(w.scalar("SELECT CAST(SUM(cache_savings_usd) AS DECIMAL(38,12)) FROM usage_log")).isEqualTo(expectedSavings);
        assertThat(((Number) w.scalar("SELECT SUM(input_tokens) FROM usage_log")).longValue()).isEqualTo(expectedInputTokens);
        assertThat(w.scalar("SELECT COUNT(*) FROM spend_rollup")).isEqualTo(60L);
        assertThat(w.scalar("SELECT CAST(SUM(total_cost_usd) AS DECIMAL(38,12)) FROM spend_rollup")).isEqualTo(expectedSpendTotal);
        assertThat(w.scalar("SELECT MIN(request_count) FROM spend_rollup")).isEqualTo(50L);
        assertThat(w.scalar("SELECT COUNT(*) FROM budget_decisions")).isEqualTo(50L);
        assertThat(w.scalar("SELECT COUNT(*) FROM budget_alerts")).isEqualTo(30L);
        // the views read the same exact total
        assertThat(w.scalar("SELECT CAST(SUM(cost_usd) AS DECIMAL(38,12)) FROM v_daily_feature_cost")).isEqualTo(expectedTotal);
    }

    private long count(TestWarehouse w) {
        try {
            return (Long) w.scalar("SELECT COUNT(*) FROM usage_log");
        } catch (Exception e) {
            return -1; // table not created yet
        }
    }

    /** A Connect worker in its own JVM running connector {@code name} into {@code warehouse}; its log in {@code worker-<name>.log}. */
    private Process startChildWorker(String name, TestWarehouse warehouse) throws Exception {
        Map<String, String> config = connectorConfig(warehouse);
        config.put("consumer.override.max.poll.records", "500");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                WorkerProcess.class.getName(), stack.bootstrapServers(), dir.resolve(name + "-killed.offsets").toString(), name));
        config.forEach((k, v) -> command.add(k + "=" + v));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + name + ".log").toFile()).start();
    }

    /**
     * SIGKILLs {@code child} (no task stop, no offset commit, maybe mid-transaction) once {@code progress}
     * reaches 2,000 usage records; returns the progress read after the kill.
     */
    private long killWhen(Process child, String name, java.util.concurrent.Callable<Long> progress) throws Exception {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                .until(() -> progress.call() >= 2_000 || !child.isAlive());
        assertThat(child.isAlive()).as("%s child worker alive; see %s", name, dir.resolve("worker-" + name + ".log")).isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return progress.call();
    }

    /** Usage records connector {@code name} has committed (so written: offsets are committed after put() returns). */
    private long committedUsage(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(Topics.USAGE_COSTED_TOPIC) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    /** Waits until connector {@code name}'s consumer group has committed the end offset of every input partition. */
    private void awaitCaughtUp(String name) {
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String topic : TOPICS) {
                    for (int p = 0; p < 2; p++) {
                        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                    }
                }
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get();
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    assertThat(c == null ? 0 : c.offset()).as("%s committed", e.getKey()).isEqualTo(e.getValue().offset());
                }
            });
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(int atLeast) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SINK_DLQ_TOPIC));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).hasSizeGreaterThanOrEqualTo(atLeast);
            });
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void everyRowLandsOnceEvenWhenAWorkerIsKilledMidStreamAndThePoisonRecordIsDeadLettered() throws Exception {
        long started = System.nanoTime();
        // Each warehouse is filled by a worker in a child JVM that gets SIGKILLed mid-stream, then by the in-process
        // worker under the same connector name (same consumer group: it resumes from the last committed offsets).
        // PostgreSQL progress is read from its rows; DuckDB's from the connector's committed offsets, because the
        // child holds the DuckDB file's single-writer lock until it dies.
        Process pgChild = startChildWorker("pg", pg);
        Process duckChild = startChildWorker("duck", duck);
        long pgAtKill;
        long duckAtKill;
        try {
            pgAtKill = killWhen(pgChild, "pg", () -> count(pg));
            duckAtKill = killWhen(duckChild, "duck", () -> committedUsage("duck"));
        } finally {
            pgChild.destroyForcibly();
            duckChild.destroyForcibly();
        }
        System.out.printf("WarehouseSinkIT: workers killed with %d of %d usage rows in PostgreSQL, %d usage offsets committed for DuckDB%n",
                pgAtKill, EVENTS, duckAtKill);
        assertThat(pgAtKill).isLessThan(EVENTS);
        assertThat(duckAtKill).isLessThan(EVENTS);

        worker.addConnector("duck", connectorConfig(duck));
        worker.addConnector("pg", connectorConfig(pg));
        awaitCaughtUp("duck");
        awaitCaughtUp("pg");
        System.out.printf("WarehouseSinkIT: %d events + 380 others into DuckDB and PostgreSQL (both killed once) in %d ms%n", EVENTS,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertWarehouseMatchesWhatWasProduced(duck);
        assertWarehouseMatchesWhatWasProduced(pg);

        // at least once per connector (the killed worker may have reported it before its offsets were committed)
        List<ConsumerRecord<byte[], byte[]>> dlq = deadLetters(2);
        assertThat(dlq).allSatisfy(r -> {
            assertThat(r.value()).isEqualTo(poison);
            assertThat(header(r, "__connect.errors.topic")).isEqualTo(Topics.USAGE_COSTED_TOPIC);
            assertThat(header(r, "__connect.errors.exception.message")).contains("magic byte");
        });
        assertThat(dlq.stream().map(r -> header(r, "__connect.errors.connector.name")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("duck", "pg");
    }

    @Test
    @Order(2)
    void replayingEveryTopicFromTheBeginningChangesNothing() throws Exception {
        worker.deleteConnector("duck");
        worker.deleteConnector("pg");
        // new names = new consumer groups = every topic read again from offset 0
        worker.addConnector("duck-replay", connectorConfig(duck));
        worker.addConnector("pg-replay", connectorConfig(pg));
        awaitCaughtUp("duck-replay");
        awaitCaughtUp("pg-replay");
        assertWarehouseMatchesWhatWasProduced(duck);
        assertWarehouseMatchesWhatWasProduced(pg);
        worker.deleteConnector("duck-replay");
        worker.deleteConnector("pg-replay");
    }
}
