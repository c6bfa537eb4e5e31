package dev.tokenledger.sink;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Upserts rows into one warehouse. {@link #upsertAll} writes several tables' rows in ONE
 * transaction (the task calls it once per put()): either every row is written or none is, so a
 * crash mid-batch leaves nothing half-written and the replay from the last committed offset
 * rewrites the same keys.
 */
public final class WarehouseWriter implements AutoCloseable {
    private final Connection connection;
    private final Dialect dialect;
    private final int batchSize;

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

    /** Writes every table's rows in one transaction, in JDBC batches of {@code batchSize}; rolls back on any error. */
    public void upsertAll(Map<TableSpec, List<Map<String, Object>>> rowsByTable) throws SQLException {
        connection.setAutoCommit(false);
        try {
            for (Map.Entry<TableSpec, List<Map<String, Object>>> e : rowsByTable.entrySet()) {
                upsert(e.getKey(), e.getValue());
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** Writes one row in its own transaction (used to isolate a bad row after a batch failed). */
    public void upsertOne(TableSpec table, Map<String, Object> row) throws SQLException {
        upsertAll(Map.of(table, List.of(row)));
    }

    private void upsert(TableSpec table, List<Map<String, Object>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
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
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
