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

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.TestWarehouse;
import dev.tokenledger.sink.ViewFixtureAccess;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The report on the hand-built month of ViewFixture, as of 2026-03-20, on both databases. */
class WarehouseReportTest {

    private static List<String> cells(ReportTable table) {
        List<String> lines = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                cells.add(ReportRenderer.formatCell(table.columns().get(i).kind(), row.get(i)));
            }
            lines.add(String.join(" | ", cells));
        }
        return lines;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void answersTheFiveQuestionsOnOneScreen(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect)) {
            ViewFixtureAccess.load(w);
            WarehouseReport report;
            try (Connection c = w.connect()) {
                report = WarehouseReport.build(c, YearMonth.of(2026, 3), LocalDate.of(2026, 3, 20));
            }
            assertThat(report.asOf()).isEqualTo(LocalDate.of(2026, 3, 20));
            // month to date (to the 20th): summarize 4.50 + 100 = 104.50; draft 40 + 12 + 5 + 3 = 60 (e9 on the 31st is later)
            // last 7 days (14th..20th): summarize 100 (e7) + 0 (e10); draft 0. 7 days before (7th..13th): draft 12+5+3 = 20
            // trend: draft (0-20)/20 = -100 %; summarize new; total (100-20)/20 = +400 %
            assertThat(cells(report.section("spend_per_feature"))).containsExactly(
                    "summarize_thread | $104.50 | $100.00 | $0.00 | new",
                    "draft_email | $60.00 | $0.00 | $20.00 | -100.0%",
                    "TOTAL | $164.50 | $100.00 | $20.00 | +400.0%");
            assertThat(cells(report.section("top_features"))).containsExactly(
                    "1 | summarize_thread | $104.50 | 60.6% | 3", "2 | draft_email | $68.00 | 39.4% | 6");
            assertThat(cells(report.section("cost_per_active_user"))).containsExactly(
                    "draft_email | free | 1 | 3 | $3.00 | $1.0000 | $1.0000 | $1.0000",
                    "draft_email | pro | 3 | 18 | $65.00 | $3.6111 | $4.0000 | $6.1333",
                    "summarize_thread | enterprise | 1 | 50 | $100.00 | $2.0000 | $2.0000 | $2.0000",
                    "summarize_thread | pro | 1 | 2 | $4.50 | $2.2500 | $2.2500 | $2.2500");
            // hooli: free plan, $3 of AI cost -> -$3.00; acme: 49 - 44.50 = 4.50, 9.2 % < 20 %
            assertThat(cells(report.section("thin_margins"))).containsExactly(
                    "hooli | free | $0.00 | $3.00 | -$3.00 | -", "acme | pro | $49.00 | $44.50 | $4.50 | 9.2%");
            assertThat(cells(report.section("cache_savings"))).containsExactly(
                    "summarize_thread | 80.0% | $104.50 | $21.50 | $126.00 | 17.1%",
                    "draft_email | 30.8% | $68.00 | $8.00 | $76.00 | 10.5%");
            assertThat(cells(report.section("budget_alerts"))).containsExactly(
                    "2026-03-18 09:00 | FEATURE:draft_email | 80 | $80.00 | $100.00 | WARN | ENFORCE");
            // d1 0.2 + d3 0.3 enforced; d2 shadow; d0 is February
            assertThat(cells(report.section("budget_denials"))).containsExactly(
                    "FEATURE:draft_email | GENUINE_BREACH | enforced | 2 | $0.50",
                    "FEATURE:draft_email | STALE_STATE | shadow | 1 | $0.10");
            assertThat(cells(report.section("unpriced_usage"))).containsExactly("anthropic | mystery-model | 1 | 500 | 100");

            String text = ReportRenderer.render(report, ReportRenderer.Format.TEXT, null);
            assertThat(text).startsWith("TokenLedger AI cost report: March 2026 (UTC), 7-day figures to 2026-03-20\n")
                    .contains("SPEND PER FEATURE\n", "TOP 3 FEATURES BY SPEND\n", "COST PER ACTIVE USER\n",
                            "TENANTS WITH NEGATIVE OR THIN MARGIN\n", "PROMPT-CACHE SAVINGS\n", "BUDGET ALERTS\n", "BUDGET DENIALS\n")
                    .contains("  feature           this month  last 7 days  7 days before    trend\n"
                            + "  ----------------  ----------  -----------  -------------  -------\n"
                            + "  summarize_thread     $104.50      $100.00          $0.00      new\n");
            String json = ReportRenderer.render(report, ReportRenderer.Format.JSON, null);
            assertThat(json).startsWith("{\"month\":\"2026-03\",\"as_of\":\"2026-03-20\",\"sections\":{\"spend_per_feature\":")
                    .contains("{\"feature_id\":\"draft_email\",\"plan_tier\":\"pro\",\"tenants\":3,\"active_users\":18,\"cost_usd\":65,"
                            + "\"cost_per_active_user_usd\":3.611111111111,\"median_tenant_cost_per_active_user_usd\":4,"
                            + "\"p90_tenant_cost_per_active_user_usd\":6.133333333334");
            String csv = ReportRenderer.render(report, ReportRenderer.Format.CSV, null);
            assertThat(csv).startsWith("section,feature_id,month_to_date_usd,last_7_days_usd,previous_7_days_usd,trend\n"
                    + "spend_per_feature,summarize_thread,104.5,100,0,new\n"
                    + "spend_per_feature,draft_email,60,0,20,-1\n")
                    .contains("\nsection,tenant_id,plan_tier,revenue_usd,ai_cost_usd,margin_usd,margin_pct\n"
                            + "thin_margins,hooli,free,0,3,-3,\n");
            if (dialect == Dialect.DUCKDB) {
                System.out.println(text);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anEmptyWarehouseSaysSoInEverySection(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            dev.tokenledger.sink.Warehouse.init(c, dialect, true);
            WarehouseReport report = WarehouseReport.build(c, YearMonth.of(2026, 3), LocalDate.of(2026, 5, 1));
            assertThat(report.asOf()).isEqualTo(LocalDate.of(2026, 3, 31));
            String text = ReportRenderer.render(report, ReportRenderer.Format.TEXT, "jdbc:duckdb:/x");
            assertThat(text).contains("Warehouse: jdbc:duckdb:/x", "  No usage this month.",
                    "  No active-user data for this month (load it with: tokenledger warehouse load-active-users FILE.csv).",
                    "  No call was denied this month.", "  Every call was priced.");
        }
    }
}
