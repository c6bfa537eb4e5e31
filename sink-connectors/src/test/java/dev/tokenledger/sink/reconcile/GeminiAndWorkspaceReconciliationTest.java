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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.RowMappers;
import dev.tokenledger.sink.TestData;
import dev.tokenledger.sink.TestWarehouse;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.WarehouseTables;
import dev.tokenledger.sink.WarehouseViews;
import dev.tokenledger.sink.WarehouseWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Google billing export (CSV), drift per workspace / project, and the likely causes the report's own lines
 * tell (long-context, regional inference), on DuckDB and PostgreSQL.
 *
 * <p>gemini-billing-export.csv (SKU names in the export's style), by hand: Dec 1 Vertex AI gemini-2.5-flash proj-chat
 * 0.15 + 0.60 = 0.75 (a Compute Engine row, 3.20, and a tax row, 0.05, are skipped); Dec 2 gemini-2.5-pro proj-chat
 * 2.50 (a long-context SKU), gemini-2.5-pro proj-batch 1.00, gemini-2.0-flash-lite proj-chat 0.01. Total 4.26. Two Vertex AI
 * rows name no Gemini model (Claude on Vertex 0.90 on Dec 1, an embedding 0.02 on Dec 2): not imported, reported as skipped.
 */
class GeminiAndWorkspaceReconciliationTest {
    static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    private static CostedUsage call(String id, String at, String provider, String model, String total, PricingStatus status,
                                    String scope) {
        CostedUsage u = TestData.costedTotal(id, Instant.parse(at), "draft_email", "acme", "pro", model, id, 1000, 100, 0, 0, total, "0");
        u.getEvent().setProvider(provider);
        u.setPricingStatus(status);
        if (scope != null) {
            u.getEvent().setTags(Map.of(WarehouseViews.BILLING_SCOPE_TAG, scope, "step", "draft"));
        }
        return u;
    }

    private static void ledger(Connection c, Dialect dialect, CostedUsage... calls) throws Exception {
        List<Map<String, Object>> rows = List.of(calls).stream().map(cu -> RowMappers.usageLog(cu, "t", 0, 0L)).toList();
        new WarehouseWriter(c, dialect, 100).upsertAll(Map.of(WarehouseTables.USAGE_LOG_TABLE, rows));
    }

    private static List<List<String>> summary(List<Reconciliation.Row> rows) {
        return rows.stream().map(r -> List.of(r.day().toString(), r.provider(), r.model(), String.valueOf(r.scopeId()),
                Reconciliation.money(r.ledgerUsd()), Reconciliation.money(r.providerUsd()), String.valueOf(r.likelyCause()))).toList();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theGeminiBillingExportImportsItsGeminiRowsAndMatchesTheLedgerPerProject(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            CostedUsage pro = call("g2", "2026-12-02T13:30:00Z", "google", "gemini-2.5-pro", "2.50", PricingStatus.PRICED, "proj-chat");
            pro.setLongContextApplied(true);
            ledger(c, dialect,
                    call("g1", "2026-12-01T09:10:00Z", "google", "gemini-2.5-flash", "0.75", PricingStatus.PRICED, "proj-chat"),
                    pro,
                    call("g3", "2026-12-02T13:40:00Z", "google", "gemini-2.5-pro", "1.00", PricingStatus.PRICED, "proj-batch"),
                    // the Vertex id carries a version suffix the SKU does not
                    call("g4", "2026-12-02T00:30:00Z", "google", "gemini-2.0-flash-lite-001", "0.01", PricingStatus.PRICED, "proj-chat"));

            ProviderCostImporter.Result r = ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI,
                    List.of(ReconciliationTest.body("gemini-billing-export.csv")), "g.csv");
            assertThat(r.days()).isEqualTo(2);
            assertThat(r.rows()).isEqualTo(4);
            assertThat(r.totalUsd()).isEqualByComparingTo("4.26");
            assertThat(r.skipped()).containsOnlyKeys("Claude Sonnet 4.5 Input Tokens", "Text Embedding 005 Online Prediction Characters");
            assertThat(r.skippedUsd()).isEqualByComparingTo("0.92");
            assertThat(w.query("SELECT provider, CAST(day AS VARCHAR), model, scope_id, amount_usd, long_context_usd FROM provider_costs "
                    + "ORDER BY day, model, scope_id")).containsExactly(
                    List.of("google", "2026-12-01", "gemini-2.5-flash", "proj-chat", new BigDecimal("0.750000000000"), new BigDecimal("0E-12")),
                    List.of("google", "2026-12-02", "gemini-2.0-flash-lite", "proj-chat", new BigDecimal("0.010000000000"),
                            new BigDecimal("0E-12")),
                    List.of("google", "2026-12-02", "gemini-2.5-pro", "proj-batch", new BigDecimal("1.000000000000"), new BigDecimal("0E-12")),
                    List.of("google", "2026-12-02", "gemini-2.5-pro", "proj-chat", new BigDecimal("2.500000000000"),
                            new BigDecimal("2.500000000000")));

            List<Reconciliation.Row> byModel = Reconciliation.forMonth(c, DECEMBER);
            assertThat(summary(byModel)).containsExactly(
                    List.of("2026-12-01", "google", "gemini-2.5-flash", "null", "0.75", "0.75", "null"),
                    List.of("2026-12-02", "google", "gemini-2.0-flash-lite", "null", "0.01", "0.01", "null"),
                    List.of("2026-12-02", "google", "gemini-2.5-pro", "null", "3.50", "3.50", "null"));
            assertThat(Reconciliation.allWithin(byModel, BigDecimal.ZERO)).isTrue();

            List<Reconciliation.Row> byProject = Reconciliation.forMonth(c, DECEMBER, Reconciliation.Breakdown.WORKSPACE);
            assertThat(summary(byProject)).containsExactly(
                    List.of("2026-12-01", "google", "gemini-2.5-flash", "proj-chat", "0.75", "0.75", "null"),
                    List.of("2026-12-02", "google", "gemini-2.0-flash-lite", "proj-chat", "0.01", "0.01", "null"),
                    List.of("2026-12-02", "google", "gemini-2.5-pro", "proj-batch", "1.00", "1.00", "null"),
                    List.of("2026-12-02", "google", "gemini-2.5-pro", "proj-chat", "2.50", "2.50", "null"));
            assertThat(Reconciliation.json(byProject)).contains("\"model\":\"gemini-2.5-pro\",\"scope_id\":\"proj-batch\",\"ledger_usd\":\"1.00\"");
            assertThat(Reconciliation.json(byModel)).doesNotContain("scope_id");
            assertThat(Reconciliation.text(DECEMBER, byProject, BigDecimal.ONE)).contains("workspace/project", "proj-batch", "4.26");

            // A BigQuery alias cannot hold a dot: the same export with service_description, project_id, ... reads the same.
            String header = ReconciliationTest.body("gemini-billing-export.csv").lines().findFirst().orElseThrow();
            String aliased = ReconciliationTest.body("gemini-billing-export.csv").replace(header, header.replace('.', '_'));
            assertThat(ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI, List.of(aliased), "aliased.csv"))
                    .isEqualTo(r);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aProjectMisattributedInTheLedgerDriftsPerProjectButNotInTotal(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            // Dec 1's flash calls went through proj-chat's key (the export bills them there), but the ledger tagged one
            // proj-batch and left the other untagged: per project both sides drift, per model they agree.
            ledger(c, dialect,
                    call("g1", "2026-12-01T09:10:00Z", "google", "gemini-2.5-flash", "0.50", PricingStatus.PRICED, "proj-batch"),
                    call("g1b", "2026-12-01T09:20:00Z", "google", "gemini-2.5-flash", "0.25", PricingStatus.PRICED, null));
            ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI, List.of(ReconciliationTest.body("gemini-billing-export.csv")),
                    "g.csv");
            List<Reconciliation.Row> dec1 = Reconciliation.forMonth(c, DECEMBER, Reconciliation.Breakdown.WORKSPACE).stream()
                    .filter(r -> r.day().getDayOfMonth() == 1).toList();
            assertThat(summary(dec1)).containsExactly(
                    List.of("2026-12-01", "google", "gemini-2.5-flash", "", "0.25", "0.00", WarehouseViews.CAUSE_MISSING_IN_REPORT),
                    List.of("2026-12-01", "google", "gemini-2.5-flash", "proj-batch", "0.50", "0.00", WarehouseViews.CAUSE_MISSING_IN_REPORT),
                    List.of("2026-12-01", "google", "gemini-2.5-flash", "proj-chat", "0.00", "0.75", WarehouseViews.CAUSE_MISSING_IN_LEDGER));
            assertThat(Reconciliation.forMonth(c, DECEMBER).get(0).driftUsd()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void longContextAndRegionalLinesOfTheReportNameTheirCause(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            ledger(c, dialect,
                    // 1000 cents billed, 400 of them at 0-200k and 600 at 200k-1M; the ledger priced the base rate only
                    call("a1", "2026-12-05T10:00:00Z", "anthropic", "claude-opus-4-5-20251101", "4.00", PricingStatus.PRICED, "wrkspc_01Rj2Nx"),
                    // billed 1.10 with inference_geo us (the US-only uplift); the ledger had no region for the call
                    call("a2", "2026-12-05T11:00:00Z", "anthropic", "claude-sonnet-4-5-20250929", "1.00", PricingStatus.PRICED, "wrkspc_04UsOnly"));
            ProviderCostImporter.importPages(c, dialect, CostReportProvider.ANTHROPIC,
                    List.of(ReconciliationTest.body("anthropic-cost-report-long-context.json")), "lc.json");
            assertThat(summary(Reconciliation.forMonth(c, DECEMBER))).containsExactly(
                    List.of("2026-12-05", "anthropic", "claude-opus-4-5", "null", "4.00", "10.00", WarehouseViews.CAUSE_LONG_CONTEXT),
                    List.of("2026-12-05", "anthropic", "claude-sonnet-4-5", "null", "1.00", "1.10", WarehouseViews.CAUSE_REGION));

            // Once the ledger priced the long-context tier (but still lacked a class): partially priced, not a missing tier.
            try (var st = c.createStatement()) {
                st.execute("UPDATE usage_log SET long_context_applied = TRUE, pricing_status = 'PARTIALLY_PRICED' WHERE event_id = 'a1'");
                st.execute("UPDATE usage_log SET region = 'us' WHERE event_id = 'a2'");
            }
            assertThat(Reconciliation.forMonth(c, DECEMBER)).extracting(Reconciliation.Row::likelyCause)
                    .containsExactly(WarehouseViews.CAUSE_PARTIALLY_PRICED, null);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void badBillingExportsAreRefusedWithTheReasonAndNothingIsImported(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            String good = ReconciliationTest.body("gemini-billing-export.csv");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI,
                    List.of(ReconciliationTest.body("gemini-billing-export-eur.csv")), "eur.csv"))
                    .isInstanceOf(CostReportException.class)
                    .hasMessage("eur.csv line 2: currency 'EUR' is not USD: TokenLedger prices in USD; export the report in USD");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI,
                    List.of(good, ReconciliationTest.body("gemini-billing-export-overlap.csv")), "g.csv"))
                    .hasMessage("g.csv file 2 line 3: 2026-12-02 is also covered by g.csv file 1: the files overlap (import each period "
                            + "once; a re-import replaces it)");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI,
                    List.of(ReconciliationTest.body("anthropic-cost-report-page1.json")), "a.json"))
                    .hasMessageStartingWith("wrong shape: a.json line 1, column service.description: '{' header lacks column "
                            + "'service.description'");
            String spanning = good.replace("2026-12-01 10:00:00 UTC", "2026-12-02 01:00:00 UTC");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI, List.of(spanning), "s.csv"))
                    .hasMessage("s.csv line 2: the usage period 2026-12-01T09:00:00Z .. 2026-12-02T01:00:00Z is not within one UTC day: "
                            + "export the standard usage cost table's own (hourly) rows");
            String negative = good.replace(",0.600000,", ",-0.600000,");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI, List.of(negative), "n.csv"))
                    .hasMessageContaining("n.csv line 3: amount -0.600000 USD is negative");
            String notANumber = good.replace(",0.600000,", ",0.6o,");
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI, List.of(notANumber), "x.csv"))
                    .hasMessage("x.csv line 3, column cost: '0.6o' is not a decimal number");
            String computeOnly = good.lines().filter(l -> l.startsWith("billing_account_id") || l.contains("Compute Engine"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            assertThatThrownBy(() -> ProviderCostImporter.importPages(c, dialect, CostReportProvider.GEMINI, List.of(computeOnly), "c.csv"))
                    .hasMessage("c.csv: none of its 1 rows is a Vertex AI / Gemini API cost (services: Compute Engine): is this the export "
                            + "of the billing account that pays for Gemini?");
            assertThatThrownBy(() -> new ProviderCostFetcher().fetch(CostReportProvider.GEMINI, "http://127.0.0.1:9/", "k"))
                    .hasMessageContaining("import it with --file");
            assertThat(w.query("SELECT COUNT(*) FROM provider_costs").get(0).get(0)).isEqualTo(0L);
        }
    }
}
