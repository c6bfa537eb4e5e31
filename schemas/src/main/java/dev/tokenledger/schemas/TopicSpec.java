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
package dev.tokenledger.schemas;

import dev.tokenledger.schemas.config.ReplicationFactor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A topic of the TokenLedger contract: its name, the Java types of key and value (a
 * {@code String} key is written as UTF-8 bytes, an Avro key in the Confluent wire format), whether it is
 * compacted, and the topic configs its contract depends on besides the cleanup policy (for example a
 * retention the consumers' deduplication relies on).
 */
public record TopicSpec(String name, Class<?> keyType, Class<?> valueType, boolean compacted, String doc,
                        Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** A topic that needs no config besides its cleanup policy. */
    public TopicSpec(String name, Class<?> keyType, Class<?> valueType, boolean compacted, String doc) {
        this(name, keyType, valueType, compacted, doc, Map.of());
    }

    /** Every config a new topic is created with: the cleanup policy when compacted, then {@link #configs()}. */
    public Map<String, String> creationConfigs() {
        Map<String, String> all = new TreeMap<>(configs);
        if (compacted) {
            all.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return all;
    }

    /** Subject of the value schema under Confluent's TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /** Subject of the key schema under Confluent's TopicNameStrategy. */
    public String keySubject() {
        return name + "-key";
    }

    /** The topic with the brokers' {@code default.replication.factor}. */
    public NewTopic newTopic(int partitions) {
        return newTopic(partitions, (short) ReplicationFactor.BROKER_DEFAULT);
    }

    /** The topic with {@code replicationFactor} replicas; -1 for the brokers' default. */
    public NewTopic newTopic(int partitions, short replicationFactor) {
        NewTopic topic = new NewTopic(name, Optional.of(partitions), ReplicationFactor.forNewTopic(replicationFactor));
        return topic.configs(new HashMap<>(creationConfigs()));
    }

    /**
     * Creates the topic when it does not exist yet ({@code partitions}, the brokers' default replication, the
     * {@linkplain #creationConfigs() configs} of the spec); a topic that exists, or that another client creates
     * meanwhile, is left as it is. Returns true when this call created it; KafkaException naming the topic and the
     * brokers when they cannot be asked in time.
     */
    public boolean ensureExists(String bootstrapServers, Map<String, Object> extraAdminConfig, int partitions, Duration timeout) {
        return ensureExists(bootstrapServers, extraAdminConfig, timeout, (admin, existing) -> partitions);
    }

    /**
     * As {@link #ensureExists(String, Map, int, Duration)}, created with as many partitions as the first of
     * {@code models} that exists: for a topic keyed like another, so a key lands on the same partition number in both.
     * KafkaException naming the models when none exists.
     */
    public boolean ensureExistsPartitionedLike(List<TopicSpec> models, String bootstrapServers, Map<String, Object> extraAdminConfig,
                                               Duration timeout) {
        return ensureExists(bootstrapServers, extraAdminConfig, timeout, (admin, existing) -> {
            for (TopicSpec model : models) {
                if (existing.contains(model.name())) {
                    return admin.describeTopics(List.of(model.name())).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .get(model.name()).partitions().size();
                }
            }
            throw new KafkaException("Cannot create topic " + name + ": it takes its partition count from "
                    + models.stream().map(TopicSpec::name).toList() + ", and none of them exists at " + bootstrapServers
                    + " (create the TokenLedger topics first: tokenledger quickstart or docker/create-topics.sh)");
        });
    }

    /** How many partitions a topic about to be created gets, given the topics that exist. */
    @FunctionalInterface
    private interface PartitionCount {
        int of(Admin admin, Set<String> existing) throws ExecutionException, InterruptedException, TimeoutException;
    }

    private boolean ensureExists(String bootstrapServers, Map<String, Object> extraAdminConfig, Duration timeout, PartitionCount count) {
        Map<String, Object> props = new HashMap<>(extraAdminConfig);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (existing.contains(name)) {
                return false;
            }
            try {
                admin.createTopics(List.of(newTopic(count.of(admin, existing)))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw e;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while checking topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Cannot check or create topic " + name + " at " + bootstrapServers + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }
}
