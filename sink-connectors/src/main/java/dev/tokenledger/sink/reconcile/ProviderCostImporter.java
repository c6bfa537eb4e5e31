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
package dev.tokenledger.sink.reconcile;

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.WarehouseJson;
import dev.tokenledger.sink.WarehouseTables;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports a validated provider cost report into {@code provider_costs}. A re-import is an idempotent
 * replace: in one transaction every row of that provider on the days the report's buckets cover is deleted,
 * then the report's rows are inserted, so importing the same period twice (or a corrected report) leaves
 * exactly the latest report, and a day the new report covers with no lines ends at zero. Validation
 * happens before ({@link ProviderCostReports}), so a bad report imports nothing.
 */
public final class ProviderCostImporter {
    private ProviderCostImporter() {
    }

    /** What an import did; {@code skipped}: what the report billed that the ledger never prices, not imported (label -> USD). */
    public record Result(int days, int rows, BigDecimal totalUsd, Map<String, BigDecimal> skipped) {
        /** The sum of {@link #skipped()}. */
        public BigDecimal skippedUsd() {
            return skipped.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /**
     * Parses every page (for Gemini: every CSV file), validates the whole report, then replaces the provider's rows
     * for the days it covers.
     */
    public static Result importPages(Connection connection, Dialect dialect, CostReportProvider provider, List<String> pageBodies,
                                     String source) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pageBodies.size(); i++) {
            names.add(pageBodies.size() > 1 ? source + (provider == CostReportProvider.GEMINI ? " file " : " page ") + (i + 1) : source);
        }
        if (provider == CostReportProvider.GEMINI) {
            return importReport(connection, dialect, GoogleBillingExport.report(pageBodies, names), source);
        }
        List<ProviderCostReports.Page> pages = new ArrayList<>();
        for (int i = 0; i < pageBodies.size(); i++) {
            pages.add(ProviderCostReports.page(provider, pageBodies.get(i), names.get(i)));
        }
        return importReport(connection, dialect, ProviderCostReports.report(provider, pages, source), source);
    }

    public static Result importReport(Connection connection, Dialect dialect, ProviderCostReports.CostReport report, String source)
            throws SQLException {
        Warehouse.ensureTable(connection, dialect, WarehouseTables.PROVIDER_COSTS_TABLE);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        Timestamp now = Timestamp.from(Instant.now());
        BigDecimal total = BigDecimal.ZERO;
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + WarehouseTables.PROVIDER_COSTS + " WHERE provider = ? AND day = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + WarehouseTables.PROVIDER_COSTS
                     + " (provider, day, model, scope_id, amount_usd, currency, report_lines_json, import_source, imported_at,"
                     + " long_context_usd, regional_usd) VALUES (?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?)")) {
            for (LocalDate day : report.days()) {
                delete.setString(1, report.provider().ledgerName());
                delete.setDate(2, Date.valueOf(day));
                delete.executeUpdate();
            }
            for (ProviderCostRow row : report.rows()) {
                insert.setString(1, row.provider());
                insert.setDate(2, Date.valueOf(row.day()));
                insert.setString(3, row.model());
                insert.setString(4, row.scopeId());
                insert.setBigDecimal(5, row.amountUsd().setScale(12));
                insert.setString(6, WarehouseJson.write(row.reportLines()));
                insert.setString(7, source);
                insert.setTimestamp(8, now);
                insert.setBigDecimal(9, row.longContextUsd().setScale(12));
                insert.setBigDecimal(10, row.regionalUsd().setScale(12));
                insert.executeUpdate();
                total = total.add(row.amountUsd());
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return new Result(report.days().size(), report.rows().size(), total, report.skipped());
    }
}
