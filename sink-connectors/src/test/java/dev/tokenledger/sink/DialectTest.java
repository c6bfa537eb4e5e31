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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DialectTest {
    private static final TableSpec T = new TableSpec("t", List.of(
            Column.of("k1", ColumnType.TEXT, ""), Column.of("k2", ColumnType.TIMESTAMPTZ, ""),
            Column.of("amount", ColumnType.MONEY, ""), Column.of("n", ColumnType.BIGINT, ""),
            Column.of("updated_at", ColumnType.TIMESTAMPTZ, "")), List.of("k1", "k2"), Optional.of("updated_at"));

    @Test
    void dialectComesFromTheUrlScheme() {
        assertThat(Dialect.fromUrl("jdbc:duckdb:/tmp/w.duckdb")).isEqualTo(Dialect.DUCKDB);
        assertThat(Dialect.fromUrl("JDBC:DuckDB:/tmp/w.duckdb")).isEqualTo(Dialect.DUCKDB);
        assertThat(Dialect.fromUrl("jdbc:postgresql://127.0.0.1:5432/test")).isEqualTo(Dialect.POSTGRESQL);
        assertThatThrownBy(() -> Dialect.fromUrl("jdbc:mysql://h/db?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported JDBC URL 'jdbc:mysql://h/db?password=****': use jdbc:duckdb:/path/to/file.duckdb "
                        + "or jdbc:postgresql://host:5432/database");
    }

    @Test
    void createTableSpellsTypesPerDialect() {
        assertThat(Dialect.DUCKDB.createTableSql(T)).isEqualTo("CREATE TABLE IF NOT EXISTS t (\n"
                + "  k1 VARCHAR NOT NULL,\n  k2 TIMESTAMPTZ NOT NULL,\n  amount DECIMAL(38,12),\n  n BIGINT,\n"
                + "  updated_at TIMESTAMPTZ,\n  PRIMARY KEY (k1, k2)\n)");
        assertThat(Dialect.POSTGRESQL.createTableSql(T)).isEqualTo("CREATE TABLE IF NOT EXISTS t (\n"
                + "  k1 TEXT NOT NULL,\n  k2 TIMESTAMPTZ NOT NULL,\n  amount DECIMAL(38,12),\n  n BIGINT,\n"
                + "  updated_at TIMESTAMPTZ,\n  PRIMARY KEY (k1, k2)\n)");
    }

    @Test
    void moneyIsDecimalNeverDouble() {
        for (Dialect d : Dialect.values()) {
            assertThat(d.sqlType(ColumnType.MONEY)).isEqualTo("DECIMAL(38,12)");
            assertThat(d.sqlType(ColumnType.RATIO)).isEqualTo("DECIMAL(18,4)");
        }
    }

    @Test
    void upsertOverwritesNonKeyColumnsAndIsGuardedByTheVersionColumn() {
        String expected = "INSERT INTO t (k1, k2, amount, n, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (k1, k2) DO UPDATE SET "
                + "amount = excluded.amount, n = excluded.n, updated_at = excluded.updated_at WHERE t.updated_at <= excluded.updated_at";
        assertThat(Dialect.DUCKDB.upsertSql(T)).isEqualTo(expected);
        assertThat(Dialect.DUCKDB.upsertFromSql(T, "stage")).isEqualTo("INSERT INTO t (k1, k2, amount, n, updated_at) SELECT "
                + "k1, k2, amount, n, updated_at FROM stage ON CONFLICT (k1, k2) DO UPDATE SET amount = excluded.amount, n = excluded.n, "
                + "updated_at = excluded.updated_at WHERE t.updated_at <= excluded.updated_at");
        assertThat(Dialect.POSTGRESQL.upsertSql(T)).isEqualTo(expected);
        TableSpec unversioned = new TableSpec("u", List.of(Column.of("id", ColumnType.TEXT, ""), Column.of("v", ColumnType.BIGINT, "")),
                List.of("id"), Optional.empty());
        assertThat(Dialect.POSTGRESQL.upsertSql(unversioned))
                .isEqualTo("INSERT INTO u (id, v) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v");
    }

    @Test
    void addColumnAndIndexes() {
        assertThat(Dialect.DUCKDB.addColumnSql(T, Column.of("region", ColumnType.TEXT, "")))
                .isEqualTo("ALTER TABLE t ADD COLUMN region VARCHAR");
        assertThat(Dialect.POSTGRESQL.addColumnSql(T, Column.of("price", ColumnType.MONEY, "")))
                .isEqualTo("ALTER TABLE t ADD COLUMN price DECIMAL(38,12)");
        assertThat(Dialect.POSTGRESQL.indexSql(T, List.of(List.of("n", "k2"))))
                .containsExactly("CREATE INDEX IF NOT EXISTS t_n_k2_idx ON t (n, k2)");
        assertThat(Dialect.DUCKDB.indexSql(T, List.of(List.of("n", "k2")))).isEmpty();
    }

    @Test
    void moneyDivisionStaysExactInBothDialects() {
        assertThat(Dialect.POSTGRESQL.divideMoney("a", "n")).isEqualTo("CAST(ROUND((a) / NULLIF(n, 0), 12) AS DECIMAL(38,12))");
        assertThat(Dialect.DUCKDB.divideMoney("a", "n")).isEqualTo("CAST(CAST((CAST(ROUND((a) * 1000000000000) AS HUGEINT) * 2 + (n)) "
                + "// NULLIF(2 * (n), 0) AS DECIMAL(38,0)) * 0.000000000001 AS DECIMAL(38,12))");
        assertThat(Dialect.POSTGRESQL.ratio("a", "b")).isEqualTo("CAST(ROUND(CAST(a AS NUMERIC) / NULLIF(b, 0), 4) AS DECIMAL(18,4))");
        assertThat(Dialect.DUCKDB.ratio("a", "b")).isEqualTo("CAST(ROUND(CAST(a AS DOUBLE) / NULLIF(b, 0), 4) AS DECIMAL(18,4))");
    }

    @Test
    void tableSpecRejectsAKeyThatIsNotAColumn() {
        assertThatThrownBy(() -> new TableSpec("x", List.of(Column.of("a", ColumnType.TEXT, "")), List.of("b"), Optional.empty()))
                .hasMessage("Key column 'b' is not a column of table x");
    }
}
