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
package dev.tokenledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.RestSchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher itself: a real broker that keeps its data across restarts, topics as the contract says. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalStackIT {

    @TempDir
    Path dataDir;

    private int usageSchemaId;

    @Test
    void brokerKeepsDataAcrossRestartsOnTheSamePortAndCommittedOffsetsSurvive() throws Exception {
        long started = System.nanoTime();
        try (LocalStack stack = LocalStack.builder().dataDir(dataDir).start()) {
            System.out.printf("LocalStack (broker + registry) started in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            String bootstrap = stack.bootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:");
            stack.createTopics(List.of(Topics.USAGE), 2);
            usageSchemaId = new RestSchemaRegistryClient(stack.registryUrl(), null)
                    .register(Topics.USAGE.valueSubject(), UsageEvent.getClassSchema());

            send(bootstrap, Topics.USAGE_TOPIC, "k1", "before-restart");
            assertThat(consume(bootstrap, "g1", 1)).containsExactly("before-restart");

            stack.restartBroker();
            assertThat(stack.bootstrapServers()).isEqualTo(bootstrap);
            send(bootstrap, Topics.USAGE_TOPIC, "k2", "after-restart");
            // The group's committed offset survived: it only sees the new record.
            assertThat(consume(bootstrap, "g1", 1)).containsExactly("after-restart");
            // A new group sees both: the log survived.
            assertThat(consume(bootstrap, "g2", 2)).containsExactlyInAnyOrder("before-restart", "after-restart");
            // The registry kept serving through the broker restart and can still write.
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl(), null);
            assertThat(registry.register("other-value", Schema.create(Schema.Type.STRING))).isGreaterThan(usageSchemaId);
        }

        // A whole new stack on the same data directory still has the topic and its records.
        try (LocalStack again = LocalStack.builder().dataDir(dataDir).start()) {
            assertThat(consume(again.bootstrapServers(), "g3", 2)).containsExactlyInAnyOrder("before-restart", "after-restart");
            // ... and so do the schemas: same id, fetched from a registry that never saw the registration.
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(again.registryUrl(), null);
            assertThat(registry.getById(usageSchemaId)).isEqualTo(UsageEvent.getClassSchema());
            assertThat(registry.getLatest(Topics.USAGE.valueSubject()).id()).isEqualTo(usageSchemaId);
        }
    }

    @Test
    void createTopicsIsIdempotentAndFollowsTheContract() throws Exception {
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, 3);
            stack.createTopics(Topics.ALL, 3);
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                assertThat(admin.listTopics().names().get()).containsAll(Topics.ALL.stream().map(t -> t.name()).toList())
                        .contains(Topics.SCHEMAS_TOPIC);
                TopicDescription usage = admin.describeTopics(List.of(Topics.USAGE_TOPIC)).allTopicNames().get().get(Topics.USAGE_TOPIC);
                assertThat(usage.partitions()).hasSize(3);
                ConfigResource budgets = new ConfigResource(ConfigResource.Type.TOPIC, Topics.BUDGETS_TOPIC);
                ConfigEntry policy = admin.describeConfigs(List.of(budgets)).all().get().get(budgets).get("cleanup.policy");
                assertThat(policy.value()).isEqualTo("compact");
            }
            assertThatThrownBy(() -> stack.createTopics(Topics.ALL, 0)).hasMessageContaining("partitions");
        }
    }

    static void send(String bootstrap, String topic, String key, String value) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Polls group {@code group} until {@code count} records came, commits, and returns their values. */
    static List<String> consume(String bootstrap, String group, int count) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.USAGE_TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
            // nothing more than expected arrives
            consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
