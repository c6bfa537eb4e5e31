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

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Upserts rows into one warehouse. {@link #upsertAll} writes several tables' rows in ONE
 * transaction (the task calls it once per put()): either every row is written or none is, so a
 * crash mid-batch leaves nothing half-written and the replay from the last committed offset
 * rewrites the same keys.
 */
public final class WarehouseWriter implements AutoCloseable {
    private static final Object DUCKDB_WRITES = new Object();
    private final Connection connection;
    private final Dialect dialect;
    private final int batchSize;
    private final java.util.Set<String> stagedTables = new java.util.HashSet<>();
    /** Whether usage_adjustments exists (checked once: a warehouse created without it has nothing to apply). */
    private Boolean adjustmentsTable;
    /** Whether usage_daily exists (a warehouse written without auto.create may lack it: nothing to keep). */
    private Boolean dailyTable;

    public WarehouseWriter(Connection connection, Dialect dialect, int batchSize) {
        this.connection = connection;
        this.dialect = dialect;
        this.batchSize = batchSize;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Writes every table's rows in one transaction, in batches of {@code batchSize} (PostgreSQL) or one
     * staged INSERT ... SELECT per table (DuckDB); rolls back on any error. Keys must be distinct per table.
     */
    public void upsertAll(Map<TableSpec, List<Map<String, Object>>> rowsByTable) throws SQLException {
        if (dialect == Dialect.DUCKDB) {
            // DuckDB has one writer process; two sink tasks' transactions adding to the same usage_daily rows would
            // conflict at commit (a write-write conflict ends the transaction), so this process writes one at a time.
            synchronized (DUCKDB_WRITES) {
                upsertInTransaction(rowsByTable);
            }
        } else {
            upsertInTransaction(rowsByTable);
        }
    }

    private void upsertInTransaction(Map<TableSpec, List<Map<String, Object>>> rowsByTable) throws SQLException {
        connection.setAutoCommit(false);
        try {
            // usage_daily moves by what this write changes in usage_log: its touched rows before, and after (adjustments applied)
            java.util.Set<String> touched = dailyTable() ? AdjustmentTrail.eventIds(rowsByTable) : java.util.Set.of();
            if (!touched.isEmpty()) {
                DailyRollup.begin(connection);
                DailyRollup.snapshot(connection, dialect, touched, true);
            }
            for (Map.Entry<TableSpec, List<Map<String, Object>>> e : rowsByTable.entrySet()) {
                upsert(e.getKey(), e.getValue());
            }
            if (adjustmentsTable()) {
                AdjustmentTrail.applyLatest(connection, AdjustmentTrail.eventIds(rowsByTable));
            }
            if (!touched.isEmpty()) {
                DailyRollup.snapshot(connection, dialect, touched, false);
                DailyRollup.apply(connection);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            stagedTables.clear(); // a staging table created in the rolled-back transaction is gone
            throw e;
        }
    }

    private boolean dailyTable() throws SQLException {
        if (dailyTable == null) {
            dailyTable = !Warehouse.existingColumns(connection, DailyRollup.USAGE_DAILY).isEmpty();
        }
        return dailyTable;
    }

    private boolean adjustmentsTable() throws SQLException {
        if (adjustmentsTable == null) {
            adjustmentsTable = !Warehouse.existingColumns(connection, WarehouseTables.USAGE_ADJUSTMENTS).isEmpty();
        }
        return adjustmentsTable;
    }

    /** Writes one row in its own transaction (used to isolate a bad row after a batch failed). */
    public void upsertOne(TableSpec table, Map<String, Object> row) throws SQLException {
        upsertAll(Map.of(table, List.of(row)));
    }

    private void upsert(TableSpec table, List<Map<String, Object>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (dialect == Dialect.DUCKDB) {
            upsertThroughStage(table, rows);
        } else {
            upsertBatched(table, rows);
        }
    }

    /** PostgreSQL: single-row upserts sent as JDBC batches (the driver pipelines them). */
    private void upsertBatched(TableSpec table, List<Map<String, Object>> rows) throws SQLException {
        List<Column> columns = table.columns();
        try (PreparedStatement ps = connection.prepareStatement(dialect.upsertSql(table))) {
            int pending = 0;
            for (Map<String, Object> row : rows) {
                for (int i = 0; i < columns.size(); i++) {
                    bind(ps, i + 1, columns.get(i), row.get(columns.get(i).name()));
                }
                ps.addBatch();
                if (++pending == batchSize) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * DuckDB executes a batch of prepared statements one by one, at milliseconds each on a wide
     * table. Instead the rows go through the Appender into a per-connection TEMP staging table, then
     * one {@code INSERT ... SELECT ... ON CONFLICT DO UPDATE} moves them, inside the same transaction.
     */
    private void upsertThroughStage(TableSpec table, List<Map<String, Object>> rows) throws SQLException {
        String stage = "tl_stage_" + table.name();
        String columns = String.join(", ", table.columnNames());
        if (stagedTables.add(table.name())) {
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE OR REPLACE TEMP TABLE " + stage + " AS SELECT " + columns + " FROM " + table.name() + " LIMIT 0");
            }
        }
        try (Statement st = connection.createStatement()) {
            st.execute("DELETE FROM " + stage);
        }
        DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
        try (DuckDBAppender appender = duck.createAppender("temp", "main", stage)) {
            for (Map<String, Object> row : rows) {
                appender.beginRow();
                for (Column column : table.columns()) {
                    append(appender, column, row.get(column.name()));
                }
                appender.endRow();
            }
        }
        try (Statement st = connection.createStatement()) {
            st.executeUpdate(dialect.upsertFromSql(table, stage));
        }
    }

    private static void append(DuckDBAppender appender, Column column, Object value) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        switch (column.type()) {
            case TEXT -> appender.append(value.toString());
            case INTEGER -> appender.append(((Number) value).intValue());
            case BIGINT -> appender.append(((Number) value).longValue());
            case BOOLEAN -> appender.append(((Boolean) value).booleanValue());
            case MONEY -> appender.append(((BigDecimal) value).setScale(12, java.math.RoundingMode.UNNECESSARY));
            case RATIO -> appender.append(((BigDecimal) value).setScale(4, java.math.RoundingMode.HALF_EVEN));
            case TIMESTAMPTZ -> appender.append((OffsetDateTime) value);
            case DATE -> appender.append((LocalDate) value);
        }
    }

    static void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, column.type().jdbcType());
            return;
        }
        switch (column.type()) {
            case TEXT -> ps.setString(index, value.toString());
            case INTEGER -> ps.setInt(index, ((Number) value).intValue());
            case BIGINT -> ps.setLong(index, ((Number) value).longValue());
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case MONEY, RATIO -> ps.setBigDecimal(index, (BigDecimal) value);
            case TIMESTAMPTZ -> ps.setObject(index, (OffsetDateTime) value);
            case DATE -> ps.setObject(index, (LocalDate) value);
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
            // The transaction is already gone (DuckDB ends one whose commit failed): leave the connection in a clean
            // state, so the next write begins a transaction of its own instead of failing "no transaction is active".
            try {
                connection.setAutoCommit(true);
            } catch (SQLException reset) {
                cause.addSuppressed(reset);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
