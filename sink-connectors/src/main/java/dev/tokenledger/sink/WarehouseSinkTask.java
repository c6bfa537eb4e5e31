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
package dev.tokenledger.sink;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one put() worth of records in one transaction. Records are decoded and mapped first; a
 * record that cannot be decoded goes straight to the {@link ErrantRecordReporter} (dead-letter
 * topic). Within a put() the last record per key wins (a running total or a re-sent event). If the
 * transaction fails with a non-transient error, the rows are retried one by one so the bad row is
 * isolated and reported and every good row is still written. Transient errors (lost connection,
 * serialization failure, timeout) roll back, reopen the connection and ask Connect to redeliver
 * the batch after {@code retry.backoff.ms}, at most {@code max.retries} times in a row; then the task
 * fails with the cause. Offsets are committed by Connect only after put() returned, so a crash
 * mid-batch replays it and the upserts rewrite the same keys.
 */
public final class WarehouseSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSinkTask.class);

    private WarehouseSinkConfig config;
    private Map<String, TopicRoute> routes;
    private WarehouseWriter writer;
    private ErrantRecordReporter reporter;
    private Retry writeRetry;
    private Retry.Streak writeFailures;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new WarehouseSinkConfig(props);
        routes = TopicRoute.routes(config);
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null; // worker older than Kafka 2.6
        }
        // Connect re-runs put() after context.timeout(): the streak only counts the failures in a row.
        writeRetry = new Retry("Warehouse write", WarehouseSinkConfig.MAX_RETRIES_CONFIG + "=" + config.maxRetries(),
                config.maxRetries(), Retry.Backoff.fixed(Duration.ofMillis(config.retryBackoffMs())),
                e -> e instanceof SQLException sql && isTransient(sql), Retry.Sleeper.THREAD);
        writeFailures = writeRetry.streak();
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<TableSpec, Map<List<Object>, Pending>> pending = new LinkedHashMap<>();
        for (SinkRecord record : records) {
            if (record.value() == null) {
                continue; // tombstone on a compacted topic: nothing to write
            }
            TopicRoute route = routes.get(record.topic());
            if (route == null) {
                report(record, new DataException("No warehouse table for topic '" + record.topic() + "': expected one of "
                        + routes.keySet()));
                continue;
            }
            Map<String, Object> row;
            try {
                row = route.toRow(record);
            } catch (RuntimeException e) {
                report(record, e);
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (String k : route.table().keyColumns()) {
                key.add(row.get(k));
            }
            pending.computeIfAbsent(route.table(), t -> new LinkedHashMap<>()).put(key, new Pending(row, record));
        }
        if (pending.isEmpty()) {
            return;
        }
        Map<TableSpec, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        pending.forEach((table, byKey) -> rows.put(table, byKey.values().stream().map(Pending::row).toList()));
        try {
            writer().upsertAll(rows);
        } catch (SQLException e) {
            if (writeRetry.retriable(e)) {
                retryLater(e);
            }
            LOG.warn("Batch of {} rows failed ({}); writing row by row to isolate the bad one", records.size(), e.getMessage());
            writeOneByOne(pending);
        }
        writeFailures.succeeded();
    }

    private void writeOneByOne(Map<TableSpec, Map<List<Object>, Pending>> pending) {
        for (Map.Entry<TableSpec, Map<List<Object>, Pending>> e : pending.entrySet()) {
            for (Pending p : e.getValue().values()) {
                try {
                    writer().upsertOne(e.getKey(), p.row());
                } catch (SQLException ex) {
                    if (writeRetry.retriable(ex)) {
                        retryLater(ex);
                    }
                    report(p.record(), new DataException("Cannot write to " + e.getKey().name() + ": " + ex.getMessage(), ex));
                }
            }
        }
    }

    private void report(SinkRecord record, Throwable reason) {
        if (reporter == null) {
            throw new ConnectException("Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                    + " cannot be written and no dead-letter queue is configured (set errors.tolerance=all and "
                    + "errors.deadletterqueue.topic.name): " + reason.getMessage(), reason);
        }
        LOG.warn("Sending {}-{}@{} to the dead-letter queue: {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(),
                reason.getMessage());
        reporter.report(record, reason);
    }

    /** Asks Connect to redeliver the batch after the backoff, or fails the task once max.retries is spent. */
    private void retryLater(SQLException e) {
        closeWriter();
        Duration wait;
        try {
            wait = writeFailures.failed(e);
        } catch (Retry.GaveUpException gaveUp) {
            throw new ConnectException(gaveUp.getMessage(), e);
        }
        int retry = writeFailures.failures();
        LOG.warn("Transient warehouse error (retry {}/{} in {} ms): {}", retry, config.maxRetries(), wait.toMillis(), e.getMessage());
        context.timeout(wait.toMillis());
        throw new RetriableException("Transient warehouse error, retry " + retry + "/" + config.maxRetries() + ": " + e.getMessage(), e);
    }

    /** Lost connections, timeouts, serialization failures, deadlocks, server shutting down or out of resources. */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            // DuckDB: optimistic concurrency between two tasks on one file surfaces as a TransactionContext conflict.
            if (t instanceof SQLException sql && sql.getMessage() != null && sql.getMessage().contains("TransactionContext Error")
                    && sql.getMessage().contains("onflict")) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.startsWith("53")
                        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private WarehouseWriter writer() throws SQLException {
        if (writer == null) {
            try {
                writer = new WarehouseWriter(Warehouse.connect(config.connectionUrl(), config.connectionUser(),
                        config.connectionPassword()), config.dialect(), config.batchSize());
            } catch (SQLException e) {
                // Cannot even connect: treat as transient up to max.retries.
                retryLater(new SQLTransientConnectionExceptionWrapper(e));
            }
        }
        return writer;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // put() commits synchronously, so everything handed to put() so far is durable.
        return currentOffsets;
    }

    @Override
    public void stop() {
        closeWriter();
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                LOG.debug("Ignoring error closing the warehouse connection", e);
            }
            writer = null;
        }
    }

    private record Pending(Map<String, Object> row, SinkRecord record) {
    }

    /** Marks a failure to connect as transient while keeping the driver's message and state. */
    static final class SQLTransientConnectionExceptionWrapper extends java.sql.SQLTransientConnectionException {
        SQLTransientConnectionExceptionWrapper(SQLException cause) {
            super("Cannot connect to the warehouse: " + cause.getMessage(), cause.getSQLState(), cause);
        }
    }
}
