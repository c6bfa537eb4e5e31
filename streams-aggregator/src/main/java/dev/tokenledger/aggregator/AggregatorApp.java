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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.CatalogAge;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the aggregator: wires {@link AggregatorConfig}, {@link AggregatorTopology} and the
 * {@link KafkaStreams} lifecycle (exactly_once_v2, bounded RocksDB memory, explicit internal names,
 * dead-letter handlers), plus the interactive-query HTTP server; once first RUNNING it warns when the price
 * catalog in force is older than {@code pricing.catalog.max.age.days}. {@link #start} returns once
 * Streams is started (not necessarily RUNNING); {@link #close()} stops both. Used by
 * {@code tokenledger aggregator} and in-process by the quickstart and the tests.
 */
public final class AggregatorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatorApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final SpendHttpServer http;

    private AggregatorApp(KafkaStreams streams, SpendHttpServer http) {
        this.streams = streams;
        this.http = http;
    }

    /**
     * Kafka Streams properties for {@code config}; the pass-through settings ({@code streams.*},
     * {@code producer.*}, {@code consumer.*}) win, except those that would break exactly_once_v2, which
     * {@link AggregatorConfig} refuses.
     */
    public static Properties streamsProperties(AggregatorConfig config, Integer httpPort) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
        p.put(AggregatorConfig.ROCKSDB_CACHE_BYTES_CONFIG, Long.toString(config.rocksDbCacheBytes()));
        p.put(AggregatorConfig.ROCKSDB_WRITE_BUFFER_BYTES_CONFIG, Long.toString(config.rocksDbWriteBufferBytes()));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        // A task reads usage and the usage-rekeyed repartition; sums and first-copy-wins dedup do not depend on the
        // order between the two, so it never waits for an empty one (with the default 0, Kafka Streams formats a
        // "waiting" message for every record while usage-rekeyed is empty: 8 % of the stream thread's CPU, measured).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // One batch per partition and second holds a commit interval's costed records (as the enforcer's).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // One produce request in flight per connection (as the enforcer's): with transactions v2 a pipelined batch can
        // reach the broker ahead of the transaction's first one, which the broker logs as an ERROR
        // (OutOfOrderSequenceException, KAFKA-18202) and the producer retries; 6-16 such ERRORs per benchmark run, none
        // with this, same throughput.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UsageDeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UsageDeadLetterHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put("schema.registry.url", config.schemaRegistryUrl());
        if (httpPort != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.httpAdvertisedHost() + ":" + httpPort);
        }
        p.putAll(config.streamsOverrides());
        return p;
    }

    /** Builds the topology, starts the HTTP server (unless disabled) and Kafka Streams. */
    public static AggregatorApp start(AggregatorConfig config) {
        SpendHttpServer http = null;
        try {
            if (config.httpPort() >= 0) {
                http = new SpendHttpServer(config.httpHost(), config.httpAdvertisedHost(), config.httpPort(), config.httpToken(),
                        config.httpTenantTokens(), new SpendWindows(config.zone())).keepsTailDimensions(config.tailDimensions());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the aggregator HTTP server to " + config.httpHost() + ":"
                    + config.httpPort() + " (set http.port / --http-port to a free port, or -1 to disable)", e);
        }
        Topology topology = AggregatorTopology.build(config, AggregatorSerdes.forConfig(config.registryConfig()));
        Properties props = streamsProperties(config, http == null ? null : http.port());
        // A deployment from before re-pricing has no adjustments topic; Streams would refuse to start without it.
        Topics.ensurePriceAdjustmentsTopic(config.bootstrapServers(), new StreamsConfig(props).getAdminConfigs("tokenledger-aggregator-setup"),
                Duration.ofSeconds(30));
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread died; replacing it (state is restored from the changelogs)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        AtomicBoolean catalogChecked = new AtomicBoolean();
        streams.setStateListener((now, before) -> {
            LOG.info("Aggregator state {} -> {}", before, now);
            // First RUNNING: the global price store is restored, so the catalog in force is known.
            if (now == KafkaStreams.State.RUNNING && catalogChecked.compareAndSet(false, true)) {
                warnIfCatalogOld(streams, config);
            }
        });
        if (http != null) {
            http.attach(streams);
        }
        streams.start();
        return new AggregatorApp(streams, http);
    }

    /**
     * Logs {@link CatalogAge#warning} for the catalog in force (the shipped catalog when configured, the prices
     * topic's entries over it) when it is older than {@code pricing.catalog.max.age.days}.
     */
    static void warnIfCatalogOld(KafkaStreams streams, AggregatorConfig config) {
        CatalogAge.warnIfOld(() -> config.useDefaultCatalog() ? PriceCatalog.loadDefault() : PriceCatalog.empty(),
                () -> PriceStores.entries(streams.store(StoreQueryParameters.fromNameAndType(AggregatorTopology.PRICE_STORE,
                        QueryableStoreTypes.<String, PriceEntry>keyValueStore()))),
                config.catalogMaxAgeDays(), AggregatorConfig.CATALOG_MAX_AGE_DAYS_CONFIG, LOG);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Port of the HTTP server, or -1 when it is disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
    }

    /** Runs until the JVM is asked to stop; config as key=value arguments. */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> props = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            props.put(a.substring(0, eq), a.substring(eq + 1));
        }
        runUntilShutdown(new AggregatorConfig(props));
    }

    /** Starts the app and blocks until a shutdown hook closes it (used by the CLI). */
    public static void runUntilShutdown(AggregatorConfig config) throws InterruptedException {
        AggregatorApp app = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "tokenledger-aggregator-shutdown"));
        LOG.info("Aggregator started: application.id={}, HTTP port {}", config.applicationId(), app.httpPort());
        stopped.await();
    }
}
