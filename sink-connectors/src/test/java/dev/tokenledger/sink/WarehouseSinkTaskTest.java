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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The task against real DuckDB and PostgreSQL, with the worker's side (DLQ reporter, timeouts) recorded. */
class WarehouseSinkTaskTest {
    private static final Instant T0 = Instant.parse("2026-03-05T10:00:00Z");
    private final String registry = "mock://sink-task-" + UUID.randomUUID();
    private long offset;

    private Map<String, String> props(TestWarehouse w) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", w.url());
        props.put("connection.user", w.user());
        props.put("schema.registry.url", registry);
        props.put("batch.size", "7");
        props.put("max.retries", "2");
        props.put("retry.backoff.ms", "50");
        return props;
    }

    private <T extends SpecificRecord> SinkRecord record(String topic, T value) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>(type);
        serializer.configure(Map.of("schema.registry.url", registry), false);
        return raw(topic, serializer.serialize(topic, value));
    }

    private SinkRecord raw(String topic, byte[] value) {
        return new SinkRecord(topic, 0, null, null, null, value, offset++);
    }

    private WarehouseSinkTask start(TestWarehouse w, RecordingContext context, Map<String, String> props) throws Exception {
        WarehouseSinkConnector connector = new WarehouseSinkConnector();
        connector.start(props);
        WarehouseSinkTask task = new WarehouseSinkTask();
        task.initialize(context);
        task.start(connector.taskConfigs(1).get(0));
        return task;
    }

    private List<SinkRecord> workload() {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // 1000 input at $3/M = 0.003, 200 output at $15/M = 0.003, 500 cache read at $0.30/M = 0.00015 -> 0.00615 each
            records.add(record(Topics.USAGE_COSTED_TOPIC, TestData.costed("e" + i, T0.plusSeconds(i), "f" + (i % 3), "t" + (i % 4),
                    "pro", "claude-sonnet-4-6", 1000, 200, 500, "3", "15", "0.30")));
        }
        Instant day = Instant.parse("2026-03-05T00:00:00Z");
        Instant next = Instant.parse("2026-03-06T00:00:00Z");
        records.add(record(Topics.SPEND_TOPIC, TestData.spend(SpendDimension.FEATURE, "f0", SpendWindow.DAY, day, next, 5, "0.5", T0)));
        records.add(record(Topics.SPEND_TOPIC, TestData.spend(SpendDimension.FEATURE, "f0", SpendWindow.DAY, day, next, 14, "1.4",
                T0.plusSeconds(60))));
        records.add(record(Topics.SPEND_TOPIC, TestData.spend(SpendDimension.TENANT, "t1", SpendWindow.DAY, day, next, 10, "1.0", T0)));
        records.add(record(Topics.BUDGET_DECISIONS_TOPIC, TestData.decision("d1", T0, "FEATURE:f0", BudgetStatus.DENY, true,
                "GENUINE_BREACH", "0.2")));
        records.add(record(Topics.BUDGET_DECISIONS_TOPIC, TestData.decision("d2", T0, "FEATURE:f0", BudgetStatus.DENY, false,
                "STALE_STATE", "0.1")));
        records.add(record(Topics.BUDGET_ALERTS_TOPIC, TestData.alert("FEATURE:f0", 80, T0)));
        return records;
    }

    private static void assertWorkloadWritten(TestWarehouse w) throws Exception {
        assertThat(w.scalar("SELECT COUNT(*) FROM usage_log")).isEqualTo(40L);
        // 40 x 0.00615 = 0.246; savings 40 x 500 x (3 - 0.30)/1e6 = 40 x 0.00135 = 0.054
        assertThat(w.scalar("SELECT CAST(SUM(total_cost_usd) AS DECIMAL(38,12)) FROM usage_log")).isEqualTo(new BigDecimal("0.246000000000"));
        assertThat(w.scalar("SELECT CAST(SUM(cache_savings_usd) AS DECIMAL(38,12)) FROM usage_log")).isEqualTo(new BigDecimal("0.054000000000"));
        assertThat(w.query("SELECT dimension, dimension_key, request_count, total_cost_usd FROM spend_rollup ORDER BY dimension"))
                .containsExactly(List.of("FEATURE", "f0", 14L, new BigDecimal("1.400000000000")),
                        List.of("TENANT", "t1", 10L, new BigDecimal("1.000000000000")));
        assertThat(w.scalar("SELECT COUNT(*) FROM budget_decisions")).isEqualTo(2L);
        assertThat(w.scalar("SELECT COUNT(*) FROM budget_alerts")).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void writesEachTopicToItsTableAndAReplayOrRestartChangesNothing(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            RecordingContext context = new RecordingContext(true);
            WarehouseSinkTask task = start(w, context, props(w));
            List<SinkRecord> records = workload();
            task.put(records.subList(0, 20));
            task.put(records.subList(20, records.size()));
            assertWorkloadWritten(w);

            task.put(records); // replay of everything in one batch
            assertWorkloadWritten(w);
            task.stop();

            WarehouseSinkTask restarted = start(w, context, props(w));
            restarted.put(records.subList(10, 30)); // a restart re-delivers from the last committed offset
            // an older running total replayed after a newer one does not win
            restarted.put(List.of(record(Topics.SPEND_TOPIC, TestData.spend(SpendDimension.FEATURE, "f0", SpendWindow.DAY,
                    Instant.parse("2026-03-05T00:00:00Z"), Instant.parse("2026-03-06T00:00:00Z"), 5, "0.5", T0))));
            assertWorkloadWritten(w);
            restarted.stop();
            assertThat(context.reported).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void usageLogShowsTheLatestAdjustmentKeepsTheOriginalAndTheTrailWhateverTheOrderAndReplays(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            RecordingContext context = new RecordingContext(true);
            WarehouseSinkTask task = start(w, context, props(w));
            // 1000 input at $3/M = 0.003, 200 output at $15/M = 0.003, 500 cache read at $0.30/M = 0.00015: $0.00615
            CostedUsage e1 = TestData.costed("e1", T0, "f0", "t0", "pro", "claude-sonnet-4-6", 1000, 200, 500, "3", "15", "0.30");
            CostedUsage e2 = TestData.costed("e2", T0, "f0", "t0", "pro", "claude-sonnet-4-6", 1000, 200, 500, "3", "15", "0.30");
            // input at $6/M: 0.006 -> total $0.00915; then at $5/M: 0.005 -> $0.00815
            PriceAdjustment first = TestData.adjustment(e1, "adj-1", 1, null, new BigDecimal("0.003"), new BigDecimal("0.006"));
            PriceAdjustment second = TestData.adjustment(e1, "adj-2", 2, "adj-1", new BigDecimal("0.006"), new BigDecimal("0.005"));
            // the corrected entry's long-context tier priced the request; the later one (written before the flag) does not say
            first.setNewLongContextApplied(true);
            second.setNewLongContextApplied(null);

            task.put(List.of(record(Topics.PRICE_ADJUSTMENTS_TOPIC, first))); // before its usage row
            task.put(List.of(record(Topics.USAGE_COSTED_TOPIC, e1), record(Topics.USAGE_COSTED_TOPIC, e2)));
            String row = "SELECT total_cost_usd, cost_input_usd, original_cost_usd, original_price_entry_id, adjusted_by, price_entry_id "
                    + "FROM usage_log WHERE event_id = 'e1'";
            assertThat(w.query(row)).containsExactly(List.of(new BigDecimal("0.009150000000"), new BigDecimal("0.006000000000"),
                    new BigDecimal("0.006150000000"), "anthropic/claude-sonnet-4-6", "adj-1", "anthropic/claude-sonnet-4-6@fixed"));

            assertThat(w.query("SELECT long_context_applied FROM usage_log ORDER BY event_id"))
                    .as("e1 follows its adjustment, e2 keeps its first pricing").containsExactly(List.of(true), List.of(false));

            task.put(List.of(record(Topics.USAGE_COSTED_TOPIC, e1), record(Topics.PRICE_ADJUSTMENTS_TOPIC, first))); // replays
            assertThat(w.scalar("SELECT total_cost_usd FROM usage_log WHERE event_id = 'e1'")).isEqualTo(new BigDecimal("0.009150000000"));

            task.put(List.of(record(Topics.PRICE_ADJUSTMENTS_TOPIC, second)));
            assertThat(w.scalar("SELECT long_context_applied FROM usage_log WHERE event_id = 'e1'"))
                    .as("an adjustment without the flag keeps what the row had").isEqualTo(true);
            task.put(List.of(record(Topics.USAGE_COSTED_TOPIC, e1)));
            assertThat(w.query("SELECT total_cost_usd, original_cost_usd, adjusted_by FROM usage_log WHERE event_id = 'e1'"))
                    .containsExactly(List.of(new BigDecimal("0.008150000000"), new BigDecimal("0.006150000000"), "adj-2"));
            assertThat(w.query("SELECT total_cost_usd, original_cost_usd, adjusted_by FROM usage_log WHERE event_id = 'e2'"))
                    .containsExactly(java.util.Arrays.asList(new BigDecimal("0.006150000000"), new BigDecimal("0.006150000000"), null));
            assertThat(w.query("SELECT adjustment_id, adjustment_seq, delta_usd, reason, adjusted_by FROM usage_adjustments ORDER BY adjustment_seq"))
                    .containsExactly(List.of("adj-1", 1L, new BigDecimal("0.003000000000"), "input rate corrected", "maria"),
                            List.of("adj-2", 2L, new BigDecimal("-0.001000000000"), "input rate corrected", "maria"));
            // original + every delta = the corrected total
            assertThat(w.scalar("SELECT CAST(SUM(total_cost_usd) AS DECIMAL(38,12)) FROM usage_log"))
                    .isEqualTo(new BigDecimal("0.014300000000"));
            task.stop();
            assertThat(context.reported).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void usageDailyMovesByExactlyWhatAWriteChanges(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            RecordingContext context = new RecordingContext(true);
            WarehouseSinkTask task = start(w, context, props(w));
            // each call $0.00615 (see above); two in one group on 2026-03-05
            CostedUsage e1 = TestData.costed("e1", T0, "f0", "t0", "pro", "claude-sonnet-4-6", 1000, 200, 500, "3", "15", "0.30");
            CostedUsage e2 = TestData.costed("e2", T0, "f0", "t0", "pro", "claude-sonnet-4-6", 1000, 200, 500, "3", "15", "0.30");
            String group = "SELECT calls, input_tokens, cache_read_tokens, cost_input_usd, total_cost_usd, cache_savings_usd FROM usage_daily "
                    + "WHERE day = DATE '2026-03-05' AND feature_id = 'f0' AND tenant_id = 't0' AND plan_tier = 'pro' AND model = 'claude-sonnet-4-6'";
            task.put(List.of(record(Topics.USAGE_COSTED_TOPIC, e1), record(Topics.USAGE_COSTED_TOPIC, e2)));
            List<Object> both = List.of(2L, 2000L, 1000L, new BigDecimal("0.006000000000"), new BigDecimal("0.012300000000"),
                    new BigDecimal("0.002700000000"));
            assertThat(w.query(group)).containsExactly(both);

            task.put(List.of(record(Topics.USAGE_COSTED_TOPIC, e1), record(Topics.USAGE_COSTED_TOPIC, e2))); // a replay adds zero
            assertThat(w.query(group)).containsExactly(both);

            // re-pricing e1's input 0.003 -> 0.006 adds exactly +0.003; its replay (with e1 again) adds nothing
            PriceAdjustment first = TestData.adjustment(e1, "adj-1", 1, null, new BigDecimal("0.003"), new BigDecimal("0.006"));
            task.put(List.of(record(Topics.PRICE_ADJUSTMENTS_TOPIC, first)));
            List<Object> adjusted = List.of(2L, 2000L, 1000L, new BigDecimal("0.009000000000"), new BigDecimal("0.015300000000"),
                    new BigDecimal("0.002700000000"));
            assertThat(w.query(group)).containsExactly(adjusted);
            task.put(List.of(record(Topics.USAGE_COSTED_TOPIC, e1), record(Topics.PRICE_ADJUSTMENTS_TOPIC, first)));
            assertThat(w.query(group)).containsExactly(adjusted);

            // the second adjustment (0.006 -> 0.005) moves it by -0.001
            task.put(List.of(record(Topics.PRICE_ADJUSTMENTS_TOPIC,
                    TestData.adjustment(e1, "adj-2", 2, "adj-1", new BigDecimal("0.006"), new BigDecimal("0.005")))));
            assertThat(w.scalar("SELECT total_cost_usd FROM usage_daily WHERE feature_id = 'f0'")).isEqualTo(new BigDecimal("0.014300000000"));
            assertThat(w.query("SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6, 7"))
                    .isEqualTo(w.query(DailyRollup.fromUsageLog(dialect) + " ORDER BY 1, 2, 3, 4, 5, 6, 7"));
            task.stop();
            assertThat(context.reported).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void usageDailyEqualsAGroupByOverUsageLogAfterARandomMixOfWritesReplaysMovesAndAdjustments(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            RecordingContext context = new RecordingContext(true);
            WarehouseSinkTask task = start(w, context, props(w));
            java.util.Random random = new java.util.Random(16);
            Map<String, CostedUsage> sent = new HashMap<>();
            Map<String, Integer> adjustments = new HashMap<>();
            for (int batch = 0; batch < 25; batch++) {
                List<SinkRecord> records = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(12); i++) {
                    int choice = random.nextInt(10);
                    if (choice < 6 || sent.isEmpty()) { // a new call, or the same event id again with other tags (a moved row)
                        String id = "e" + random.nextInt(60);
                        CostedUsage c = TestData.costed(id, T0.plusSeconds(random.nextInt(3 * 86_400)), "f" + random.nextInt(3),
                                "t" + random.nextInt(4), random.nextBoolean() ? "pro" : "free", "m" + random.nextInt(2),
                                1 + random.nextInt(5000), random.nextInt(900), random.nextInt(3000), "3", "15", "0.30");
                        sent.put(id, c);
                        records.add(record(Topics.USAGE_COSTED_TOPIC, c));
                    } else if (choice < 8) { // a replay of a call as it was last sent
                        CostedUsage c = new ArrayList<>(sent.values()).get(random.nextInt(sent.size()));
                        records.add(record(Topics.USAGE_COSTED_TOPIC, c));
                    } else { // the next re-pricing of a call's input
                        CostedUsage c = new ArrayList<>(sent.values()).get(random.nextInt(sent.size()));
                        String id = c.getEvent().getEventId();
                        int seq = adjustments.merge(id, 1, Integer::sum);
                        BigDecimal previous = seq == 1 ? c.getCostInputUsd() : new BigDecimal(seq - 1).scaleByPowerOfTen(-3);
                        records.add(record(Topics.PRICE_ADJUSTMENTS_TOPIC, TestData.adjustment(c, id + "-adj-" + seq, seq,
                                seq == 1 ? null : id + "-adj-" + (seq - 1), previous, new BigDecimal(seq).scaleByPowerOfTen(-3))));
                    }
                }
                task.put(records);
            }
            task.stop();
            assertThat(context.reported).isEmpty();
            List<List<Object>> expected = w.query(DailyRollup.fromUsageLog(dialect) + " ORDER BY 1, 2, 3, 4, 5, 6, 7");
            assertThat(expected).hasSizeGreaterThan(10);
            assertThat(w.query("SELECT * FROM usage_daily WHERE calls <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7")).isEqualTo(expected);
            // a group every call left keeps zeros, never a stray cost or token count
            assertThat(w.scalar("SELECT COUNT(*) FROM usage_daily WHERE calls = 0 AND (total_cost_usd <> 0 OR cost_input_usd <> 0 "
                    + "OR input_tokens <> 0 OR output_tokens <> 0 OR cache_savings_usd <> 0)")).isEqualTo(0L);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void undecodableRecordsGoToTheDeadLetterQueueAndTheRestIsWritten(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            RecordingContext context = new RecordingContext(true);
            WarehouseSinkTask task = start(w, context, props(w));
            List<SinkRecord> records = new ArrayList<>(workload());
            SinkRecord notFramed = raw(Topics.USAGE_COSTED_TOPIC, "{\"event_id\":\"json\"}".getBytes());
            SinkRecord unknownSchema = raw(Topics.USAGE_COSTED_TOPIC, new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2});
            SinkRecord wrongTopic = record("tokenledger.usage.v1", TestData.everyField());
            records.add(5, notFramed);
            records.add(17, unknownSchema);
            records.add(30, wrongTopic);

            task.put(records);

            assertWorkloadWritten(w);
            assertThat(context.reported).extracting(RecordingContext.Reported::record)
                    .containsExactly(notFramed, unknownSchema, wrongTopic);
            assertThat(context.reported.get(0).reason()).hasMessageContaining("magic byte");
            assertThat(context.reported.get(1).reason()).hasMessageContaining("Unknown schema id 32639");
            assertThat(context.reported.get(2).reason()).hasMessageContaining("No warehouse table for topic 'tokenledger.usage.v1'");
            task.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aRowTheDatabaseRejectsIsIsolatedAndTheOthersInItsBatchAreWritten(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            // A table created by someone else with a rule our rows can break; init migrates it and keeps the rule.
            w.execute("CREATE TABLE usage_log (event_id VARCHAR PRIMARY KEY, feature_id VARCHAR CHECK (feature_id <> 'db-poison'))");
            RecordingContext context = new RecordingContext(true);
            WarehouseSinkTask task = start(w, context, props(w));
            List<SinkRecord> records = new ArrayList<>(workload());
            SinkRecord poison = record(Topics.USAGE_COSTED_TOPIC, TestData.costed("poison", T0, "db-poison", "t", "pro", "m",
                    1, 1, 0, "1", "1", "0.1"));
            records.add(12, poison);

            task.put(records);

            assertWorkloadWritten(w);
            assertThat(context.reported).singleElement().satisfies(r -> {
                assertThat(r.record()).isSameAs(poison);
                assertThat(r.reason()).hasMessageStartingWith("Cannot write to usage_log: ");
            });
            task.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withoutADeadLetterQueueABadRecordFailsTheTaskWithTheReason(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            WarehouseSinkTask task = start(w, new RecordingContext(false), props(w));
            SinkRecord bad = raw(Topics.BUDGET_ALERTS_TOPIC, new byte[] {1, 2, 3});
            assertThatThrownBy(() -> task.put(List.of(bad))).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("tokenledger.budget-alerts.v1-0@" + bad.kafkaOffset())
                    .hasMessageContaining("errors.tolerance=all")
                    .hasMessageContaining("shorter than the 5-byte Confluent wire-format header");
            task.stop();
        }
    }

    @Test
    void transientDatabaseErrorsAreRetriedWithBackoffThenFailClearly() throws Exception {
        try (TestWarehouse w = TestWarehouse.create(Dialect.DUCKDB)) {
            RecordingContext context = new RecordingContext(true);
            Map<String, String> props = props(w);
            WarehouseSinkTask task = start(w, context, props);
            // Same task, database unreachable: nothing listens on port 1.
            Map<String, String> unreachable = new HashMap<>(props);
            unreachable.put("connection.url", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1");
            task.stop();
            WarehouseSinkTask down = new WarehouseSinkTask();
            down.initialize(context);
            down.start(unreachable);
            List<SinkRecord> records = workload();

            assertThatThrownBy(() -> down.put(records)).isInstanceOf(RetriableException.class).hasMessageContaining("retry 1/2");
            assertThatThrownBy(() -> down.put(records)).isInstanceOf(RetriableException.class).hasMessageContaining("retry 2/2");
            assertThatThrownBy(() -> down.put(records)).isInstanceOf(ConnectException.class).isNotInstanceOf(RetriableException.class)
                    .hasMessageContaining("Warehouse write failed 3 times in a row (max.retries=2)")
                    .hasMessageContaining("Cannot connect to the warehouse");
            assertThat(context.timeouts).containsExactly(50L, 50L);
            assertThat(context.reported).isEmpty();
            down.stop();
        }
    }

    @Test
    void transientClassificationFollowsSqlStates() {
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x", "08006"))).isTrue();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x", "40001"))).isTrue();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x", "40P01"))).isTrue();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x", "57P01"))).isTrue();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLTimeoutException("x"))).isTrue();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x", "23505"))).isFalse();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x", "22003"))).isFalse();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException("x"))).isFalse();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException(
                "TransactionContext Error: Failed to commit: write-write conflict on key"))).isTrue();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException(
                "Constraint Error: Duplicate key \"event_id: e1\" violates primary key constraint"))).isFalse();
        assertThat(WarehouseSinkTask.isTransient(new java.sql.SQLException(
                "TransactionContext Error: Catalog write-write Conflict on alter with table"))).isTrue();
    }
}
