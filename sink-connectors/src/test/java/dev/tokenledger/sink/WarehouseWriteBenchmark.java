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
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sink write throughput per dialect, not a test. For N usage_log rows written in put()-sized
 * transactions of 1,000: the first upsert (all inserts) and a replay of the same rows (all
 * conflicts, every column rewritten), each next to a same-run baseline: a plain INSERT of the same
 * rows into a copy of the table without a primary key (DuckDB: Appender; PostgreSQL: JDBC batch),
 * measured after a 3,000-row warm-up of that baseline.
 *
 * <pre>mvn -B -q -o -pl sink-connectors test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tokenledger.sink.WarehouseWriteBenchmark [-Dexec.args=20000]</pre>
 */
public final class WarehouseWriteBenchmark {
    private WarehouseWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Map<String, Object>> rows = new ArrayList<>();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            rows.add(RowMappers.usageLog(TestData.costed("evt-" + i, t0.plusSeconds(i), "feature-" + (i % 12), "tenant-" + (i % 97),
                    "pro", "claude-sonnet-4-6", 800 + i % 1300, 150 + i % 450, (i % 4) * 1000L, "3", "15", "0.30"), "bench", 0, (long) i));
        }
        System.out.printf("%-10s  %12s  %12s  %12s  %8s  %8s%n", "dialect", "baseline r/s", "upsert r/s", "replay r/s",
                "upsert/b", "replay/b");
        for (Dialect dialect : Dialect.values()) {
            try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
                Warehouse.init(c, dialect, false);
                baseline(w, c, dialect, rows.subList(0, Math.min(rows.size(), 3000))); // warm-up (JIT, driver)
                double baseline = baseline(w, c, dialect, rows);
                WarehouseWriter writer = new WarehouseWriter(c, dialect, 1000);
                double upsert = timed(writer, rows);
                double replay = timed(writer, rows);
                System.out.printf("%-10s  %,12.0f  %,12.0f  %,12.0f  %8.2f  %8.2f%n", dialect, baseline, upsert, replay,
                        upsert / baseline, replay / baseline);
            }
        }
    }

    private static double timed(WarehouseWriter writer, List<Map<String, Object>> rows) throws Exception {
        long start = System.nanoTime();
        for (int from = 0; from < rows.size(); from += 1000) {
            writer.upsertAll(Map.of(WarehouseTables.USAGE_LOG_TABLE, rows.subList(from, Math.min(rows.size(), from + 1000))));
        }
        return rows.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double baseline(TestWarehouse w, Connection c, Dialect dialect, List<Map<String, Object>> rows) throws Exception {
        TableSpec spec = WarehouseTables.USAGE_LOG_TABLE;
        w.execute("CREATE TABLE plain_copy AS SELECT * FROM usage_log LIMIT 0");
        String names = String.join(", ", spec.columnNames());
        long start = System.nanoTime();
        c.setAutoCommit(false);
        for (int from = 0; from < rows.size(); from += 1000) {
            List<Map<String, Object>> chunk = rows.subList(from, Math.min(rows.size(), from + 1000));
            if (dialect == Dialect.DUCKDB) {
                try (var appender = c.unwrap(org.duckdb.DuckDBConnection.class).createAppender("main", "plain_copy")) {
                    for (Map<String, Object> row : chunk) {
                        appender.beginRow();
                        for (Column col : spec.columns()) {
                            Object v = row.get(col.name());
                            if (v == null) {
                                appender.appendNull();
                            } else if (v instanceof String s) {
                                appender.append(s);
                            } else if (v instanceof Long l) {
                                appender.append(l.longValue());
                            } else if (v instanceof Integer i) {
                                appender.append(i.intValue());
                            } else if (v instanceof Boolean b) {
                                appender.append(b.booleanValue());
                            } else if (v instanceof java.math.BigDecimal d) {
                                appender.append(d);
                            } else {
                                appender.append((java.time.OffsetDateTime) v);
                            }
                        }
                        appender.endRow();
                    }
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO plain_copy (" + names + ") VALUES ("
                        + "?, ".repeat(spec.columns().size() - 1) + "?)")) {
                    for (Map<String, Object> row : chunk) {
                        for (int i = 0; i < spec.columns().size(); i++) {
                            WarehouseWriter.bind(ps, i + 1, spec.columns().get(i), row.get(spec.columns().get(i).name()));
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            c.commit();
        }
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE plain_copy");
        }
        return rows.size() / ((System.nanoTime() - start) / 1e9);
    }
}
