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

import dev.tokenledger.schemas.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The TokenLedger local stack: a real Apache Kafka broker (KRaft, single node) and a
 * Confluent-compatible schema registry, both in this JVM and on 127.0.0.1 only. Tests, the
 * {@code tokenledger stack} command and the quickstart all start it the same way:
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder().start()) {
 *     stack.createTopics(Topics.ALL, 3);
 *     String bootstrap = stack.bootstrapServers();   // "127.0.0.1:PORT"
 *     String registry = stack.registryUrl();         // "http://127.0.0.1:PORT"
 * }
 * }</pre>
 *
 * Without {@link Builder#dataDir(Path)} the data lives in a temporary directory deleted on
 * {@link #close()}; with it, topics, offsets and registered schemas survive a restart.
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final short REPLICATION_FACTOR = 1;

    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final KafkaBroker broker;
    /** The registry's port: the one asked for, or, for 0, the one it bound first (kept across restarts). */
    private volatile int registryPort;
    private final String registryBasicAuth;
    private SchemaRegistryServer registry;

    private LocalStack(Builder builder) {
        try {
            this.temporaryDataDir = builder.dataDir == null;
            this.dataDir = temporaryDataDir ? Files.createTempDirectory("tokenledger-stack-") : builder.dataDir.toAbsolutePath();
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the stack data directory " + builder.dataDir, e);
        }
        int kafkaPort = builder.kafkaPort == 0 ? freePort() : requireFree("Kafka", builder.kafkaPort, "--kafka-port / kafkaPort");
        this.broker = new KafkaBroker(dataDir.resolve("kafka"), kafkaPort, freePort(), builder.brokerOverrides);
        // 0 is bound as 0 (the OS picks at bind time): a port probed free here could be taken as the ephemeral
        // source port of one of the broker's own client connections before the registry binds it (seen in CI)
        this.registryPort = builder.registryPort == 0 ? 0
                : requireFree("Schema registry", builder.registryPort, "--registry-port / registryPort");
        this.registryBasicAuth = builder.registryBasicAuth;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:PORT} of the broker. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** {@code http://127.0.0.1:PORT} of the schema registry. */
    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates the topics that do not exist yet (one replica each, compaction as the spec says) and
     * waits until the broker reports all of them. Existing topics are left as they are.
     */
    public void createTopics(Collection<TopicSpec> topics, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        List<NewTopic> newTopics = new ArrayList<>();
        for (TopicSpec spec : topics) {
            newTopics.add(spec.newTopic(partitions, REPLICATION_FACTOR));
        }
        createTopics(bootstrapServers(), newTopics, Duration.ofSeconds(60));
    }

    /** Stops the broker and starts it again on the same port and data directory (fault tests). */
    public void restartBroker() {
        stopBroker();
        startBroker();
    }

    /** Stops the broker cleanly; clients see it as down until {@link #startBroker()}. */
    public void stopBroker() {
        broker.stop();
    }

    public void startBroker() {
        broker.start(START_TIMEOUT);
    }

    /** Stops the registry and starts a fresh one on the same port; it reloads every schema from {@code _schemas}. */
    public synchronized void restartRegistry() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        startRegistry();
    }

    private synchronized void startRegistry() {
        registry = SchemaRegistryServer.start(bootstrapServers(), registryPort, registryBasicAuth);
        registryPort = registry.port();
    }

    private void start() {
        try {
            broker.start(START_TIMEOUT);
            startRegistry();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        broker.stop();
        if (temporaryDataDir) {
            deleteRecursively(dataDir);
        }
    }

    static void createTopics(String bootstrapServers, List<NewTopic> topics, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
                if (missing.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics not created within " + timeout.toSeconds() + " s: " + missing);
                }
                boolean brokerNotReady = false;
                Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
                for (NewTopic topic : missing) {
                    try {
                        results.get(topic.name()).get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof InvalidReplicationFactorException) {
                            brokerNotReady = true; // not registered with the controller yet: try again
                        } else if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("Cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                        }
                    }
                }
                if (brokerNotReady) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port on 127.0.0.1", e);
        }
    }

    private static int requireFree(String what, int port, String option) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new IllegalStateException(what + " port " + port + " on 127.0.0.1 is already in use (" + e.getMessage()
                    + "); stop what holds it, or choose another port with " + option + " (0 picks a free one)", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir left behind is harmless
        }
    }

    /** Options of a {@link LocalStack}; every one has a sensible default. */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int registryPort;
        private String registryBasicAuth;
        private final Map<String, String> brokerOverrides = new HashMap<>();

        private Builder() {
        }

        /** Directory that keeps broker data between runs; a temporary one (deleted on close) when not set. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Broker port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = checkPort("kafkaPort", port);
            return this;
        }

        /** Registry port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder registryPort(int port) {
            this.registryPort = checkPort("registryPort", port);
            return this;
        }

        /** Makes the registry require HTTP basic auth with {@code user:password}. */
        public Builder registryBasicAuth(String userInfo) {
            if (userInfo != null && !userInfo.contains(":")) {
                throw new IllegalArgumentException("registryBasicAuth must be user:password, was '" + userInfo + "'");
            }
            this.registryBasicAuth = userInfo;
            return this;
        }

        /** Any broker setting ({@code server.properties} key), e.g. {@code log.retention.ms}. */
        public Builder brokerConfig(String key, String value) {
            brokerOverrides.put(key, value);
            return this;
        }

        /** Starts broker and registry and returns once both serve clients. */
        public LocalStack start() {
            LocalStack stack = new LocalStack(this);
            stack.start();
            return stack;
        }

        private static int checkPort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
            }
            return port;
        }
    }
}
