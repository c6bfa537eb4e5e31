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
package dev.tokenledger.sink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRendererTest {

    @Test
    void aLongSectionShowsItsWorstRowsOnScreenAndEveryRowInCsvAndJson() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            rows.add(List.of(String.format("tenant_%02d", i), new BigDecimal(-i)));
        }
        ReportTable table = new ReportTable("thin_margins", "Tenants with negative or thin margin", "Worst first.",
                List.of(ReportTable.ReportColumn.of("tenant_id", "tenant", ReportTable.Kind.TEXT),
                        ReportTable.ReportColumn.of("margin_usd", "margin", ReportTable.Kind.MONEY)),
                rows, "none", 15);
        WarehouseReport report = new WarehouseReport(YearMonth.of(2026, 12), LocalDate.of(2026, 12, 1), List.of(table));

        String text = ReportRenderer.render(report, ReportRenderer.Format.TEXT, null);
        assertThat(text).contains("tenant_15").doesNotContain("tenant_16")
                .contains("  ... and 25 more (every row is in --format csv or json)");
        assertThat(ReportRenderer.render(report, ReportRenderer.Format.CSV, null)).contains("tenant_40");
        assertThat(ReportRenderer.render(report, ReportRenderer.Format.JSON, null)).contains("tenant_40");
    }

    @Test
    void csvQuotesOnlyWhereNeededAndJsonKeepsExactDecimals() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("acme, \"inc\"", new BigDecimal("-1.50"), 12L));
        rows.add(Arrays.asList("line\nbreak", new BigDecimal("1E-12"), null));
        ReportTable table = new ReportTable("margins", "Margins", "Explained.",
                List.of(ReportTable.ReportColumn.of("tenant_id", "tenant", ReportTable.Kind.TEXT),
                        ReportTable.ReportColumn.of("margin_usd", "margin", ReportTable.Kind.MONEY),
                        ReportTable.ReportColumn.of("users", "users", ReportTable.Kind.COUNT)),
                rows, "none", 0);
        ReportTable empty = new ReportTable("alerts", "Alerts", "None yet.",
                List.of(ReportTable.ReportColumn.of("budget_id", "budget", ReportTable.Kind.TEXT)), List.of(), "none", 0);
        WarehouseReport report = new WarehouseReport(YearMonth.of(2026, 3), LocalDate.of(2026, 3, 20), List.of(table, empty));

        assertThat(ReportRenderer.render(report, ReportRenderer.Format.CSV, null)).isEqualTo("""
                section,tenant_id,margin_usd,users
                margins,"acme, ""inc""\",-1.5,12
                margins,"line
                break",0.000000000001,

                section,budget_id
                """);
        assertThat(ReportRenderer.render(report, ReportRenderer.Format.JSON, "w.duckdb")).isEqualTo("{\"month\":\"2026-03\","
                + "\"as_of\":\"2026-03-20\",\"warehouse\":\"w.duckdb\",\"sections\":{\"margins\":{\"title\":\"Margins\","
                + "\"explanation\":\"Explained.\",\"rows\":[{\"tenant_id\":\"acme, \\\"inc\\\"\",\"margin_usd\":-1.5,\"users\":12},"
                + "{\"tenant_id\":\"line\\nbreak\",\"margin_usd\":0.000000000001,\"users\":null}]},"
                + "\"alerts\":{\"title\":\"Alerts\",\"explanation\":\"None yet.\",\"rows\":[]}}}\n");
    }
}
