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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenledger warehouse ...} and {@code tokenledger report} on a DuckDB file. */
class WarehouseCommandsTest {
    @TempDir
    Path dir;

    private static Result run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void initLoadAndReport() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
        Result init = run("warehouse", "init", "--warehouse", url);
        assertThat(init.code()).isEqualTo(0);
        assertThat(init.out()).startsWith("Warehouse ready at " + url);

        Path mau = Files.writeString(dir.resolve("mau.csv"), "month,feature_id,tenant_id,plan_tier,active_users\n2026-03,draft_email,acme,pro,10\n");
        Result load = run("warehouse", "load-active-users", mau.toString(), "--warehouse", url);
        assertThat(load.code()).as(load.err()).isEqualTo(0);
        assertThat(load.out()).isEqualTo("Loaded 1 active-user rows into product_active_users (" + url + ").\n");

        Path prices = Files.writeString(dir.resolve("prices.csv"), "plan_tier,monthly_price_usd\npro,49\n");
        assertThat(run("warehouse", "load-plan-prices", prices.toString(), "--warehouse", url).code()).isEqualTo(0);

        Path bad = Files.writeString(dir.resolve("bad.csv"), "month,feature_id,tenant_id,plan_tier,active_users\n2026-03,draft_email,acme,pro,ten\n");
        Result refused = run("warehouse", "load-active-users", bad.toString(), "--warehouse", url);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo(bad + " line 2, column active_users: 'ten' is not a whole number. Nothing was loaded.\n");

        Result report = run("report", "--warehouse", url, "--month", "2026-03", "--today", "2026-03-20");
        assertThat(report.code()).as(report.err()).isEqualTo(0);
        assertThat(report.out()).startsWith("TokenLedger AI cost report: March 2026 (UTC), 7-day figures to 2026-03-20\nWarehouse: " + url)
                .contains("COST PER ACTIVE USER", "No usage this month.");

        Result json = run("report", "--warehouse", url, "--month", "2026-03", "--format", "json");
        assertThat(json.out()).startsWith("{\"month\":\"2026-03\"");
        Result csv = run("report", "--warehouse", url, "--month", "2026-03", "--format", "csv");
        assertThat(csv.out()).startsWith("section,feature_id,month_to_date_usd");
    }

    @Test
    void anUnsupportedUrlIsNamed() {
        Result r = run("report", "--warehouse", "jdbc:mysql://h/db");
        assertThat(r.code()).isNotEqualTo(0);
        assertThat(r.err()).contains("Unsupported JDBC URL 'jdbc:mysql://h/db'");
    }
}
