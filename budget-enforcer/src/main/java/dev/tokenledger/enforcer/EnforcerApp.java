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
package dev.tokenledger.enforcer;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.CatalogAge;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.ReplicationFactor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the budget enforcer ({@link EnforcerTopology}): wires config, topology and the KafkaStreams
 * lifecycle. In-process use (quickstart, tests): {@code try (var app = EnforcerApp.start(config)) {...}}.
 */
public final class EnforcerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcerApp.class);
    private final KafkaStreams streams;

    private EnforcerApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Builds and starts the app; returns at once (state RUNNING shortly after). */
    public static EnforcerApp start(EnforcerConfig config) {
        ensureLeaseRequestsTopic(config);
        // A deployment from before re-pricing has no adjustments topic; Streams would refuse to start without it.
        Topics.ensurePriceAdjustmentsTopic(config.getString(EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG), config.adminConfig(),
                Duration.ofSeconds(30));
        final Topology topology = EnforcerTopology.build(config.topologyOptions(), EnforcerSerdes.create(config.registryConfig()));
        final KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Enforcer stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        final AtomicBoolean catalogChecked = new AtomicBoolean();
        streams.setStateListener((now, before) -> {
            // First RUNNING: the global price store is restored, so the catalog in force is known.
            if (now == KafkaStreams.State.RUNNING && catalogChecked.compareAndSet(false, true)) {
                warnIfCatalogOld(streams, config);
            }
        });
        streams.start();
        return new EnforcerApp(streams);
    }

    /** Logs {@link CatalogAge#warning} when the catalog the enforcer charges with is older than pricing.catalog.max.age.days. */
    static void warnIfCatalogOld(KafkaStreams streams, EnforcerConfig config) {
        CatalogAge.warnIfOld(() -> config.useDefaultCatalog() ? PriceCatalog.loadDefault() : PriceCatalog.empty(),
                () -> UsageAdmission.entries(streams.store(StoreQueryParameters.fromNameAndType(EnforcerTopology.PRICES_STORE,
                        QueryableStoreTypes.<String, PriceEntry>keyValueStore()))),
                config.catalogMaxAgeDays(), EnforcerConfig.CATALOG_MAX_AGE_DAYS_CONFIG, LOG);
    }

    /**
     * The lease-request topic is read straight into the accounting step, next to the by-scope
     * repartition topic, so it must have exactly {@code scope.partitions} partitions (a request must
     * reach the task that owns its scope). Creates it if missing (replication.factor, by default the
     * brokers' default); refuses to start on a mismatch.
     */
    static void ensureLeaseRequestsTopic(EnforcerConfig config) {
        final int want = config.getInt(EnforcerConfig.SCOPE_PARTITIONS_CONFIG);
        try (Admin admin = Admin.create(config.adminConfig())) {
            final String topic = Topics.LEASE_REQUESTS_TOPIC;
            final int have;
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                have = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            } else {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(want),
                            ReplicationFactor.forNewTopic(config.replicationFactor())))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                have = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            }
            if (have != want) {
                throw new ConfigException(EnforcerConfig.SCOPE_PARTITIONS_CONFIG, want, "must equal the partition count of " + topic
                        + " (" + have + "): lease requests are read straight into the accounting step of their scope");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking " + Topics.LEASE_REQUESTS_TOPIC, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot check or create " + Topics.LEASE_REQUESTS_TOPIC + ": " + e.getMessage(), e);
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        // Leave the group so a restarted instance gets the tasks at once, not after session.timeout.ms.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    /** {@code java ... EnforcerApp enforcer.properties}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        final Properties props = new Properties();
        if (args.length > 0) {
            try (InputStream in = new FileInputStream(args[0])) {
                props.load(in);
            }
        }
        final Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), v));
        final CountDownLatch stopped = new CountDownLatch(1);
        final EnforcerApp app = start(new EnforcerConfig(m));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "enforcer-shutdown"));
        stopped.await();
    }
}
