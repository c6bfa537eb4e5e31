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

import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.cli.CliRun.Result;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import dev.tokenledger.sink.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenledger reconcile --bootstrap --registry} on a real broker and registry: the drifting day is published
 * as a ReconciliationAlert, checking the month again publishes it under the same key, and once the ledger is
 * corrected the next check closes it (resolved = true) and the one after has nothing left to close.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReconcileCommandIT {
    @TempDir
    Path dir;

    @Test
    void theDriftAlertIsPublishedUnderTheSameKeyEachCheck() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
        assertThat(CliRun.run("warehouse", "init", "--warehouse", url).code()).isEqualTo(0);
        try (Connection c = Warehouse.connect(url, null, null); Statement st = c.createStatement()) {
            // the report's Dec 3 opus line is 10.00 (a 200k-1M line); the ledger priced the base rate, 4.00
            st.execute("INSERT INTO usage_log (event_id, timestamp, kind, feature_id, tenant_id, environment, provider, model, pricing_status, "
                    + "total_cost_usd) VALUES ('a5', TIMESTAMPTZ '2026-12-03 10:00:00+00', 'COMPLETED', 'f', 't', 'production', 'anthropic', "
                    + "'claude-opus-4-5-20251101', 'PRICED', 4.00)");
        }
        assertThat(CliRun.run("reconcile", "import", "--provider", "anthropic", "--file",
                ReconcileCommandTest.REPORTS.resolve("anthropic-cost-report-page2.json").toString(), "--warehouse", url).code()).isEqualTo(0);

        try (LocalStack stack = LocalStack.builder().start()) {
            String b = stack.bootstrapServers();
            String r = stack.registryUrl();
            for (int check = 0; check < 2; check++) {
                Result checked = CliRun.run("reconcile", "--month", "2026-12", "--warehouse", url, "--bootstrap", b, "--registry", r);
                assertThat(checked.code()).as(checked.err()).isEqualTo(1);
                assertThat(checked.out()).endsWith("1 of 1 rows drift by more than 1 %.\nPublished 1 reconciliation alert to "
                        + "tokenledger.reconciliation-alerts.v1 (key provider|model|day; a re-check of 2026-12 replaces them).\n");
            }
            List<ConsumerRecord<String, ReconciliationAlert>> alerts = readAll(b, r);
            assertThat(alerts).extracting(ConsumerRecord::key).containsExactly("anthropic|claude-opus-4-5|2026-12-03",
                    "anthropic|claude-opus-4-5|2026-12-03");
            ReconciliationAlert alert = alerts.get(1).value();
            assertThat(alert.getDriftUsd()).isEqualByComparingTo("6.00");
            assertThat(alert.getDriftPct()).isEqualByComparingTo("60");
            assertThat(alert.getThresholdPct()).isEqualByComparingTo("1");
            assertThat(alert.getLikelyCause()).startsWith("missing long-context tier");
            assertThat(alert.getMessage()).isEqualTo("anthropic claude-opus-4-5 on 2026-12-03: the provider billed 10.00 USD, the ledger "
                    + "priced 4.00 USD (drift 6.00 USD, 60.00 %, over 1 %); likely cause: missing long-context tier (the report bills "
                    + "long-context lines, the ledger applied none)");
            assertThat(alert.getResolved()).isFalse();

            // the long-context tier is added and the call re-priced: the next check closes the alert, the one after has nothing to close
            try (Connection c = Warehouse.connect(url, null, null); Statement st = c.createStatement()) {
                st.execute("UPDATE usage_log SET total_cost_usd = 10.00, long_context_applied = true WHERE event_id = 'a5'");
            }
            Result fixed = CliRun.run("reconcile", "--month", "2026-12", "--warehouse", url, "--bootstrap", b, "--registry", r);
            assertThat(fixed.code()).as(fixed.err()).isEqualTo(0);
            assertThat(fixed.out()).endsWith("Every drift is within 1 %.\nPublished 0 reconciliation alerts and resolved 1 to "
                    + "tokenledger.reconciliation-alerts.v1 (key provider|model|day; a re-check of 2026-12 replaces them).\n");
            List<ConsumerRecord<String, ReconciliationAlert>> after = readAll(b, r);
            assertThat(after).hasSize(3);
            assertThat(after.get(2).key()).isEqualTo("anthropic|claude-opus-4-5|2026-12-03");
            assertThat(after.get(2).value().getResolved()).isTrue();
            assertThat(after.get(2).value().getDriftUsd()).isZero();
            assertThat(CliRun.run("reconcile", "--month", "2026-12", "--warehouse", url, "--bootstrap", b, "--registry", r).out())
                    .endsWith("Published 0 reconciliation alerts to tokenledger.reconciliation-alerts.v1 (key provider|model|day; a re-check "
                            + "of 2026-12 replaces them).\n");
        }
    }

    private static List<ConsumerRecord<String, ReconciliationAlert>> readAll(String bootstrap, String registry) {
        SpecificAvroDeserializer<ReconciliationAlert> values = new SpecificAvroDeserializer<>(ReconciliationAlert.class);
        values.configure(Map.of("schema.registry.url", registry), false);
        try (KafkaConsumer<String, ReconciliationAlert> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), values)) {
            TopicPartition tp = new TopicPartition(Topics.RECONCILIATION_ALERTS_TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, ReconciliationAlert>> out = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return consumer.position(tp) >= end;
            });
            return out;
        }
    }
}
