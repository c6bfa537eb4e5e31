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
package dev.tokenledger.cli;

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** The warehouse connection options shared by {@code report} and {@code warehouse ...}. */
public final class WarehouseOptions {
    @Option(names = "--warehouse", required = true, paramLabel = "JDBC_URL",
            description = "Warehouse JDBC URL: jdbc:duckdb:/path/file.duckdb or jdbc:postgresql://host:5432/db[?currentSchema=s].")
    String url;

    @Option(names = "--user", description = "Database user (PostgreSQL).")
    String user;

    @Option(names = "--password", description = "Database password (PostgreSQL); or set TOKENLEDGER_WAREHOUSE_PASSWORD.")
    String password;

    Dialect dialect() {
        return Dialect.fromUrl(url);
    }

    Connection connect() throws SQLException {
        return Warehouse.connect(url, user, password());
    }

    /** --password, else TOKENLEDGER_WAREHOUSE_PASSWORD, else null. */
    String password() {
        return password != null ? password : System.getenv("TOKENLEDGER_WAREHOUSE_PASSWORD");
    }

    String redactedUrl() {
        return Dialect.redact(url);
    }
}
