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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the warehouse and keeps its schema current: creates missing tables (with their primary
 * keys) and indexes, adds columns a newer TokenLedger version introduced (ALTER TABLE ADD COLUMN;
 * columns are never dropped or retyped), and recreates the analyst views. Used by the connector,
 * {@code tokenledger warehouse init} and the loaders.
 */
public final class Warehouse {
    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

    private Warehouse() {
    }

    /** A connection for a JDBC URL (jdbc:duckdb:FILE or jdbc:postgresql://...), user/password optional. */
    public static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        Dialect.fromUrl(jdbcUrl);
        Properties props = new Properties();
        if (user != null && !user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        // Load the drivers explicitly: Connect plugin class loaders do not always run ServiceLoader for java.sql.
        try {
            Class.forName(Dialect.fromUrl(jdbcUrl) == Dialect.DUCKDB ? "org.duckdb.DuckDBDriver" : "org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new SQLException("JDBC driver for " + Dialect.redact(jdbcUrl) + " is not on the classpath", e);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** Creates or migrates every table, its indexes, and (when {@code views}) the analyst views. */
    public static void init(Connection connection, Dialect dialect, boolean views) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            for (TableSpec table : WarehouseTables.ALL) {
                ensureTable(connection, dialect, table);
            }
            int rebuilt = DailyRollup.rebuildIfEmpty(connection, dialect);
            if (rebuilt > 0) {
                LOG.info("Rebuilt {} from {}: {} rows", DailyRollup.USAGE_DAILY, WarehouseTables.USAGE_LOG, rebuilt);
            }
            if (views) {
                createViews(connection, dialect);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Creates the table if missing, then adds any column the spec has and the table lacks. Returns the columns added. */
    public static List<String> ensureTable(Connection connection, Dialect dialect, TableSpec table) throws SQLException {
        execute(connection, dialect.createTableSql(table));
        Set<String> existing = existingColumns(connection, table.name());
        List<String> added = new ArrayList<>();
        for (Column column : table.columns()) {
            if (!existing.contains(column.name())) {
                execute(connection, dialect.addColumnSql(table, column));
                added.add(column.name());
            }
        }
        if (!added.isEmpty()) {
            LOG.info("Migrated table {}: added columns {}", table.name(), added);
        }
        for (String sql : dialect.indexSql(table, WarehouseTables.INDEXES.getOrDefault(table.name(), List.of()))) {
            execute(connection, sql);
        }
        return added;
    }

    /** Drops and recreates every view (views are derived; recreating picks up new columns). */
    public static void createViews(Connection connection, Dialect dialect) throws SQLException {
        for (WarehouseViews.View view : WarehouseViews.ALL) {
            execute(connection, view.dropSql(dialect));
            execute(connection, view.createSql(dialect));
        }
    }

    static Set<String> existingColumns(Connection connection, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " [while running: " + firstLine(sql) + "]", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private static String firstLine(String sql) {
        int nl = sql.indexOf('\n');
        return nl < 0 ? sql : sql.substring(0, nl) + " ...";
    }
}
