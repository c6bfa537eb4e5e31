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

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two warehouses TokenLedger writes to, and the SQL each needs. Both accept the same upsert
 * ({@code INSERT ... ON CONFLICT (key) DO UPDATE SET ... = excluded....}); they differ in the text
 * type name, secondary indexes, and how an exact money amount is divided (DuckDB's {@code /} on
 * DECIMAL returns DOUBLE, so money division is done in integer pico-dollars there).
 */
public enum Dialect {
    DUCKDB("jdbc:duckdb:"),
    POSTGRESQL("jdbc:postgresql:");

    private final String urlPrefix;

    Dialect(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    public String urlPrefix() {
        return urlPrefix;
    }

    /** The dialect of a JDBC URL, or IllegalArgumentException naming the URL and the supported schemes. */
    public static Dialect fromUrl(String jdbcUrl) {
        if (jdbcUrl != null) {
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            for (Dialect d : values()) {
                if (lower.startsWith(d.urlPrefix)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("Unsupported JDBC URL '" + redact(jdbcUrl) + "': use jdbc:duckdb:/path/to/file.duckdb "
                + "or jdbc:postgresql://host:5432/database");
    }

    /** The URL without any password=... parameter, for error messages and logs. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    public String sqlType(ColumnType type) {
        return switch (type) {
            case TEXT -> this == DUCKDB ? "VARCHAR" : "TEXT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case BOOLEAN -> "BOOLEAN";
            case MONEY -> "DECIMAL(38,12)";
            case RATIO -> "DECIMAL(18,4)";
            case TIMESTAMPTZ -> "TIMESTAMPTZ";
            case DATE -> "DATE";
        };
    }

    public String createTableSql(TableSpec table) {
        String cols = table.columns().stream()
                .map(c -> "  " + c.name() + " " + sqlType(c.type()) + (table.keyColumns().contains(c.name()) ? " NOT NULL" : ""))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + table.name() + " (\n" + cols + ",\n  PRIMARY KEY (" + String.join(", ", table.keyColumns()) + ")\n)";
    }

    public String addColumnSql(TableSpec table, Column column) {
        return "ALTER TABLE " + table.name() + " ADD COLUMN " + column.name() + " " + sqlType(column.type());
    }

    /**
     * Secondary indexes. PostgreSQL gets the ones the views filter on; DuckDB gets none: it scans
     * columns with zone maps, and an ART index on a column an upsert rewrites turns the update
     * into delete+insert, which DuckDB can reject inside one transaction.
     */
    public List<String> indexSql(TableSpec table, List<List<String>> indexes) {
        if (this == DUCKDB) {
            return List.of();
        }
        return indexes.stream()
                .map(cols -> "CREATE INDEX IF NOT EXISTS " + table.name() + "_" + String.join("_", cols) + "_idx ON "
                        + table.name() + " (" + String.join(", ", cols) + ")")
                .toList();
    }

    /**
     * Idempotent upsert of one row: insert, or overwrite every non-key column on a key conflict.
     * With a version column the overwrite happens only when the incoming version is not older.
     */
    public String upsertSql(TableSpec table) {
        List<String> names = table.columnNames();
        String placeholders = names.stream().map(n -> "?").collect(Collectors.joining(", "));
        return "INSERT INTO " + table.name() + " (" + String.join(", ", names) + ") VALUES (" + placeholders + ")" + onConflict(table);
    }

    /** The same upsert from every row of {@code source} (a staging table with the same columns; keys must be distinct). */
    public String upsertFromSql(TableSpec table, String source) {
        String names = String.join(", ", table.columnNames());
        return "INSERT INTO " + table.name() + " (" + names + ") SELECT " + names + " FROM " + source + onConflict(table);
    }

    private static String onConflict(TableSpec table) {
        String updates = table.columnNames().stream().filter(n -> !table.keyColumns().contains(n))
                .map(n -> n + " = excluded." + n).collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder(" ON CONFLICT (").append(String.join(", ", table.keyColumns()))
                .append(") DO UPDATE SET ").append(updates);
        table.versionColumn().ifPresent(v -> sql.append(" WHERE ").append(table.name()).append('.').append(v)
                .append(" <= excluded.").append(v));
        return sql.toString();
    }

    /**
     * An exact money amount divided by a count, as DECIMAL(38,12), rounded half-up at the
     * pico-dollar; NULL when the count is 0 or NULL. {@code amount} must be non-negative.
     */
    public String divideMoney(String amount, String count) {
        if (this == POSTGRESQL) {
            return "CAST(ROUND((" + amount + ") / NULLIF(" + count + ", 0), 12) AS DECIMAL(38,12))";
        }
        // DuckDB: DECIMAL / x is DOUBLE. Work in integer pico-dollars: (2p + n) // 2n rounds half up.
        return "CAST(CAST((CAST(ROUND((" + amount + ") * 1000000000000) AS HUGEINT) * 2 + (" + count + ")) // NULLIF(2 * ("
                + count + "), 0) AS DECIMAL(38,0)) * 0.000000000001 AS DECIMAL(38,12))";
    }

    /** The text value of {@code key} in a JSON-object text column, NULL when absent ({@code key} is a plain identifier). */
    public String jsonText(String column, String key) {
        return this == POSTGRESQL ? "(CAST(" + column + " AS json) ->> '" + key + "')" : "json_extract_string(" + column + ", '$." + key + "')";
    }

    /**
     * The UTC calendar day of a TIMESTAMPTZ column, as a DATE. DuckDB converts {@code AT TIME ZONE} row by row
     * through ICU, about ten times slower than day arithmetic on the epoch, which gives the same day in UTC.
     */
    public String utcDay(String column) {
        if (this == POSTGRESQL) {
            return "CAST(" + column + " AT TIME ZONE 'UTC' AS DATE)";
        }
        return "CAST(DATE '1970-01-01' + CAST(epoch_ms(" + column + ") // 86400000 AS INTEGER) AS DATE)";
    }

    /** The first day of the UTC month of a TIMESTAMPTZ column, as a DATE (by {@link #utcDay} on DuckDB, for the same reason). */
    public String utcMonth(String column) {
        if (this == POSTGRESQL) {
            return "CAST(DATE_TRUNC('month', " + column + " AT TIME ZONE 'UTC') AS DATE)";
        }
        return "CAST(DATE_TRUNC('month', " + utcDay(column) + ") AS DATE)";
    }

    /** A ratio num/den as DECIMAL(18,4) (0.1234 = 12.34 %); NULL when den is 0. Not for money. */
    public String ratio(String numerator, String denominator) {
        String num = this == POSTGRESQL ? "CAST(" + numerator + " AS NUMERIC)" : "CAST(" + numerator + " AS DOUBLE)";
        return "CAST(ROUND(" + num + " / NULLIF(" + denominator + ", 0), 4) AS DECIMAL(18,4))";
    }
}
