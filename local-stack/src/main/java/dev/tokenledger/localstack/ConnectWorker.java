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

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A Kafka Connect worker in standalone mode, in this JVM, started the way
 * {@code connect-standalone.sh} starts one ({@link ConnectStandalone#startConnect}). Connectors
 * are taken from the classpath (no {@code plugin.path}); source offsets go to a local file. Its
 * REST API listens on a free loopback port. Needs {@code org.apache.kafka:connect-runtime} on the
 * classpath (an optional dependency of local-stack).
 *
 * <pre>{@code
 * try (ConnectWorker worker = ConnectWorker.start(stack.bootstrapServers(), dir.resolve("offsets"), Map.of())) {
 *     worker.addConnector("warehouse", Map.of("connector.class", "...", "topics", "...", ...));
 * }
 * }</pre>
 */
public final class ConnectWorker implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Connect<StandaloneHerder> connect;

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /**
     * Starts a standalone worker against {@code bootstrapServers}.
     *
     * @param offsetsFile where source-connector offsets are kept ({@code offset.storage.file.filename})
     * @param workerOverrides any worker setting; defaults: String key/value converters,
     *     {@code listeners=http://127.0.0.1:0}, {@code offset.flush.interval.ms=1000}
     */
    public static ConnectWorker start(String bootstrapServers, Path offsetsFile, Map<String, String> workerOverrides) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("offset.storage.file.filename", offsetsFile.toAbsolutePath().toString());
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("rest.advertised.host.name", "127.0.0.1");
        // sink tasks commit consumer offsets on this cadence: keep it short for local runs and tests
        props.put("offset.flush.interval.ms", "1000");
        props.putAll(workerOverrides);

        // startConnect swaps the thread's context class loader and calls Exit on a failed start:
        // give the caller both back and turn a failure into an exception instead of a JVM exit.
        ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka Connect worker failed to start (status " + status + ")"
                    + (message == null ? "" : ": " + message));
        });
        try {
            Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(props);
            return new ConnectWorker(connect);
        } finally {
            Exit.resetExitProcedure();
            Thread.currentThread().setContextClassLoader(callerLoader);
        }
    }

    /** Adds (or replaces) connector {@code name} and waits until it and all its tasks are RUNNING. */
    public ConnectorStateInfo addConnector(String name, Map<String, String> config) {
        return addConnector(name, config, DEFAULT_TIMEOUT);
    }

    public ConnectorStateInfo addConnector(String name, Map<String, String> config, Duration timeout) {
        Map<String, String> withName = new HashMap<>(config);
        withName.put("name", name);
        FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        herder().putConnectorConfig(name, withName, true, created);
        try {
            created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("Connector " + name + " was refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Connector " + name + " was not created within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted creating connector " + name, e);
        }
        return awaitRunning(name, timeout);
    }

    /** Waits until connector {@code name} and at least one task, all of them, are RUNNING; fails fast on FAILED. */
    public ConnectorStateInfo awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ConnectorStateInfo last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = herder().connectorStatus(name);
            } catch (NotFoundException e) {
                last = null;
            }
            if (last != null) {
                failIfFailed(name, last);
                List<ConnectorStateInfo.TaskState> tasks = last.tasks();
                if ("RUNNING".equals(last.connector().state()) && !tasks.isEmpty()
                        && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()))) {
                    return last;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for connector " + name, e);
            }
        }
        throw new IllegalStateException("Connector " + name + " and its tasks were not RUNNING within "
                + timeout.toSeconds() + " s; last status: " + last);
    }

    /** Status of connector {@code name} and its tasks as the worker reports it (states, traces). */
    public ConnectorStateInfo connectorStatus(String name) {
        return herder().connectorStatus(name);
    }

    /** Removes connector {@code name} and stops its tasks. */
    public void deleteConnector(String name) {
        FutureCallback<Herder.Created<ConnectorInfo>> deleted = new FutureCallback<>();
        herder().deleteConnectorConfig(name, deleted);
        try {
            deleted.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot delete connector " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Connector " + name + " not deleted within " + DEFAULT_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted deleting connector " + name, e);
        }
    }

    /** Base URL of the worker's Connect REST API, e.g. {@code http://127.0.0.1:PORT/}. */
    public URI restUrl() {
        return connect.rest().advertisedUrl();
    }

    private StandaloneHerder herder() {
        return connect.herder();
    }

    private static void failIfFailed(String name, ConnectorStateInfo status) {
        if ("FAILED".equals(status.connector().state())) {
            throw new IllegalStateException("Connector " + name + " FAILED: " + status.connector().trace());
        }
        for (ConnectorStateInfo.TaskState task : status.tasks()) {
            if ("FAILED".equals(task.state())) {
                throw new IllegalStateException("Task " + task.id() + " of connector " + name + " FAILED: " + task.trace());
            }
        }
    }

    /** Stops every connector and the worker. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
