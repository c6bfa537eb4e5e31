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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.sink.reconcile.CostReportProvider;
import dev.tokenledger.sink.reconcile.ProviderCostImporter;
import dev.tokenledger.sink.reconcile.Reconciliation;
import dev.tokenledger.sink.reconcile.ReconciliationAlertPublisher;
import dev.tokenledger.sink.reconcile.ReconciliationAlerts;
import dev.tokenledger.sink.report.WarehouseReport;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The drift alert on a real broker and registry: a month whose ledger misses a long-context tier, an unpriced model
 * and a day of calls is checked twice; both checks publish to the compacted reconciliation-alerts topic under the
 * same keys, so the topic holds one alert per day x provider x model once compacted, and the warehouse sink, fed
 * every record of both checks, keeps one row each, which the report shows.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReconciliationAlertIT {
    static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    private static String body(String name) throws Exception {
        try (InputStream in = ReconciliationAlertIT.class.getResourceAsStream("/reconcile/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static CostedUsage call(String id, String at, String model, String total, PricingStatus status) {
        CostedUsage u = TestData.costedTotal(id, Instant.parse(at), "draft_email", "acme", "pro", model, id, 1000, 100, 0, 0, total, "0");
        u.setPricingStatus(status);
        return u;
    }

    @Test
    void aMonthCheckedTwiceLeavesOneAlertPerDayProviderAndModel() throws Exception {
        try (LocalStack stack = LocalStack.builder().start(); TestWarehouse w = TestWarehouse.create(Dialect.DUCKDB);
             Connection c = w.connect()) {
            Warehouse.init(c, Dialect.DUCKDB, true);
            List<Map<String, Object>> ledger = List.of(
                    call("a1", "2026-12-01T09:00:00Z", "claude-sonnet-4-5-20250929", "6.005", PricingStatus.PRICED),
                    call("a3", "2026-12-01T10:00:00Z", "claude-haiku-4-5", "0", PricingStatus.UNPRICED),
                    call("a5", "2026-12-03T12:00:00Z", "claude-opus-4-5", "4.00", PricingStatus.PRICED)).stream()
                    .map(cu -> RowMappers.usageLog(cu, "t", 0, 0L)).toList();
            new WarehouseWriter(c, Dialect.DUCKDB, 100).upsertAll(Map.of(WarehouseTables.USAGE_LOG_TABLE, ledger));
            ProviderCostImporter.importPages(c, Dialect.DUCKDB, CostReportProvider.ANTHROPIC,
                    List.of(body("anthropic-cost-report-page1.json"), body("anthropic-cost-report-page2.json")), "a.json");
            // Dec 1 sonnet agrees (6.005); Dec 1 haiku unpriced (0 vs 0.2025); Dec 2 sonnet missing in the ledger (3.00);
            // Dec 3 opus at the base rate (4.00 vs 10.00): three alerts at a 1 % threshold.
            List<Reconciliation.Row> rows = Reconciliation.forMonth(c, DECEMBER);
            Set<String> expectedIds = Set.of("anthropic|claude-haiku-4-5|2026-12-01", "anthropic|claude-sonnet-4-5|2026-12-02",
                    "anthropic|claude-opus-4-5|2026-12-03");

            String bootstrap = stack.bootstrapServers();
            for (Instant checkedAt : List.of(Instant.parse("2027-01-02T08:00:00Z"), Instant.parse("2027-01-03T08:00:00Z"))) {
                try (ReconciliationAlertPublisher publisher = ReconciliationAlertPublisher.create(bootstrap, stack.registryUrl(), Map.of())) {
                    assertThat(publisher.publish(ReconciliationAlerts.over(DECEMBER, rows, BigDecimal.ONE, checkedAt))).isEqualTo(3);
                }
            }

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RECONCILIATION_ALERTS_TOPIC);
                assertThat(admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            }

            List<ConsumerRecord<String, byte[]>> records = readAll(bootstrap);
            assertThat(records).hasSize(6);
            assertThat(records.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(expectedIds);

            // The sink task, fed both checks' records, upserts one row per alert_id: the later check's.
            Map<String, String> props = new HashMap<>();
            props.put("connection.url", w.url());
            props.put("schema.registry.url", stack.registryUrl());
            WarehouseSinkConnector connector = new WarehouseSinkConnector();
            connector.start(props);
            WarehouseSinkTask task = new WarehouseSinkTask();
            task.initialize(new RecordingContext(true));
            task.start(connector.taskConfigs(1).get(0));
            try {
                List<SinkRecord> sink = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    sink.add(new SinkRecord(r.topic(), r.partition(), null, r.key(), null, r.value(), r.offset()));
                }
                task.put(sink);
            } finally {
                task.stop();
            }
            assertThat(w.query("SELECT alert_id, CAST(drift_usd AS VARCHAR), likely_cause, CAST(raised_at AT TIME ZONE 'UTC' AS VARCHAR) "
                    + "FROM reconciliation_alerts ORDER BY day")).containsExactly(
                    List.of("anthropic|claude-haiku-4-5|2026-12-01", "0.202500000000", "unpriced model", "2027-01-03 08:00:00"),
                    List.of("anthropic|claude-sonnet-4-5|2026-12-02", "3.000000000000", "missing in ledger (calls that bypassed the agent?)",
                            "2027-01-03 08:00:00"),
                    List.of("anthropic|claude-opus-4-5|2026-12-03", "6.000000000000",
                            "missing long-context tier (the report bills long-context lines, the ledger applied none)", "2027-01-03 08:00:00"));
            try (Connection afterSink = w.connect()) {
                assertThat(WarehouseReport.build(afterSink, DECEMBER, LocalDate.of(2026, 12, 31)).section("reconciliation_alerts").rows())
                        .extracting(r -> r.get(0) + " " + r.get(2) + " " + ((BigDecimal) r.get(4)).stripTrailingZeros().toPlainString()).containsExactly(
                                // drift % as a ratio: 0.2025 / 0.2025 = 100 %, 3 / 3 = 100 %, 6 / 10 = 60 %
                                "2026-12-01 claude-haiku-4-5 1", "2026-12-02 claude-sonnet-4-5 1", "2026-12-03 claude-opus-4-5 0.6");
            }
        }
    }

    /** Every record of the alerts topic, first to last, as bytes (the sink's ByteArrayConverter view). */
    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.RECONCILIATION_ALERTS_TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return consumer.position(tp) >= end;
            });
            return out;
        }
    }
}
