package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.schemas.Topics;
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
 * (read_committed, every partition, from the beginning) and a {@link KafkaGateRecordSink} writing
 * holds and decisions (idempotent producer).
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

        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /** Extra Kafka client settings (SASL/SSL, ...) for both the consumer and the producer. */
        public Builder clientConfig(String key, Object value) {
            clientOverrides.put(key, value);
            return this;
        }

        public BudgetGate connect() {
            final Map<String, Object> registry = Map.of("schema.registry.url", registryUrl);
            final Properties p = new Properties();
            p.putAll(clientOverrides);
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-gate-" + gateId);
            final SpecificAvroSerializer<Reservation> reservations = new SpecificAvroSerializer<>(Reservation.class);
            reservations.configure(registry, false);
            final SpecificAvroSerializer<BudgetDecision> decisions = new SpecificAvroSerializer<>(BudgetDecision.class);
            decisions.configure(registry, false);
            final Serializer<SpecificRecord> ser = (topic, v) -> v instanceof Reservation r ? reservations.serialize(topic, r)
                    : decisions.serialize(topic, (BudgetDecision) v);
            final KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), ser);

            final BudgetGate gate = new BudgetGate(gateId, staleAfter, reservationTtl, System::currentTimeMillis,
                    new KafkaGateRecordSink(producer, queueCapacity, gateId));
            final CompactedTopicFeed<BudgetState> feed = CompactedTopicFeed.start(bootstrapServers, registryUrl, clientOverrides,
                    BudgetState.class, Topics.BUDGET_STATE_TOPIC, gate::onState, "tokenledger-gate-feed-" + gateId);
            gate.attachFeed(feed);
            return gate;
        }
    }
}
