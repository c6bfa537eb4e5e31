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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.TestWarehouse;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TelemetryLoaderTest {
    private static final String HEADER = "month,feature_id,tenant_id,plan_tier,active_users\n";

    private static List<Map<String, Object>> activeUsers(String csv) throws Exception {
        return TelemetryLoader.parseActiveUsers(new StringReader(csv), "mau.csv");
    }

    @Test
    void parsesRowsInAnyColumnOrderWithQuotesCommentsAndBlankLines() throws Exception {
        List<Map<String, Object>> rows = activeUsers("""
                # exported from analytics
                tenant_id,month,plan_tier,feature_id,active_users

                "acme",2026-03,pro,"draft_email",12
                globex,2026-03-01,free,draft_email,0
                """);
        assertThat(rows).containsExactly(
                Map.of("month", LocalDate.of(2026, 3, 1), "feature_id", "draft_email", "tenant_id", "acme", "plan_tier", "pro",
                        "active_users", 12L),
                Map.of("month", LocalDate.of(2026, 3, 1), "feature_id", "draft_email", "tenant_id", "globex", "plan_tier", "free",
                        "active_users", 0L));
    }

    @Test
    void everyMalformedRowIsNamedByLineColumnAndValue() {
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,t,pro,12\n2026-13,f,t2,pro,1\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("mau.csv line 3, column month: '2026-13' is not a month: use YYYY-MM (2026-03) or YYYY-MM-01");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03-15,f,t,pro,12\n"))
                .hasMessage("mau.csv line 2, column month: '2026-03-15' is not the first day of a month: use YYYY-MM or YYYY-MM-01");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,t,pro,twelve\n"))
                .hasMessage("mau.csv line 2, column active_users: 'twelve' is not a whole number");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,t,pro,-4\n"))
                .hasMessage("mau.csv line 2, column active_users: '-4' is negative: active users are counted from 0");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,,t,pro,4\n"))
                .hasMessage("mau.csv line 2, column feature_id: '' is empty: every row needs a feature_id");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,acme corp,pro,4\n"))
                .hasMessage("mau.csv line 2, column tenant_id: 'acme corp' is not an identifier: use letters, digits and _ . : @ / | - (at most 256)");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,t,pro\n"))
                .hasMessage("mau.csv line 2: '2026-03,f,t,pro' has 4 fields, the header has 5 (month,feature_id,tenant_id,plan_tier,active_users)");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,\"t,pro,4\n"))
                .hasMessage("mau.csv line 2: '2026-03,f,\"t,pro,4' has an unterminated quoted field");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,f,t,pro,4\n2026-03,f,t,free,5\n"))
                .hasMessage("mau.csv line 3, column tenant_id: 't' repeats the (month, feature_id, tenant_id) of line 2: one row per month, "
                        + "feature and tenant");
        assertThatThrownBy(() -> activeUsers("month,feature_id,tenant_id,active_users\n"))
                .hasMessage("mau.csv line 1, column plan_tier: 'month,feature_id,tenant_id,active_users' header lacks column 'plan_tier': "
                        + "expected month,feature_id,tenant_id,plan_tier,active_users");
        assertThatThrownBy(() -> activeUsers("month,feature_id,tenant_id,plan_tier,active_users,seats\n"))
                .hasMessage("mau.csv line 1, column seats: 'month,feature_id,tenant_id,plan_tier,active_users,seats' header has unexpected "
                        + "or repeated columns [seats]: expected exactly month,feature_id,tenant_id,plan_tier,active_users");
        assertThatThrownBy(() -> activeUsers(""))
                .hasMessage("mau.csv line 1: '' is empty: expected a header line month,feature_id,tenant_id,plan_tier,active_users");
        CsvFormatException e = org.assertj.core.api.Assertions.catchThrowableOfType(CsvFormatException.class,
                () -> activeUsers(HEADER + "2026-03,f,t,pro,x\n"));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo("active_users");
        assertThat(e.value()).isEqualTo("x");
    }

    @Test
    void aSpreadsheetExportWithByteOrderMarkCrlfAndACellBreakIsReadOrNamed() throws Exception {
        String export = "\uFEFFmonth,feature_id,tenant_id,plan_tier,active_users\r\n2026-03,draft_email,\"acme\r\n\",pro,12\r\n"
                + "2026-03,draft_email,globex,free,3\r\n";
        assertThat(activeUsers(export)).extracting(row -> row.get("tenant_id")).containsExactly("acme", "globex");
        assertThatThrownBy(() -> activeUsers(HEADER + "2026-03,draft_email,\"acme\ncorp\",pro,12\n"))
                .hasMessage("mau.csv lines 2-3 (record 2), column tenant_id: 'acme\ncorp' is not an identifier: "
                        + "use letters, digits and _ . : @ / | - (at most 256)");
    }

    @Test
    void planPricesAreExactDecimals() throws Exception {
        assertThat(TelemetryLoader.parsePlanPrices(new StringReader("plan_tier,monthly_price_usd\npro,19.99\nteam,$1_000.5\n"), "p.csv"))
                .containsExactly(Map.of("plan_tier", "pro", "monthly_price_usd", new BigDecimal("19.990000000000")),
                        Map.of("plan_tier", "team", "monthly_price_usd", new BigDecimal("1000.500000000000")));
        assertThatThrownBy(() -> TelemetryLoader.parsePlanPrices(new StringReader("plan_tier,monthly_price_usd\npro,19,99\n"), "p.csv"))
                .hasMessage("p.csv line 2: 'pro,19,99' has 3 fields, the header has 2 (plan_tier,monthly_price_usd)");
        assertThatThrownBy(() -> TelemetryLoader.parsePlanPrices(new StringReader("plan_tier,monthly_price_usd\npro,abc\n"), "p.csv"))
                .hasMessage("p.csv line 2, column monthly_price_usd: 'abc' is not a decimal amount in USD (e.g. 19.00)");
        assertThatThrownBy(() -> TelemetryLoader.parsePlanPrices(new StringReader("plan_tier,monthly_price_usd\npro,-1\n"), "p.csv"))
                .hasMessage("p.csv line 2, column monthly_price_usd: '-1' is negative: a plan price is 0 or more");
        assertThatThrownBy(() -> TelemetryLoader.parsePlanPrices(new StringReader("plan_tier,monthly_price_usd\npro,1\npro,2\n"), "p.csv"))
                .hasMessage("p.csv line 3, column plan_tier: 'pro' repeats line 2: one price per plan");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void loadingIsAnIdempotentUpsertAndABadFileWritesNothing(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            String csv = HEADER + "2026-03,draft_email,acme,pro,12\n2026-03,draft_email,globex,free,3\n";
            assertThat(TelemetryLoader.loadActiveUsers(c, dialect, new StringReader(csv), "mau.csv")).isEqualTo(2);
            assertThat(TelemetryLoader.loadActiveUsers(c, dialect, new StringReader(csv), "mau.csv")).isEqualTo(2);
            String corrected = HEADER + "2026-03,draft_email,acme,pro,15\n";
            TelemetryLoader.loadActiveUsers(c, dialect, new StringReader(corrected), "mau.csv");
            assertThatThrownBy(() -> TelemetryLoader.loadActiveUsers(c, dialect,
                    new StringReader(HEADER + "2026-03,draft_email,initech,pro,1\n2026-03,draft_email,x,pro,-1\n"), "mau.csv"))
                    .isInstanceOf(CsvFormatException.class);
            assertThat(w.query("SELECT tenant_id, active_users FROM product_active_users ORDER BY tenant_id"))
                    .containsExactly(List.of("acme", 15L), List.of("globex", 3L));
        }
    }
}
