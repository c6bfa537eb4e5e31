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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.aggregator.AggregatorApp;
import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.gate.BudgetAdmin;
import dev.tokenledger.localstack.ConnectWorker;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.pricing.PriceCatalogPublisher;
import dev.tokenledger.schemas.CompactedTopics;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import dev.tokenledger.sink.WarehouseSinkConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17's re-pricing, end to end on a real broker, the aggregator, the enforcer and a Connect worker writing to
 * PostgreSQL. A model's entry lacks its long-context tier: 60 calls of 300,000 input + 1,000 output tokens are priced
 * at $3 / $15 ($0.915 each) and 60 of 10,000 + 500 at $0.0375: $57.15. The tier (whole request above 200K at $6 /
 * $22.50: $1.8225) is then published with a past effective date. {@code tokenledger reprice --dry-run} prints the
 * delta (60 x $0.9075 = $54.45) and writes nothing; a run killed with SIGKILL before its third transaction commits,
 * then the command, then the command again, then one adjustment re-sent by hand: the warehouse, the spend topic and
 * the budget state all end at exactly $57.15 + $54.45 = $111.60, with 60 adjustments in the trail. The provider's own
 * cost report (Anthropic's shape, the long-context calls on 200k-1M lines) bills the corrected prices: before the
 * re-pricing {@code tokenledger reconcile} finds the drift and names the missing tier (exit 1); after it, every day
 * agrees to the cent (exit 0).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RepriceIT {
    private static final String FEATURE = "reprice_feature";
    private static final String MODEL = "claude-reprice-1";
    private static final BigDecimal ORIGINAL = new BigDecimal("57.15");
    private static final BigDecimal DELTA = new BigDecimal("54.45");
    private static final BigDecimal CORRECTED = new BigDecimal("111.60");

    @Test
    void aMissingTierIsRepricedOnceThroughEveryConsumerEvenWhenRunTwiceOrKilledHalfway() throws Exception {
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final Instant from = now.minus(Duration.ofHours(1));
        final Instant to = now.plus(Duration.ofMinutes(1));
        final String schema = "reprice_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        final String pg = "jdbc:postgresql://127.0.0.1:5432/test";
        try (Connection c = DriverManager.getConnection(pg, "postgres", null); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        final String warehouse = pg + "?currentSchema=" + schema;
        final Path dir = Files.createTempDirectory("reprice-it-");
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, 2);
            final String b = stack.bootstrapServers();
            final String r = stack.registryUrl();
            final BudgetAdmin admin = new BudgetAdmin(b, r);
            admin.publish(Budget.newBuilder().setBudgetId("feature:" + FEATURE).setScope(BudgetScope.FEATURE).setFeatureId(FEATURE)
                    .setLimitUsd(Money.of("1000")).setPeriod(BudgetPeriod.MONTH).setBurstTolerancePct(0).setUpdatedAt(now).build());
            final PriceEntry withoutTier = entry(MODEL + "@2026-01-01", Instant.parse("2026-01-01T00:00:00Z")).build();
            try (PriceCatalogPublisher prices = PriceCatalogPublisher.create(b, r, Map.of())) {
                prices.publish(List.of(withoutTier));
            }
            try (EnforcerApp enforcer = EnforcerApp.start(new EnforcerConfig(Map.of(
                    EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, b, EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, r,
                    EnforcerConfig.STATE_DIR_CONFIG, dir.resolve("enforcer").toString(), EnforcerConfig.SCOPE_PARTITIONS_CONFIG, 2)));
                 AggregatorApp aggregator = AggregatorApp.start(new AggregatorConfig(Map.of(
                         AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, b, AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, r,
                         AggregatorConfig.STATE_DIR_CONFIG, dir.resolve("aggregator").toString(), AggregatorConfig.HTTP_PORT_CONFIG, -1,
                         AggregatorConfig.FLUSH_INTERVAL_CONFIG, 200L)));
                 ConnectWorker connect = ConnectWorker.start(b, dir.resolve("connect.offsets"), Map.of(
                         "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                         "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                         "offset.flush.interval.ms", "1000", "consumer.isolation.level", "read_committed"));
                 SpendTable spend = new SpendTable(b, r)) {
                connect.addConnector("reprice-it-sink", sinkConfig(warehouse, r), Duration.ofMinutes(2));
                await().atMost(Duration.ofSeconds(60)).until(() -> admin.states().containsKey("feature:" + FEATURE));

                sendUsage(b, r, from.plus(Duration.ofMinutes(20)));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(warehouseTotals(warehouse)).containsExactly(120L, ORIGINAL.stripTrailingZeros(), ORIGINAL.stripTrailingZeros(), 0L);
                    assertThat(spend.featureMonth()).isEqualByComparingTo(ORIGINAL);
                    assertThat(spent(admin)).isEqualByComparingTo(ORIGINAL);
                });

                // The provider's report bills the tier the catalog lacks: reconcile finds the drift and names the cause.
                final Instant start = from.plus(Duration.ofMinutes(20));
                final Path report = providerReport(dir, start);
                final CliRun.Result imported = CliRun.run("reconcile", "import", "--provider", "anthropic", "--file", report.toString(),
                        "--warehouse", warehouse, "--user", "postgres");
                assertThat(imported.code()).as(imported.err()).isZero();
                for (YearMonth month : monthsOf(start)) {
                    final CliRun.Result drift = CliRun.run("reconcile", "--month", month.toString(), "--warehouse", warehouse, "--user", "postgres");
                    System.out.println(drift.out());
                    assertThat(drift.code()).as(drift.out() + drift.err()).isEqualTo(1);
                    assertThat(drift.out()).contains("missing long-context tier");
                }

                // The tier was missing: published now, in force since yesterday.
                try (PriceCatalogPublisher prices = PriceCatalogPublisher.create(b, r, Map.of())) {
                    prices.publish(List.of(entry(MODEL + "@tier", now.minus(Duration.ofDays(1))).setLongContext(LongContextTier.newBuilder()
                            .setThresholdTokens(200_000).setInputPerMtok(Money.of("6")).setOutputPerMtok(Money.of("22.5")).build()).build()));
                }

                final CliRun.Result dry = CliRun.run("reprice", "--from", from.toString(), "--to", to.toString(), "--dry-run",
                        "--bootstrap", b, "--registry", r);
                System.out.println(dry.out());
                assertThat(dry.code()).as(dry.err()).isZero();
                assertThat(dry.out()).contains("(dry run: nothing written)").contains("120 events in range")
                        .contains("60 events change price; total delta +$54.4500")
                        .containsPattern(FEATURE + "\\s+\\+\\$54.4500").containsPattern("anthropic/" + MODEL + "\\s+\\+\\$54.4500")
                        .doesNotContain("Published");
                assertThat(adjustmentRecords(b, r)).as("a dry run writes nothing").isZero();

                // Killed with SIGKILL while its third transaction (adjustments 21-30) is open: 20 committed.
                final Process child = startChild(b, r, from, to);
                try {
                    final Path log = Paths.get("target", "reprice-child.log").toAbsolutePath();
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
                            Files.exists(log) && Files.readString(log).contains("BLOCKED"));
                } finally {
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                }

                final CliRun.Result run = CliRun.run("reprice", "--from", from.toString(), "--to", to.toString(),
                        "--reason", "long-context tier was missing", "--by", "maria", "--batch-size", "25", "--bootstrap", b, "--registry", r);
                System.out.println(run.out());
                assertThat(run.code()).as(run.err()).isZero();
                assertThat(run.out()).contains("40 events change price; total delta +$36.3000")
                        .contains("Published 40 adjustments to tokenledger.price-adjustments.v1 in 2 transaction(s).");

                final CliRun.Result again = CliRun.run("reprice", "--from", from.toString(), "--to", to.toString(),
                        "--bootstrap", b, "--registry", r);
                assertThat(again.code()).as(again.err()).isZero();
                assertThat(again.out()).contains("0 events change price; total delta +$0.0000")
                        .contains("Published 0 adjustments");

                // A racing run that published an adjustment a second time: every consumer applies it once.
                final RecordMetadata duplicate = resendOneAdjustment(b, r);
                assertThat(adjustmentRecords(b, r)).isEqualTo(61);

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(warehouseTotals(warehouse)).containsExactly(120L, CORRECTED.stripTrailingZeros(), ORIGINAL.stripTrailingZeros(), 60L);
                    assertThat(spend.featureMonth()).isEqualByComparingTo(CORRECTED);
                    assertThat(spent(admin)).isEqualByComparingTo(CORRECTED);
                });
                // The totals can be right before the duplicate was read: wait until every consumer is past it, then look again.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> consumedPast(b,
                        List.of("tokenledger-aggregator", "tokenledger-enforcer", "connect-reprice-it-sink"), duplicate));
                assertThat(warehouseTotals(warehouse)).containsExactly(120L, CORRECTED.stripTrailingZeros(), ORIGINAL.stripTrailingZeros(), 60L);
                assertThat(spend.featureMonth()).isEqualByComparingTo(CORRECTED);
                assertThat(spent(admin)).isEqualByComparingTo(CORRECTED);
                try (Connection c = DriverManager.getConnection(warehouse, "postgres", null); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*), sum(delta_usd), count(DISTINCT event_id) FROM usage_adjustments")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(60);
                    assertThat(rs.getBigDecimal(2)).isEqualByComparingTo(DELTA);
                    assertThat(rs.getLong(3)).isEqualTo(60);
                }
                // Re-priced, the ledger agrees with the provider's report on every day.
                for (YearMonth month : monthsOf(start)) {
                    final CliRun.Result agree = CliRun.run("reconcile", "--month", month.toString(), "--warehouse", warehouse, "--user", "postgres",
                            "--format", "json");
                    System.out.println(agree.out());
                    assertThat(agree.code()).as(agree.out() + agree.err()).isZero();
                    final JsonNode rows = new ObjectMapper().readTree(agree.out());
                    assertThat(rows).isNotEmpty();
                    rows.forEach(row -> assertThat(new BigDecimal(row.get("drift_usd").asText())).as(row.toString()).isZero());
                }
                System.out.printf("RepriceIT: warehouse, spend topic and budget state at $%s after the kill, the rerun and a duplicate%n",
                        CORRECTED);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(pg, "postgres", null); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static PriceEntry.Builder entry(String id, Instant from) {
        return PriceEntry.newBuilder().setEntryId("anthropic/" + id).setProvider("anthropic").setModel(MODEL).setEffectiveFrom(from)
                .setInputPerMtok(Money.of("3")).setOutputPerMtok(Money.of("15"))
                .setSourceUrl("https://example.test/acme-pricing").setSourceReadOn(LocalDate.of(2026, 12, 1));
    }

    /** 60 long-context calls and 60 short ones, one every 10 s from {@code start}. */
    private static void sendUsage(String bootstrap, String registry, Instant start) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
                SpecificAvroSerde.create(UsageEvent.class, Map.of("schema.registry.url", registry), false).serializer())) {
            for (int i = 0; i < 120; i++) {
                final boolean big = i % 2 == 0;
                final UsageEvent e = UsageEvent.newBuilder().setEventId("reprice-" + i).setKind(UsageKind.COMPLETED)
                        .setOccurredAt(start.plusSeconds(10L * i)).setFeatureId(FEATURE).setTenantId("t" + (i % 4))
                        .setUserId("u" + (i % 7)).setPlanTier("pro").setRequestId("req-" + i).setRootRequestId("root-" + i)
                        .setProvider("anthropic").setModel(MODEL).setInputTokens(big ? 300_000 : 10_000).setOutputTokens(big ? 1_000 : 500)
                        .setTags(Map.of()).build();
                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, FEATURE, e));
            }
            producer.flush();
        }
    }

    /**
     * Anthropic's cost report (cents, one bucket per UTC day) for the calls {@link #sendUsage} makes from {@code start}, at the
     * corrected prices: each long-context call $1.8225 on a 200k-1M line, each short call $0.0375 on a 0-200k line.
     */
    private static Path providerReport(Path dir, Instant start) throws IOException {
        final Map<LocalDate, long[]> perDay = new TreeMap<>();
        for (int i = 0; i < 120; i++) {
            perDay.computeIfAbsent(LocalDate.ofInstant(start.plusSeconds(10L * i), ZoneOffset.UTC), d -> new long[2])[i % 2]++;
        }
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode body = json.createObjectNode();
        final ArrayNode data = body.putArray("data");
        perDay.forEach((day, calls) -> {
            final ObjectNode bucket = data.addObject();
            bucket.put("starting_at", day.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            bucket.put("ending_at", day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            final ArrayNode results = bucket.putArray("results");
            results.add(reportLine(json, new BigDecimal("182.25").multiply(BigDecimal.valueOf(calls[0])), "200k-1M"));
            results.add(reportLine(json, new BigDecimal("3.75").multiply(BigDecimal.valueOf(calls[1])), "0-200k"));
        });
        body.put("has_more", false);
        body.putNull("next_page");
        final Path file = dir.resolve("anthropic-cost-report.json");
        json.writeValue(file.toFile(), body);
        return file;
    }

    private static ObjectNode reportLine(ObjectMapper json, BigDecimal cents, String contextWindow) {
        return json.createObjectNode().put("currency", "USD").put("amount", cents.toPlainString())
                .put("description", "Claude Reprice 1 Usage - Tokens").put("cost_type", "tokens").put("context_window", contextWindow)
                .put("model", MODEL).put("service_tier", "standard").put("token_type", "uncached_input_tokens").put("inference_geo", "global");
    }

    /** The UTC months the calls from {@code start} fall in (two when they cross a month's end). */
    private static List<YearMonth> monthsOf(Instant start) {
        return java.util.stream.Stream.of(start, start.plusSeconds(10L * 119)).map(t -> YearMonth.from(t.atZone(ZoneOffset.UTC)))
                .distinct().toList();
    }

    private static Map<String, String> sinkConfig(String warehouse, String registry) {
        final Map<String, String> c = new HashMap<>();
        c.put("connector.class", dev.tokenledger.sink.WarehouseSinkConnector.class.getName());
        c.put("tasks.max", "1");
        c.put("topics.regex", Quickstart.SINK_TOPICS_REGEX);
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put(WarehouseSinkConfig.CONNECTION_URL_CONFIG, warehouse);
        c.put(WarehouseSinkConfig.CONNECTION_USER_CONFIG, "postgres");
        c.put("schema.registry.url", registry);
        return c;
    }

    /** Rows, SUM(total_cost_usd), SUM(original_cost_usd) and re-priced rows of the feature's usage_log. */
    private static List<Object> warehouseTotals(String warehouse) throws SQLException {
        try (Connection c = DriverManager.getConnection(warehouse, "postgres", null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(total_cost_usd), 0), coalesce(sum(original_cost_usd), 0), "
                     + "count(adjusted_by) FROM usage_log WHERE feature_id = '" + FEATURE + "'")) {
            rs.next();
            return List.of(rs.getLong(1), rs.getBigDecimal(2).stripTrailingZeros(), rs.getBigDecimal(3).stripTrailingZeros(), rs.getLong(4));
        } catch (SQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return List.of(-1L);
            }
            throw e;
        }
    }

    private static BigDecimal spent(BudgetAdmin admin) {
        final BudgetState s = admin.states().get("feature:" + FEATURE);
        return s == null ? BigDecimal.ZERO : s.getSpentUsd();
    }

    private static KafkaConsumer<String, PriceAdjustment> adjustmentConsumer(String bootstrap, String registry) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(),
                SpecificAvroSerde.create(PriceAdjustment.class, Map.of("schema.registry.url", registry), false).deserializer());
    }

    /** Committed adjustment records on the topic. */
    private static int adjustmentRecords(String bootstrap, String registry) {
        return committedAdjustments(bootstrap, registry).size();
    }

    private static List<PriceAdjustment> committedAdjustments(String bootstrap, String registry) {
        final List<PriceAdjustment> all = new ArrayList<>();
        try (KafkaConsumer<String, PriceAdjustment> c = adjustmentConsumer(bootstrap, registry)) {
            CompactedTopics.scanToEnd(c, Topics.PRICE_ADJUSTMENTS_TOPIC, null, Duration.ofSeconds(30), rec -> all.add(rec.value()));
        }
        return all;
    }

    private static RecordMetadata resendOneAdjustment(String bootstrap, String registry) throws Exception {
        final PriceAdjustment a = committedAdjustments(bootstrap, registry).get(0);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, PriceAdjustment> producer = new KafkaProducer<>(props, new StringSerializer(),
                SpecificAvroSerde.create(PriceAdjustment.class, Map.of("schema.registry.url", registry), false).serializer())) {
            return producer.send(new ProducerRecord<>(Topics.PRICE_ADJUSTMENTS_TOPIC, a.getEvent().getEventId(), a)).get();
        }
    }

    /** Whether every group committed an offset past {@code record} (it read it). */
    private static boolean consumedPast(String bootstrap, List<String> groups, RecordMetadata record) throws Exception {
        final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String group : groups) {
                final OffsetAndMetadata at = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
                if (at == null || at.offset() <= record.offset()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@link RepriceChild} in its own JVM, output in target/reprice-child.log. */
    private static Process startChild(String bootstrap, String registry, Instant from, Instant to) throws IOException {
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        final Path log = Paths.get("target", "reprice-child.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", classpath, RepriceChild.class.getName(), bootstrap, registry,
                from.toString(), to.toString(), "10", "3").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The latest value of every key of the spend topic, read as it grows. */
    private static final class SpendTable implements AutoCloseable {
        private final KafkaConsumer<SpendKey, SpendAggregate> consumer;
        private final Map<SpendKey, SpendAggregate> latest = new HashMap<>();

        SpendTable(String bootstrap, String registry) {
            final Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            final Map<String, String> serde = Map.of("schema.registry.url", registry);
            consumer = new KafkaConsumer<>(props, SpecificAvroSerde.create(SpendKey.class, serde, true).deserializer(),
                    SpecificAvroSerde.create(SpendAggregate.class, serde, false).deserializer());
            final List<TopicPartition> parts = consumer.partitionsFor(Topics.SPEND_TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        /** The feature's total over its MONTH windows. */
        BigDecimal featureMonth() {
            consumer.poll(Duration.ofMillis(200)).forEach(rec -> latest.put(rec.key(), rec.value()));
            return latest.entrySet().stream()
                    .filter(e -> e.getKey().getDimension() == SpendDimension.FEATURE && e.getKey().getWindow() == SpendWindow.MONTH
                            && FEATURE.equals(e.getKey().getDimensionKey()))
                    .map(e -> e.getValue().getTotalCostUsd()).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
