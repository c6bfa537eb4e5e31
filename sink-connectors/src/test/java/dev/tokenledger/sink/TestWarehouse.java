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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A throw-away warehouse for one test: a fresh DuckDB file, or a fresh schema in the local
 * PostgreSQL (127.0.0.1:5432, database test, user postgres, trust auth) so parallel tests never
 * share tables. {@link #close()} drops the schema / deletes the file.
 */
public final class TestWarehouse implements AutoCloseable {
    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String PG_USER = "postgres";

    private final Dialect dialect;
    private final String url;
    private final String schema;
    private final Path dir;

    private TestWarehouse(Dialect dialect, String url, String schema, Path dir) {
        this.dialect = dialect;
        this.url = url;
        this.schema = schema;
        this.dir = dir;
    }

    public static TestWarehouse create(Dialect dialect) throws Exception {
        if (dialect == Dialect.DUCKDB) {
            Path dir = Files.createTempDirectory("tl-warehouse");
            return new TestWarehouse(dialect, "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"), null, dir);
        }
        String schema = "tl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_BASE, PG_USER, "");
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return new TestWarehouse(dialect, PG_BASE + "?currentSchema=" + schema, schema, null);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The JDBC URL (without user). */
    public String url() {
        return url;
    }

    public String user() {
        return dialect == Dialect.POSTGRESQL ? PG_USER : "";
    }

    public Connection connect() throws SQLException {
        return Warehouse.connect(url, user(), "");
    }

    /** Runs a query and returns every row (first column only when {@code single}). */
    public List<List<Object>> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(dev.tokenledger.sink.report.WarehouseReport.normalize(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public Object scalar(String sql) throws SQLException {
        List<List<Object>> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_BASE, PG_USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public String toString() {
        return dialect.name();
    }
}
