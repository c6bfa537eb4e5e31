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
        String pw = password != null ? password : System.getenv("TOKENLEDGER_WAREHOUSE_PASSWORD");
        return Warehouse.connect(url, user, pw);
    }

    String redactedUrl() {
        return Dialect.redact(url);
    }
}
