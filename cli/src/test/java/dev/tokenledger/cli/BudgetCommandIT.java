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

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.cli.CliRun.Result;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** budget set / list / override / show / clear against a real broker, with the enforcer running. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BudgetCommandIT {

    private static Result run(String... args) {
        return CliRun.runCapturingSystemStreams(args);
    }

    /** Every record of a topic, read committed, from the beginning to its end offsets. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        final List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            final Map<TopicPartition, Long> end = c.endOffsets(parts);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }

    @Test
    void setListOverrideShowClear() throws Exception {
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, 1);
            final String b = stack.bootstrapServers();
            final String r = stack.registryUrl();
            try (EnforcerApp enforcer = EnforcerApp.start(new EnforcerConfig(Map.of(
                    EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, b, EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, r,
                    EnforcerConfig.STATE_DIR_CONFIG, Files.createTempDirectory("enforcer-cli").toString(),
                    EnforcerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300L, EnforcerConfig.SCOPE_PARTITIONS_CONFIG, 1)))) {
                final Result set = run("budget", "set", "--scope", "feature", "--feature", "draft_email", "--limit", "500",
                        "--period", "month", "--carve-out", "bigcorp=2000", "--by", "finops", "--bootstrap", b, "--registry", r);
                assertThat(set.code()).as(set.err()).isZero();
                assertThat(set.out()).contains("Published to tokenledger.budgets.v1");

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(run("budget", "list", "--bootstrap", b, "--registry", r).out())
                        .containsPattern("feature:draft_email\\s+month\\s+enforce\\s+ALLOW\\s+\\$500.00\\s+\\$0.00\\s+\\$500.00\\s+WITHIN_BUDGET")
                        .containsPattern("carve-out feature_tenant:draft_email\\|bigcorp\\s+month\\s+enforce\\s+ALLOW\\s+\\$2,000.00"));

                final Result ovr = run("budget", "override", "feature:draft_email", "--unlimited", "--until", "PT2H",
                        "--reason", "INC-42 launch", "--by", "oncall", "--bootstrap", b, "--registry", r);
                assertThat(ovr.code()).as(ovr.err()).isZero();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(run("budget", "show", "feature:draft_email",
                        "--bootstrap", b, "--registry", r).out())
                        .contains("override unlimited until").contains("by oncall: INC-42 launch")
                        .contains("feature:draft_email: ALLOW (OVERRIDE_ACTIVE) limit unlimited"));

                final Result clear = run("budget", "clear", "feature:draft_email", "--reason", "feature retired", "--by", "maria",
                        "--bootstrap", b, "--registry", r);
                assertThat(clear.code()).as(clear.err()).isZero();
                assertThat(run("budget", "list", "--bootstrap", b, "--registry", r).out()).contains("No budgets");
                assertThat(run("budget", "show", "feature:draft_email", "--bootstrap", b, "--registry", r).err()).contains("no budget 'feature:draft_email'");

                // the delete is audited with who and why, in the same transaction as the tombstone
                final List<ConsumerRecord<String, byte[]>> decisions = readAll(b, Topics.BUDGET_DECISIONS_TOPIC);
                final SpecificAvroDeserializer<BudgetDecision> de = new SpecificAvroDeserializer<>(BudgetDecision.class);
                de.configure(Map.of("schema.registry.url", r), false);
                final List<BudgetDecision> cleared = decisions.stream().map(d -> de.deserialize(d.topic(), d.value()))
                        .filter(d -> "BUDGET_CLEARED".equals(d.getReasonCode())).toList();
                assertThat(cleared).hasSize(1);
                assertThat(cleared.get(0).getScopeKey()).isEqualTo("feature:draft_email");
                assertThat(cleared.get(0).getSource()).isEqualTo("cli:maria");
                assertThat(cleared.get(0).getMessage()).contains("cleared by maria: feature retired").contains("$500.00 per month");
                assertThat(cleared.get(0).getLimitUsd()).isEqualByComparingTo("500");
                final ConsumerRecord<String, byte[]> tombstone = readAll(b, Topics.BUDGETS_TOPIC).stream()
                        .filter(t -> t.key().equals("feature:draft_email") && t.value() == null).findFirst().orElseThrow();
                assertThat(new String(tombstone.headers().lastHeader("tokenledger-by").value(), StandardCharsets.UTF_8)).isEqualTo("maria");
                assertThat(new String(tombstone.headers().lastHeader("tokenledger-reason").value(), StandardCharsets.UTF_8))
                        .isEqualTo("feature retired");

                final Result again = run("budget", "clear", "feature:draft_email", "--reason", "twice", "--by", "maria",
                        "--bootstrap", b, "--registry", r);
                assertThat(again.code()).isNotZero();
                assertThat(again.err()).contains("no budget 'feature:draft_email' to clear");
            }
        }
    }
}
