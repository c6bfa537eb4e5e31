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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.RowMappers;
import dev.tokenledger.sink.TestData;
import dev.tokenledger.sink.TestWarehouse;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.WarehouseTables;
import dev.tokenledger.sink.WarehouseWriter;
import dev.tokenledger.sink.report.ReportRenderer;
import dev.tokenledger.sink.report.ReportTable;
import dev.tokenledger.sink.report.WarehouseReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Import of the recorded provider cost reports (their documented shapes, two pages each with a cursor) from a
 * file and from a local HTTP server, and the month's reconciliation against the ledger, on DuckDB and PostgreSQL.
 *
 * <p>The recorded reports, by hand (Anthropic amounts are cents, so / 100):
 * anthropic 2026-12-01 claude-sonnet-4-5 (wrkspc_01Rj2Nx): 150.00 + 450.5 = 600.5 cents = 6.005 USD;
 * 2026-12-01 claude-haiku-4-5 (no workspace): 20.25 cents = 0.2025; 2026-12-02 claude-sonnet-4-5: 300 cents = 3.00;
 * 2026-12-03 claude-opus-4-5 (page 2): 1000.00 cents = 10.00. Total 6.005 + 0.2025 + 3 + 10 = 19.2075.
 * openai 2026-12-01 gpt-4o-2024-08-06 (proj_abc): 0.25 + 1.125 = 1.375; 2026-12-02 gpt-4o-mini-2024-07-18 (page 2): 0.015.
 */
class ReconciliationTest {
    static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    static final String ANTHROPIC_KEY = "sk-ant-admin01-test";
    static final String OPENAI_KEY = "sk-admin-test";

    static String body(String name) throws IOException {
        try (InputStream in = ReconciliationTest.class.getResourceAsStream("/reconcile/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> anthropicPages() throws IOException {
        return List.of(body("anthropic-cost-report-page1.json"), body("anthropic-cost-report-page2.json"));
    }

    static List<String> openaiPages() throws IOException {
        return List.of(body("openai-costs-page1.json"), body("openai-costs-page2.json"));
    }

    private static CostedUsage call(String id, String at, String provider, String model, String total, PricingStatus status) {
        CostedUsage u = TestData.costedTotal(id, Instant.parse(at), "draft_email", "acme", "pro", model, id, 1000, 100, 0, 0, total, "0");
        u.getEvent().setProvider(provider);
        u.setPricingStatus(status);
        return u;
    }

    private static void ledger(Connection c, Dialect dialect, List<CostedUsage> calls) throws Exception {
        List<Map<String, Object>> rows = calls.stream().map(cu -> RowMappers.usageLog(cu, "t", 0, 0L)).toList();
        new WarehouseWriter(c, dialect, 100).upsertAll(Map.of(WarehouseTables.USAGE_LOG_TABLE, rows));
    }

    /**
     * The ledger that priced exactly what the providers billed (two Sonnet calls on Dec 1: 2.00 + 4.005 = 6.005). One
     * of them is stored under the dated id the API answers, the report names the undated alias: they are one model.
     */
    static List<CostedUsage> agreeingLedger() {
        return List.of(
                call("a1", "2026-12-01T09:00:00Z", "anthropic", "claude-sonnet-4-5-20250929", "2.00", PricingStatus.PRICED),
                call("a2", "2026-12-01T23:59:59Z", "anthropic", "claude-sonnet-4-5", "4.005", PricingStatus.PRICED),
                call("a3", "2026-12-01T10:00:00Z", "anthropic", "claude-haiku-4-5", "0.2025", PricingStatus.PRICED),
                call("a4", "2026-12-02T00:00:00Z", "anthropic", "claude-sonnet-4-5", "3.00", PricingStatus.PRICED),
                call("a5", "2026-12-03T12:00:00Z", "anthropic", "claude-opus-4-5", "10.00", PricingStatus.PRICED),
                call("o1", "2026-12-01T12:00:00Z", "openai", "gpt-4o-2024-08-06", "1.375", PricingStatus.PRICED),
                call("o2", "2026-12-02T12:00:00Z", "openai", "gpt-4o-mini-2024-07-18", "0.015", PricingStatus.PRICED),
                // November: outside the month, never compared.
                call("n1", "2026-11-30T23:59:59Z", "anthropic", "claude-opus-4-5", "99.00", PricingStatus.PRICED));
    }

    private static List<List<Object>> providerCosts(TestWarehouse w) throws Exception {
        return w.query("SELECT provider, CAST(day AS VARCHAR), model, scope_id, amount_usd FROM provider_costs ORDER BY provider, day, model");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMonthWhereTheLedgerAndTheReportsAgreeHasZeroDrift(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            ledger(c, dialect, agreeingLedger());
            ProviderCostImporter.Result a = ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC, anthropicPages(), "a.json");
            assertThat(a.days()).isEqualTo(3);
            assertThat(a.rows()).isEqualTo(4);
            assertThat(a.totalUsd()).isEqualByComparingTo("19.2075");
            ProviderCostImporter.Result o = ProviderCostImporter.importPages(c, dialect, CostReportProvider.OPENAI, openaiPages(), "o.json");
            assertThat(o.totalUsd()).isEqualByComparingTo("1.39"); // 1.375 + 0.015

            assertThat(providerCosts(w)).containsExactly(
                    List.of("anthropic", "2026-12-01", "claude-haiku-4-5", "", new BigDecimal("0.202500000000")),
                    List.of("anthropic", "2026-12-01", "claude-sonnet-4-5", "wrkspc_01Rj2Nx", new BigDecimal("6.005000000000")),
                    List.of("anthropic", "2026-12-02", "claude-sonnet-4-5", "wrkspc_01Rj2Nx", new BigDecimal("3.000000000000")),
                    List.of("anthropic", "2026-12-03", "claude-opus-4-5", "wrkspc_01Rj2Nx", new BigDecimal("10.000000000000")),
                    List.of("openai", "2026-12-01", "gpt-4o-2024-08-06", "proj_abc", new BigDecimal("1.375000000000")),
                    List.of("openai", "2026-12-02", "gpt-4o-mini-2024-07-18", "proj_abc", new BigDecimal("0.015000000000")));

            List<Reconciliation.Row> rows = Reconciliation.forMonth(c, DECEMBER);
            assertThat(rows).hasSize(6).allSatisfy(r -> {
                assertThat(r.driftUsd()).isZero();
                assertThat(r.driftPct()).isZero();
                assertThat(r.likelyCause()).isNull();
            });
            assertThat(Reconciliation.allWithin(rows, Reconciliation.DEFAULT_THRESHOLD_PCT)).isTrue();
            assertThat(Reconciliation.json(rows)).startsWith("[{\"day\":\"2026-12-01\",\"provider\":\"anthropic\",\"model\":\"claude-haiku-4-5\","
                    + "\"ledger_usd\":\"0.2025\",\"provider_usd\":\"0.2025\",\"drift_usd\":\"0.00\",\"drift_pct\":\"0.00\",\"likely_cause\":null}");
            // ledger 19.2075 + 1.39 = 20.5975 on both sides
            assertThat(Reconciliation.text(DECEMBER, rows, BigDecimal.ONE)).contains("20.5975", "Every drift is within 1 %.");

            // Re-importing the same period is an idempotent replace: same rows, same totals.
            ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC, anthropicPages(), "a-again.json");
            assertThat(providerCosts(w)).hasSize(6);
            assertThat(w.query("SELECT SUM(amount_usd) FROM provider_costs WHERE provider = 'anthropic'").get(0).get(0))
                    .isEqualTo(new BigDecimal("19.207500000000"));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMissingPriceTierAnUnpricedModelAndBypassingCallsDriftWithTheirLikelyCause(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            ledger(c, dialect, List.of(
                    call("a1", "2026-12-01T09:00:00Z", "anthropic", "claude-sonnet-4-5", "6.005", PricingStatus.PRICED),
                    // the catalog had no price for haiku: priced at zero
                    call("a3", "2026-12-01T10:00:00Z", "anthropic", "claude-haiku-4-5", "0", PricingStatus.UNPRICED),
                    call("a4", "2026-12-02T00:00:00Z", "anthropic", "claude-sonnet-4-5", "3.00", PricingStatus.PRICED),
                    // the 200k-1M long-context tier was missing: priced at the base rate only
                    call("a5", "2026-12-03T12:00:00Z", "anthropic", "claude-opus-4-5", "4.00", PricingStatus.PARTIALLY_PRICED),
                    // a day the report does not have
                    call("a6", "2026-12-04T12:00:00Z", "anthropic", "claude-sonnet-4-5", "1.00", PricingStatus.PRICED),
                    call("o1", "2026-12-01T12:00:00Z", "openai", "gpt-4o-2024-08-06", "1.375", PricingStatus.PRICED)));
            // o2 (gpt-4o-mini on Dec 2) never reached the ledger.
            ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC, anthropicPages(), "a.json");
            ProviderCostImporter.importPages(c, dialect, CostReportProvider.OPENAI, openaiPages(), "o.json");

            List<Reconciliation.Row> rows = Reconciliation.forMonth(c, DECEMBER);
            assertThat(rows).extracting(r -> List.of(r.day().toString(), r.provider(), r.model(), Reconciliation.money(r.driftUsd()),
                    r.driftPct().toPlainString(), String.valueOf(r.likelyCause()))).containsExactly(
                    // 0.2025 - 0 = 0.2025, / 0.2025 = 100 %
                    List.of("2026-12-01", "anthropic", "claude-haiku-4-5", "0.2025", "100.00", WarehouseViewsCauses.UNPRICED),
                    List.of("2026-12-01", "anthropic", "claude-sonnet-4-5", "0.00", "0.00", "null"),
                    List.of("2026-12-01", "openai", "gpt-4o", "0.00", "0.00", "null"),
                    List.of("2026-12-02", "anthropic", "claude-sonnet-4-5", "0.00", "0.00", "null"),
                    // 0.015 billed, nothing in the ledger: 100 %
                    List.of("2026-12-02", "openai", "gpt-4o-mini", "0.015", "100.00", WarehouseViewsCauses.MISSING_IN_LEDGER),
                    // 10.00 - 4.00 = 6.00; 6 / 10 = 60 %; the report's opus line is a 200k-1M one, the ledger applied no long-context tier
                    List.of("2026-12-03", "anthropic", "claude-opus-4-5", "6.00", "60.00", WarehouseViewsCauses.LONG_CONTEXT),
                    // 0 - 1.00 = -1.00; against the ledger (the report billed 0): -100 %
                    List.of("2026-12-04", "anthropic", "claude-sonnet-4-5", "-1.00", "-100.00", WarehouseViewsCauses.MISSING_IN_REPORT));
            assertThat(Reconciliation.allWithin(rows, Reconciliation.DEFAULT_THRESHOLD_PCT)).isFalse();
            assertThat(Reconciliation.allWithin(rows, new BigDecimal("100"))).isTrue();

            // anthropic: ledger 6.005 + 0 + 3 + 4 + 1 = 14.005, report 19.2075, drift 5.2025; worst day Dec 3 (6.00)
            Reconciliation.ProviderSummary anthropic = Reconciliation.byProvider(rows).get(0);
            assertThat(anthropic.provider()).isEqualTo("anthropic");
            assertThat(anthropic.ledgerUsd()).isEqualByComparingTo("14.005");
            assertThat(anthropic.providerUsd()).isEqualByComparingTo("19.2075");
            assertThat(anthropic.driftUsd()).isEqualByComparingTo("5.2025");
            assertThat(anthropic.driftPct()).isEqualByComparingTo("27.09"); // 5.2025 / 19.2075 = 0.270857... -> 27.09
            assertThat(anthropic.worstDay()).isEqualTo(LocalDate.of(2026, 12, 3));

            ReportTable section = WarehouseReport.build(c, DECEMBER, LocalDate.of(2026, 12, 31)).section("invoice_match");
            assertThat(section.title()).isEqualTo("Does it match the invoice?");
            // openai: ledger 1.375, report 1.375 + 0.015 = 1.39, drift 0.015 = 1.08 % of 1.39 (0.015 / 1.39 = 0.010791...); worst day Dec 2
            assertThat(section.rows()).containsExactly(
                    List.of("anthropic", new BigDecimal("14.005000000000"), new BigDecimal("19.207500000000"), new BigDecimal("5.202500000000"),
                            new BigDecimal("0.2709"), "2026-12-03", new BigDecimal("6.000000000000")),
                    List.of("openai", new BigDecimal("1.375000000000"), new BigDecimal("1.390000000000"), new BigDecimal("0.015000000000"),
                            new BigDecimal("0.0108"), "2026-12-02", new BigDecimal("0.015000000000")));
            assertThat(ReportRenderer.render(WarehouseReport.build(c, DECEMBER, LocalDate.of(2026, 12, 31)), ReportRenderer.Format.TEXT, null))
                    .contains("DOES IT MATCH THE INVOICE?", "+27.1%");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void badReportsAreRefusedWithTheReasonAndNothingIsImported(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.OPENAI,
                    List.of(body("openai-costs-eur.json")), "o.json"))
                    .isInstanceOf(CostReportException.class)
                    .hasMessage("o.json data[0].results[0]: currency 'eur' is not USD: TokenLedger prices in USD; export the report in USD");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC,
                    List.of(body("anthropic-usage-report-not-cost.json")), "usage.json"))
                    .hasMessageStartingWith("usage.json data[0].results[0]: wrong shape: no \"amount\"");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.OPENAI, anthropicPages(), "a.json"))
                    .hasMessage("a.json page 1: wrong shape: \"object\" is '', an OpenAI costs page has \"object\": \"page\"");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC,
                    List.of(body("anthropic-cost-report-page2.json"), body("anthropic-cost-report-overlap.json")), "a.json"))
                    .hasMessage("a.json page 2 data[0]: the bucket for 2026-12-03 overlaps a.json page 1 data[0]: a report covers each day "
                            + "once (import each period once; a re-import replaces it)");
            String negative = body("anthropic-cost-report-page2.json").replace("\"1000.00\"", "\"-5\"");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC, List.of(negative), "n.json"))
                    .hasMessageContaining("amount -0.05 USD is negative");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC, List.of("[1, 2]"), "x.json"))
                    .hasMessage("x.json: expected a JSON object {data, has_more, next_page}, found ARRAY");
            assertThat(w.query("SELECT COUNT(*) FROM provider_costs").get(0).get(0)).isEqualTo(0L);
            assertThat(WarehouseReport.build(c, DECEMBER, LocalDate.of(2026, 12, 31)).section("invoice_match").emptyText())
                    .contains("tokenledger reconcile import");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CostReportProvider.class, names = {"ANTHROPIC", "OPENAI"})
    void theUrlImportFetchesEveryPageWithTheAdminKeyAndFollowsTheCursor(CostReportProvider provider) throws Exception {
        List<String> pages = provider == CostReportProvider.ANTHROPIC ? anthropicPages() : openaiPages();
        String cursor = provider == CostReportProvider.ANTHROPIC ? "page_MjAyNi0xMi0wM1QwMDowMDowMFo=" : "page_AAAAAGdGxdEendvU";
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String auth = provider == CostReportProvider.ANTHROPIC
                    ? exchange.getRequestHeaders().getFirst("x-api-key") + " " + exchange.getRequestHeaders().getFirst("anthropic-version")
                    : exchange.getRequestHeaders().getFirst("Authorization");
            String query = exchange.getRequestURI().getQuery();
            requests.add(exchange.getRequestURI().getPath() + "?" + query + " " + auth);
            boolean authorized = provider == CostReportProvider.ANTHROPIC ? (ANTHROPIC_KEY + " 2023-06-01").equals(auth)
                    : ("Bearer " + OPENAI_KEY).equals(auth);
            String body = !authorized ? "{\"error\":{\"type\":\"authentication_error\"}}"
                    : query.endsWith("&page=" + cursor) ? pages.get(1) : pages.get(0);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try (TestWarehouse w = TestWarehouse.create(Dialect.DUCKDB); Connection c = w.connect()) {
            String path = provider == CostReportProvider.ANTHROPIC ? "/v1/organizations/cost_report" : "/v1/organization/costs";
            String query = provider == CostReportProvider.ANTHROPIC ? "?starting_at=2026-12-01T00:00:00Z&bucket_width=1d"
                    : "?start_time=1796083200&bucket_width=1d";
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + path + query;
            String key = provider == CostReportProvider.ANTHROPIC ? ANTHROPIC_KEY : OPENAI_KEY;

            assertThatThrownBy(() -> new ProviderCostFetcher().fetch(provider, url, "wrong-key"))
                    .isInstanceOf(CostReportException.class).hasMessageContaining("answered HTTP 401");
            requests.clear();

            List<String> bodies = new ProviderCostFetcher().fetch(provider, url, key);
            assertThat(bodies).containsExactlyElementsOf(pages);
            String expectedAuth = provider == CostReportProvider.ANTHROPIC ? ANTHROPIC_KEY + " 2023-06-01" : "Bearer " + OPENAI_KEY;
            assertThat(requests).containsExactly(path + query + " " + expectedAuth,
                    path + query + "&page=" + cursor + " " + expectedAuth);

            Warehouse.init(c, Dialect.DUCKDB, true);
            ProviderCostImporter.Result fromUrl = ProviderCostImporter.importPages(c, Dialect.DUCKDB, provider, bodies, url);
            ProviderCostImporter.Result fromFile = ProviderCostImporter.importPages(c, Dialect.DUCKDB, provider, pages, "file");
            assertThat(fromUrl).isEqualTo(fromFile);
            assertThat(fromUrl.totalUsd()).isEqualByComparingTo(provider == CostReportProvider.ANTHROPIC ? "19.2075" : "1.39");
        } finally {
            server.stop(0);
        }
    }

    /** The cause strings, read from the one place that defines them. */
    static final class WarehouseViewsCauses {
        static final String UNPRICED = dev.tokenledger.sink.WarehouseViews.CAUSE_UNPRICED;
        static final String PARTIALLY_PRICED = dev.tokenledger.sink.WarehouseViews.CAUSE_PARTIALLY_PRICED;
        static final String LONG_CONTEXT = dev.tokenledger.sink.WarehouseViews.CAUSE_LONG_CONTEXT;
        static final String REGION = dev.tokenledger.sink.WarehouseViews.CAUSE_REGION;
        static final String MISSING_IN_LEDGER = dev.tokenledger.sink.WarehouseViews.CAUSE_MISSING_IN_LEDGER;
        static final String MISSING_IN_REPORT = dev.tokenledger.sink.WarehouseViews.CAUSE_MISSING_IN_REPORT;

        private WarehouseViewsCauses() {
        }
    }
}
