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

import com.sun.net.httpserver.HttpServer;
import dev.tokenledger.cli.CliRun.Result;
import dev.tokenledger.sink.Warehouse;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenledger reconcile import} and {@code tokenledger reconcile} on a DuckDB file, with the recorded
 * Anthropic cost report of the sink's tests (two pages: Dec 1 sonnet 6.005 + haiku 0.2025, Dec 2 sonnet 3.00,
 * Dec 3 opus 10.00 USD; total 19.2075).
 */
class ReconcileCommandTest {
    static final Path REPORTS = Path.of("../sink-connectors/src/test/resources/reconcile");

    @TempDir
    Path dir;

    private static Result run(String... args) {
        return CliRun.run(args);
    }

    private static void ledger(String url, String... values) throws Exception {
        try (Connection c = Warehouse.connect(url, null, null); Statement st = c.createStatement()) {
            for (String v : values) {
                st.execute("INSERT INTO usage_log (event_id, timestamp, kind, feature_id, tenant_id, environment, provider, model, "
                        + "pricing_status, total_cost_usd) VALUES (" + v + ")");
            }
        }
    }

    @Test
    void importFromFilesThenReconcileAgreesThenDriftsWhenATierIsMissing() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
        assertThat(run("warehouse", "init", "--warehouse", url).code()).isEqualTo(0);
        ledger(url,
                "'a1', TIMESTAMPTZ '2026-12-01 09:00:00+00', 'COMPLETED', 'draft_email', 'acme', 'production', 'anthropic', 'claude-sonnet-4-5', "
                        + "'PRICED', 6.005",
                "'a3', TIMESTAMPTZ '2026-12-01 10:00:00+00', 'COMPLETED', 'draft_email', 'acme', 'production', 'anthropic', 'claude-haiku-4-5', "
                        + "'PRICED', 0.2025",
                "'a4', TIMESTAMPTZ '2026-12-02 10:00:00+00', 'COMPLETED', 'draft_email', 'acme', 'staging', 'anthropic', 'claude-sonnet-4-5', "
                        + "'PRICED', 3.00",
                "'a5', TIMESTAMPTZ '2026-12-03 10:00:00+00', 'COMPLETED', 'draft_email', 'acme', 'production', 'anthropic', 'claude-opus-4-5', "
                        + "'PRICED', 10.00");

        Result imported = run("reconcile", "import", "--provider", "anthropic", "--file",
                REPORTS.resolve("anthropic-cost-report-page1.json").toString(), REPORTS.resolve("anthropic-cost-report-page2.json").toString(),
                "--warehouse", url);
        assertThat(imported.code()).as(imported.err()).isEqualTo(0);
        assertThat(imported.out()).isEqualTo("Imported 4 anthropic cost rows over 3 days (19.2075 USD) into provider_costs (" + url + ").\n");

        Result agree = run("reconcile", "--month", "2026-12", "--warehouse", url);
        assertThat(agree.code()).as(agree.out() + agree.err()).isEqualTo(0);
        assertThat(agree.out()).contains("2026-12-03  anthropic  claude-opus-4-5", "total", "19.2075", "Every drift is within 1 %.");

        // The 200k-1M tier was missing from the catalog: the opus call was priced at 4.00 instead of 10.00.
        try (Connection c = Warehouse.connect(url, null, null); Statement st = c.createStatement()) {
            st.execute("UPDATE usage_log SET total_cost_usd = 4.00, pricing_status = 'PARTIALLY_PRICED' WHERE event_id = 'a5'");
        }
        Result drift = run("reconcile", "--month", "2026-12", "--warehouse", url, "--format", "json");
        assertThat(drift.code()).isEqualTo(1);
        // 10.00 - 4.00 = 6.00; 6.00 / 10.00 = 60 %
        assertThat(drift.out()).contains("{\"day\":\"2026-12-03\",\"provider\":\"anthropic\",\"model\":\"claude-opus-4-5\",\"ledger_usd\":\"4.00\","
                + "\"provider_usd\":\"10.00\",\"drift_usd\":\"6.00\",\"drift_pct\":\"60.00\",\"likely_cause\":\"missing long-context tier (the report "
                + "bills long-context lines, the ledger applied none)\"}");
        assertThat(run("reconcile", "--month", "2026-12", "--warehouse", url, "--threshold-pct", "60").code()).isEqualTo(0);

        Result report = run("report", "--warehouse", url, "--month", "2026-12", "--today", "2026-12-31");
        assertThat(report.out()).as(report.err()).contains("DOES IT MATCH THE INVOICE?", "2026-12-03");

        Path eur = REPORTS.resolve("openai-costs-eur.json");
        Result refused = run("reconcile", "import", "--provider", "openai", "--file", eur.toString(), "--warehouse", url);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo(eur + " data[0].results[0]: currency 'eur' is not USD: TokenLedger prices in USD; "
                + "export the report in USD. Nothing was imported.\n");
    }

    @Test
    void importFromUrlSendsTheKeyFromTheNamedVariableAndFollowsTheCursor() throws Exception {
        List<String> pages = List.of(Files.readString(REPORTS.resolve("openai-costs-page1.json")),
                Files.readString(REPORTS.resolve("openai-costs-page2.json")));
        // Any variable that is always set stands in for the admin key: the test cannot set one for itself.
        String key = System.getenv("PATH");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/organization/costs", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            seen.add(query + " " + ("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = (query.contains("page=page_AAAAAGdGxdEendvU") ? pages.get(1) : pages.get(0)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/organization/costs?start_time=1796083200&group_by=line_item";
            Result r = run("reconcile", "import", "--provider", "openai", "--url", endpoint, "--admin-key-env", "PATH", "--warehouse", url);
            assertThat(r.code()).as(r.err()).isEqualTo(0);
            // 0.25 + 1.125 + 0.015 = 1.39
            assertThat(r.out()).startsWith("Imported 2 openai cost rows over 2 days (1.39 USD)");
            assertThat(seen).containsExactly("start_time=1796083200&group_by=line_item true",
                    "start_time=1796083200&group_by=line_item&page=page_AAAAAGdGxdEendvU true");

            Result noKey = run("reconcile", "import", "--provider", "openai", "--url", endpoint, "--admin-key-env", "TL_NO_SUCH_VARIABLE_17",
                    "--warehouse", url);
            assertThat(noKey.code()).isEqualTo(1);
            assertThat(noKey.err()).contains("TL_NO_SUCH_VARIABLE_17 is not set", "Nothing was imported.");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void geminiBillingExportAndTheBreakdownPerWorkspace() throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
        assertThat(run("warehouse", "init", "--warehouse", url).code()).isEqualTo(0);
        try (Connection c = Warehouse.connect(url, null, null); Statement st = c.createStatement()) {
            // the ledger: Dec 1 flash 0.75 in proj-chat; Dec 2 pro 2.50 (proj-chat, long context) + 1.00 (proj-batch); lite 0.01
            st.execute("INSERT INTO usage_log (event_id, timestamp, kind, feature_id, tenant_id, environment, provider, model, pricing_status, "
                    + "total_cost_usd, long_context_applied, tags_json) VALUES "
                    + "('g1', TIMESTAMPTZ '2026-12-01 09:10:00+00', 'COMPLETED', 'f', 't', 'production', 'google', 'gemini-2.5-flash', 'PRICED', "
                    + "0.75, false, '{\"billing_scope\":\"proj-chat\"}'), "
                    + "('g2', TIMESTAMPTZ '2026-12-02 13:30:00+00', 'COMPLETED', 'f', 't', 'production', 'google', 'gemini-2.5-pro', 'PRICED', "
                    + "2.50, true, '{\"billing_scope\":\"proj-chat\"}'), "
                    + "('g3', TIMESTAMPTZ '2026-12-02 13:40:00+00', 'COMPLETED', 'f', 't', 'production', 'google', 'gemini-2.5-pro', 'PRICED', "
                    + "1.00, false, '{\"billing_scope\":\"proj-chat\"}'), "
                    + "('g4', TIMESTAMPTZ '2026-12-02 00:30:00+00', 'COMPLETED', 'f', 't', 'production', 'google', 'gemini-2.0-flash-lite-001', "
                    + "'PRICED', 0.01, false, '{}')");
        }
        Result imported = run("reconcile", "import", "--provider", "gemini", "--file", REPORTS.resolve("gemini-billing-export.csv").toString(),
                "--warehouse", url);
        assertThat(imported.code()).as(imported.err()).isEqualTo(0);
        assertThat(imported.out()).startsWith("Imported 4 gemini cost rows over 2 days (4.26 USD) into provider_costs")
                .contains("Skipped 2 SKU(s) naming no model the ledger prices under gemini (0.92 USD, not imported): "
                        + "Claude Sonnet 4.5 Input Tokens, Text Embedding 005 Online Prediction Characters.");

        // per model family every day agrees ...
        assertThat(run("reconcile", "--month", "2026-12", "--warehouse", url, "--threshold-pct", "0").code()).isEqualTo(0);
        // ... per project, g3 was tagged proj-chat but billed to proj-batch, and g4 carries no tag
        Result byWorkspace = run("reconcile", "--month", "2026-12", "--warehouse", url, "--by", "workspace", "--format", "json");
        assertThat(byWorkspace.code()).isEqualTo(0);
        assertThat(byWorkspace.out()).contains(
                "{\"day\":\"2026-12-02\",\"provider\":\"google\",\"model\":\"gemini-2.5-pro\",\"scope_id\":\"proj-batch\",\"ledger_usd\":\"0.00\","
                        + "\"provider_usd\":\"1.00\",\"drift_usd\":\"1.00\",\"drift_pct\":\"100.00\",\"likely_cause\":\"missing in ledger",
                "\"model\":\"gemini-2.5-pro\",\"scope_id\":\"proj-chat\",\"ledger_usd\":\"3.50\",\"provider_usd\":\"2.50\"",
                "\"model\":\"gemini-2.0-flash-lite\",\"scope_id\":\"\",\"ledger_usd\":\"0.01\",\"provider_usd\":\"0.00\"");
        assertThat(run("reconcile", "--month", "2026-12", "--warehouse", url, "--by", "workspace").out())
                .contains("workspace/project", "proj-batch");

        Result badBy = run("reconcile", "--month", "2026-12", "--warehouse", url, "--by", "team");
        assertThat(badBy.code()).isEqualTo(2);
        assertThat(badBy.err()).isEqualTo("--by is 'model' or 'workspace', not 'team'\n");
        Result half = run("reconcile", "--month", "2026-12", "--warehouse", url, "--bootstrap", "127.0.0.1:9");
        assertThat(half.code()).isEqualTo(2);
        assertThat(half.err()).contains("--bootstrap and --registry go together");

        Result eur = run("reconcile", "import", "--provider", "gemini", "--file", REPORTS.resolve("gemini-billing-export-eur.csv").toString(),
                "--warehouse", url);
        assertThat(eur.code()).isEqualTo(1);
        assertThat(eur.err()).endsWith("line 2: currency 'EUR' is not USD: TokenLedger prices in USD; export the report in USD. "
                + "Nothing was imported.\n");
        Result url2 = run("reconcile", "import", "--provider", "gemini", "--url", "https://example.invalid/", "--admin-key-env", "PATH",
                "--warehouse", url);
        assertThat(url2.code()).isEqualTo(1);
        assertThat(url2.err()).contains("import it with --file", "Nothing was imported.");
    }
}
