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
package dev.tokenledger.sink.load;

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.TableSpec;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.WarehouseTables;
import dev.tokenledger.sink.WarehouseWriter;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the product-telemetry side of the join from CSV: {@code product_active_users}
 * (month,feature_id,tenant_id,plan_tier,active_users) and {@code plan_prices}
 * (plan_tier,monthly_price_usd). The whole file is validated before anything is written; then
 * every row is upserted in one transaction, so loading the same file twice changes nothing and a
 * corrected file overwrites the earlier numbers.
 */
public final class TelemetryLoader {
    public static final List<String> ACTIVE_USERS_COLUMNS = List.of("month", "feature_id", "tenant_id", "plan_tier", "active_users");
    public static final List<String> PLAN_PRICES_COLUMNS = List.of("plan_tier", "monthly_price_usd");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:@/|-]{1,256}");

    private TelemetryLoader() {
    }

    /** Parses and validates active-user rows; throws {@link CsvFormatException} naming line, column and value. */
    public static List<Map<String, Object>> parseActiveUsers(Reader in, String source) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<List<Object>, Integer> seen = new HashMap<>();
        for (CsvRows.Line line : CsvRows.read(in, source, ACTIVE_USERS_COLUMNS)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("month", month(source, line, line.get(0)));
            row.put("feature_id", identifier(source, line, "feature_id", line.get(1)));
            row.put("tenant_id", identifier(source, line, "tenant_id", line.get(2)));
            row.put("plan_tier", identifier(source, line, "plan_tier", line.get(3)));
            row.put("active_users", count(source, line, "active_users", line.get(4)));
            Integer previous = seen.put(List.of(row.get("month"), row.get("feature_id"), row.get("tenant_id")), line.number());
            if (previous != null) {
                throw new CsvFormatException(source, line, "tenant_id", line.get(2), "repeats the (month, feature_id, "
                        + "tenant_id) of line " + previous + ": one row per month, feature and tenant");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Parses and validates plan prices. */
    public static List<Map<String, Object>> parsePlanPrices(Reader in, String source) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (CsvRows.Line line : CsvRows.read(in, source, PLAN_PRICES_COLUMNS)) {
            Map<String, Object> row = new LinkedHashMap<>();
            String plan = identifier(source, line, "plan_tier", line.get(0));
            row.put("plan_tier", plan);
            row.put("monthly_price_usd", money(source, line, "monthly_price_usd", line.get(1)));
            Integer previous = seen.put(plan, line.number());
            if (previous != null) {
                throw new CsvFormatException(source, line, "plan_tier", plan, "repeats line " + previous + ": one price per plan");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Validates, then upserts in one transaction; returns the number of rows. */
    public static int loadActiveUsers(Connection connection, Dialect dialect, Reader in, String source) throws IOException, SQLException {
        return load(connection, dialect, WarehouseTables.PRODUCT_ACTIVE_USERS_TABLE, parseActiveUsers(in, source));
    }

    public static int loadPlanPrices(Connection connection, Dialect dialect, Reader in, String source) throws IOException, SQLException {
        return load(connection, dialect, WarehouseTables.PLAN_PRICES_TABLE, parsePlanPrices(in, source));
    }

    private static int load(Connection connection, Dialect dialect, TableSpec table, List<Map<String, Object>> rows) throws SQLException {
        Warehouse.ensureTable(connection, dialect, table);
        new WarehouseWriter(connection, dialect, 1000).upsertAll(Map.of(table, rows));
        return rows.size();
    }

    private static LocalDate month(String source, CsvRows.Line line, String value) {
        try {
            if (value.length() == 7) {
                return YearMonth.parse(value).atDay(1);
            }
            LocalDate date = LocalDate.parse(value);
            if (date.getDayOfMonth() != 1) {
                throw new CsvFormatException(source, line, "month", value, "is not the first day of a month: use YYYY-MM or YYYY-MM-01");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new CsvFormatException(source, line, "month", value, "is not a month: use YYYY-MM (2026-03) or YYYY-MM-01");
        }
    }

    private static String identifier(String source, CsvRows.Line line, String column, String value) {
        if (value.isEmpty()) {
            throw new CsvFormatException(source, line, column, value, "is empty: every row needs a " + column);
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new CsvFormatException(source, line, column, value,
                    "is not an identifier: use letters, digits and _ . : @ / | - (at most 256)");
        }
        return value;
    }

    private static long count(String source, CsvRows.Line line, String column, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new CsvFormatException(source, line, column, value, "is negative: active users are counted from 0");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CsvFormatException(source, line, column, value, "is not a whole number");
        }
    }

    private static BigDecimal money(String source, CsvRows.Line line, String column, String value) {
        String v = value.startsWith("$") ? value.substring(1) : value;
        BigDecimal amount;
        try {
            amount = new BigDecimal(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new CsvFormatException(source, line, column, value, "is not a decimal amount in USD (e.g. 19.00)");
        }
        if (amount.signum() < 0) {
            throw new CsvFormatException(source, line, column, value, "is negative: a plan price is 0 or more");
        }
        if (amount.scale() > 12) {
            throw new CsvFormatException(source, line, column, value, "has more than 12 decimals");
        }
        return amount.setScale(12);
    }
}
