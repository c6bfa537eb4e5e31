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
package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds a {@link BudgetGate} wired to Kafka: a {@link CompactedTopicFeed} reading the budget state
 * (read_committed, every partition, from the beginning), a tail of this instance's partition of
 * {@code tokenledger.leases.v1}, a {@link KafkaGateRecordSink} writing lease requests and decisions
 * (idempotent producer), and a thread running {@link BudgetGate#maintain} every 20 ms.
 *
 * <pre>{@code
 * BudgetGate gate = KafkaBudgetGates.builder("127.0.0.1:9092", "http://127.0.0.1:8081").gateId("api-1").connect();
 * gate.awaitReady(Duration.ofSeconds(10));
 * }</pre>
 */
public final class KafkaBudgetGates {
    private KafkaBudgetGates() {
    }

    public static Builder builder(String bootstrapServers, String registryUrl) {
        return new Builder(bootstrapServers, registryUrl);
    }

    /** Options of a Kafka-wired gate. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String registryUrl;
        private String gateId = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        private Duration staleAfter = Duration.ofSeconds(5);
        private Duration reservationTtl = Duration.ofMinutes(10);
        private int queueCapacity = 100_000;
        private BudgetGate.LeaseOptions leaseOptions = BudgetGate.LeaseOptions.defaults();
        private final Map<String, Object> clientOverrides = new HashMap<>();

        private Builder(String bootstrapServers, String registryUrl) {
            this.bootstrapServers = bootstrapServers;
            this.registryUrl = registryUrl;
        }

        public Builder gateId(String id) {
            this.gateId = id;
            return this;
        }

        /** State older than this (no heartbeat) is stale: the budget's stale policy applies. Default 5 s. */
        public Builder staleAfter(Duration d) {
            this.staleAfter = d;
            return this;
        }

        /** TTL written on holds: the enforcer frees a hold never settled after it. Default 10 min. */
        public Builder reservationTtl(Duration d) {
            this.reservationTtl = d;
            return this;
        }

        /** How long a call may wait for a lease answer, the spend horizon a lease is sized for, and when an idle lease goes back. */
        public Builder leases(BudgetGate.LeaseOptions options) {
            this.leaseOptions = options;
            return this;
        }

        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Extra Kafka client settings (SASL/SSL, ...) for both the consumers and the producer. {@link #connect()}
         * refuses, with a {@link org.apache.kafka.common.config.ConfigException} naming the key, a setting that
         * would break what the gate relies on: an idempotent, acks=all producer (lease requests and decisions
         * written once, in order) and read_committed consumers (the enforcer writes budget state and leases in
         * transactions).
         */
        public Builder clientConfig(String key, Object value) {
            clientOverrides.put(key, value);
            return this;
        }

        public BudgetGate connect() {
            GuaranteedSettings.requireIdempotentProducer(clientOverrides, "");
            GuaranteedSettings.requireReadCommittedConsumer(clientOverrides, "");
            final Map<String, Object> registry = Map.of("schema.registry.url", registryUrl);
            final Properties p = new Properties();
            p.putAll(clientOverrides);
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-gate-" + gateId);
            final SpecificAvroSerializer<LeaseRequest> requests = new SpecificAvroSerializer<>(LeaseRequest.class);
            requests.configure(registry, false);
            final SpecificAvroSerializer<BudgetDecision> decisions = new SpecificAvroSerializer<>(BudgetDecision.class);
            decisions.configure(registry, false);
            final Serializer<SpecificRecord> ser = (topic, v) -> v instanceof LeaseRequest r ? requests.serialize(topic, r)
                    : decisions.serialize(topic, (BudgetDecision) v);

            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            final KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), ser);

            final BudgetGate gate = new BudgetGate(gateId, staleAfter, reservationTtl, System::currentTimeMillis, System::nanoTime,
                    new KafkaGateRecordSink(producer, queueCapacity, gateId), leaseOptions);
            final CompactedTopicFeed<Lease> leases = CompactedTopicFeed.tail(bootstrapServers, registryUrl, clientOverrides,
                    Lease.class, Topics.LEASES_TOPIC, gate.instanceId(), (k, v) -> gate.onLease(v), "tokenledger-gate-leases-" + gateId);
            final CompactedTopicFeed<BudgetState> feed = CompactedTopicFeed.start(bootstrapServers, registryUrl, clientOverrides,
                    BudgetState.class, Topics.BUDGET_STATE_TOPIC, gate::onState, "tokenledger-gate-feed-" + gateId);
            final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
                final Thread t = new Thread(r, "tokenledger-gate-renewals-" + gateId);
                t.setDaemon(true);
                return t;
            });
            renewals.scheduleWithFixedDelay(() -> {
                try {
                    gate.maintain();
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(KafkaBudgetGates.class).warn("Lease maintenance of gate {} failed", gateId, e);
                }
            }, 20, 20, TimeUnit.MILLISECONDS);
            gate.attachFeeds(List.of(renewals::shutdownNow, leases, feed));
            return gate;
        }
    }
}
