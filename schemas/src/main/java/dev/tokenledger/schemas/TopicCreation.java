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

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates a contract topic when it is missing, for the clients (price publisher, re-pricing) that may write first. */
public final class TopicCreation {
    private TopicCreation() {
    }

    /**
     * Creates {@code spec} with {@code partitions} partitions and the brokers' default replication factor when it
     * does not exist. Returns true when it created it.
     */
    public static boolean ensure(String bootstrapServers, Map<String, Object> extraAdminConfig, TopicSpec spec, int partitions,
                                 Duration timeout) {
        final Map<String, Object> props = new HashMap<>(extraAdminConfig);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            if (admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(spec.name())) {
                return false;
            }
            try {
                admin.createTopics(List.of(spec.newTopic(partitions))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw e;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while checking topic " + spec.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Cannot check or create topic " + spec.name() + " at " + bootstrapServers + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }
}
