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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.CompactedTopics;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * "A price was wrong in the past: what did that usage really cost?" Re-prices the costed usage of
 * [from, to) by occurred_at with the current catalog (the shipped catalog under the prices topic, as the
 * Streams apps price) and publishes one {@link PriceAdjustment} per event whose cost changes to
 * {@value Topics#PRICE_ADJUSTMENTS_TOPIC}, in exactly-once transactions of at most {@code batchSize} records, each
 * committed at the latest {@link BatchDeadline#MAX_OPEN} after it opened (however few events change, so the broker
 * never aborts one at its transaction timeout).
 *
 * <p>Reads {@value Topics#USAGE_COSTED_TOPIC} from the first offset whose timestamp is at or after
 * {@code from} to its end (late events of the range come after it) and the adjustments already committed,
 * so an event's current cost is its first price plus its earlier deltas. Run again, or after a kill,
 * it starts from what was committed: events already adjusted are unchanged, and an adjustment that did
 * make it through a racing run has the same deterministic id, which every consumer applies once. One
 * transactional id for every run: a new run fences a zombie and aborts its open transaction.
 */
public final class RepriceJob {
    /** transactional.id of every re-pricing run. */
    public static final String TRANSACTIONAL_ID = "tokenledger-reprice";

    /**
     * What to re-price, how, and the audit fields; {@code defaultCatalog}: the shipped catalog under the prices topic;
     * {@code windowGrace} and {@code zone}: the aggregator's window.grace.ms and time.zone (and the budgets' zone), only to
     * report which adjustments fall in windows already closed or periods already over ({@link RepriceReach}).
     */
    public record Options(Instant from, Instant to, boolean dryRun, int batchSize, String reason, String by,
                          boolean defaultCatalog, Duration timeout, Duration windowGrace, ZoneId zone) {
        /** The aggregator's default window.grace.ms. */
        public static final Duration DEFAULT_WINDOW_GRACE = Duration.ofHours(72);

        /** With the aggregator's default grace (72 h) and UTC. */
        public Options(Instant from, Instant to, boolean dryRun, int batchSize, String reason, String by, boolean defaultCatalog,
                       Duration timeout) {
            this(from, to, dryRun, batchSize, reason, by, defaultCatalog, timeout, DEFAULT_WINDOW_GRACE, ZoneOffset.UTC);
        }

        public Options {
            if (windowGrace == null || windowGrace.isNegative()) {
                throw new IllegalArgumentException("--window-grace-ms must be zero or more, got " + (windowGrace == null ? null : windowGrace.toMillis()));
            }
            if (from == null || to == null || !from.isBefore(to)) {
                throw new IllegalArgumentException("--from (" + from + ") must be before --to (" + to + ")");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
            }
            if (by == null || by.isBlank()) {
                throw new IllegalArgumentException("--by must name who runs the re-pricing, got '" + by + "'");
            }
        }
    }

    /** Test and progress seam: called after a batch was sent and before its transaction commits. */
    @FunctionalInterface
    public interface BatchListener {
        void beforeCommit(int batch, int records);
    }

    private final String bootstrap;
    private final String registry;
    private final Map<String, Object> extra;

    /**
     * @param extraClientConfig Kafka client security settings (SASL/SSL) and registry settings, given to every
     *     client; a setting that would break the idempotent producer is refused
     */
    public RepriceJob(String bootstrapServers, String registryUrl, Map<String, Object> extraClientConfig) {
        GuaranteedSettings.requireIdempotentProducer(extraClientConfig, "");
        this.bootstrap = bootstrapServers;
        this.registry = registryUrl;
        this.extra = Map.copyOf(extraClientConfig);
    }

    public RepriceSummary run(Options options) {
        return run(options, (batch, records) -> { });
    }

    public RepriceSummary run(Options options, BatchListener listener) {
        final PriceCatalog catalog = currentCatalog(options);
        final Map<String, PriceAdjustment> latest = adjustmentsByEvent(options.timeout());
        final Instant started = Instant.now();
        final RepriceSummary summary = new RepriceSummary(options.from(), options.to(), options.dryRun(),
                new RepriceReach(started, options.windowGrace(), options.zone()));
        final RepriceRule.Audit audit = new RepriceRule.Audit(options.reason(),
                "reprice " + options.from() + ".." + options.to() + " @" + started, started, options.by());
        try (Batches batches = options.dryRun() ? null : new Batches(options.batchSize(), listener, summary);
             KafkaConsumer<String, CostedUsage> consumer = consumer(CostedUsage.class)) {
            final Set<String> seen = new HashSet<>();
            CompactedTopics.scanToEnd(consumer, Topics.USAGE_COSTED_TOPIC, options.from(), options.timeout(), r -> {
                if (batches != null) {
                    batches.commitIfDue();
                }
                final CostedUsage costed = r.value();
                if (costed == null) {
                    return;
                }
                final UsageEvent e = costed.getEvent();
                final boolean inRange = !e.getOccurredAt().isBefore(options.from()) && e.getOccurredAt().isBefore(options.to());
                summary.read(inRange);
                if (!inRange) {
                    return;
                }
                // No validation: a costed event passed the aggregator's validator, under its own limits, when first priced.
                final PriceAdjustment known = latest.get(e.getEventId());
                final CostState current = known != null ? CostState.after(known) : CostState.of(costed);
                final Optional<PriceAdjustment> adjustment = RepriceRule.adjust(e, current, catalog, audit);
                // A duplicate of the event on the topic gives the same id: counted and sent once.
                if (adjustment.isEmpty() || !seen.add(adjustment.get().getAdjustmentId())) {
                    return;
                }
                summary.changed(adjustment.get());
                if (batches != null) {
                    batches.add(adjustment.get());
                }
            });
            if (batches != null) {
                batches.commit();
            }
        }
        return summary;
    }

    /** The catalog the Streams apps price with: the shipped catalog (when asked) overlaid with the prices topic. */
    PriceCatalog currentCatalog(Options options) {
        final PriceCatalog topic = PriceCatalogReader.read(bootstrap, registry, extra, options.timeout());
        return new PriceCatalogHolder(options.defaultCatalog() ? PriceCatalog::loadDefault : PriceCatalog::empty)
                .current(topic::entries);
    }

    /** The latest committed adjustment of every event (the topic is keyed by event_id, so the last one per key). */
    Map<String, PriceAdjustment> adjustmentsByEvent(Duration timeout) {
        try (KafkaConsumer<String, PriceAdjustment> consumer = consumer(PriceAdjustment.class)) {
            return CompactedTopics.readToEnd(consumer, Topics.PRICE_ADJUSTMENTS_TOPIC, timeout, true);
        }
    }

    private <V extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, V> consumer(Class<V> type) {
        final Map<String, Object> props = new HashMap<>(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tokenledger-reprice");
        final SpecificAvroSerde<V> serde = SpecificAvroSerde.create(type, serdeConfig(), false);
        return new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
    }

    private Map<String, Object> serdeConfig() {
        final Map<String, Object> serde = new HashMap<>(extra);
        serde.put("schema.registry.url", registry);
        return serde;
    }

    /** The transactional producer's batches: a transaction commits when full or when open for {@link BatchDeadline#MAX_OPEN}. */
    private final class Batches implements AutoCloseable {
        private final BatchDeadline deadline;
        private final BatchListener listener;
        private final RepriceSummary summary;
        private final Producer<String, PriceAdjustment> producer;
        private final List<PriceAdjustment> open = new ArrayList<>();
        private int batch;

        Batches(int size, BatchListener listener, RepriceSummary summary) {
            this.deadline = new BatchDeadline(size);
            this.listener = listener;
            this.summary = summary;
            Topics.ensurePriceAdjustmentsTopic(bootstrap, extra, Duration.ofSeconds(30));
            final Map<String, Object> props = new HashMap<>(extra);
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
            props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tokenledger-reprice");
            props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
            // Said out loud: BatchDeadline.MAX_OPEN keeps every transaction well inside it.
            props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
            // One batch in flight per partition, as the enforcer does: transactions v2 otherwise answer out-of-order
            // sequence errors under load (the producer retries them, at a cost).
            props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            final SpecificAvroSerde<PriceAdjustment> serde = SpecificAvroSerde.create(PriceAdjustment.class, serdeConfig(), false);
            this.producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
            producer.initTransactions();
        }

        void add(PriceAdjustment a) {
            if (open.isEmpty()) {
                producer.beginTransaction();
            }
            producer.send(new ProducerRecord<>(Topics.PRICE_ADJUSTMENTS_TOPIC, a.getEvent().getEventId(), a));
            open.add(a);
            deadline.added();
            commitIfDue();
        }

        void commitIfDue() {
            if (deadline.due()) {
                commit();
            }
        }

        void commit() {
            if (open.isEmpty()) {
                return;
            }
            batch++;
            producer.flush();
            listener.beforeCommit(batch, open.size());
            producer.commitTransaction();
            summary.committed(open.size());
            open.clear();
            deadline.committed();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
