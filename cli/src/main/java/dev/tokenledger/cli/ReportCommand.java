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

import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.report.ReportRenderer;
import dev.tokenledger.sink.report.WarehouseReport;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger report}: one screen a CFO can read, from the warehouse the sink connector
 * fills: spend per feature with its 7-day trend, the top 3, cost per active user per plan,
 * tenants with negative or thin margin, cache savings, budget alerts and denials.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Prints what each AI feature cost this month (and its 7-day trend), the top 3 features, cost per",
                "active user per plan tier, tenants with negative or thin margin, prompt-cache savings, budget",
                "alerts and denials, read from the warehouse (DuckDB or PostgreSQL)."})
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    WarehouseOptions warehouse;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "Calendar month (UTC) to report; default: the current month.")
    YearMonth month;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or csv.")
    ReportRenderer.Format format = ReportRenderer.Format.TEXT;

    @Option(names = "--today", hidden = true, description = "Pretend today is this date (tests, re-runs).")
    LocalDate today;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LocalDate now = today != null ? today : LocalDate.now(ZoneOffset.UTC);
        YearMonth reported = month != null ? month : YearMonth.from(now);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Connection c = warehouse.connect()) {
            // Creates missing tables and refreshes the views, so a report on a fresh or older warehouse works.
            Warehouse.init(c, warehouse.dialect(), true);
            WarehouseReport report = WarehouseReport.build(c, reported, now);
            out.print(ReportRenderer.render(report, format, format == ReportRenderer.Format.CSV ? null : warehouse.redactedUrl()));
            out.flush();
            return 0;
        } catch (SQLException e) {
            err.println("Cannot read the warehouse at " + warehouse.redactedUrl() + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
