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
package dev.tokenledger.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.sink.report.ReportRenderer;
import dev.tokenledger.sink.report.ReportTable;
import dev.tokenledger.sink.report.WarehouseReport;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cache writes of any retention and calls priced only in part, from the costed record to the warehouse row,
 * the views and the report, on real DuckDB and PostgreSQL. A hand-built April 2026 (UTC), rates per million
 * tokens; every cost below is tokens x rate / 1,000,000:
 *
 * <pre>
 * row  feature model              status            input  read   5m     1h     other writes       cost
 * r1   f1      gpt-6.2-sol        PRICED            10,000  0     0      0      30m 4,000 12h 1,000  10,000 x 2 = 0.02; 4,000 x 2.50 = 0.01;
 *                                                                                                    1,000 x 5 = 0.005; total 0.035
 * r2   f1      claude-sonnet-4-6  PRICED             1,000  8,000 2,000  1,000  -                  1,000 x 3 = 0.003; 8,000 x 0.30 = 0.0024;
 *                                                                                                    2,000 x 3.75 = 0.0075; 1,000 x 6 = 0.006;
 *                                                                                                    total 0.0189
 * r3   f2      gemini-3.5-flash   PARTIALLY_PRICED   1,000  4,000 0      0      -                  1,000 x 1.50 = 0.0015 (reads: no rate)
 * r4   f2      claude-sonnet-5-5  PARTIALLY_PRICED   1,000  0     0      0      -                  1,000 x 2 = 0.002 (region eu: no multiplier)
 * r5   f2      gemini-3.5-flash   PARTIALLY_PRICED   2,000  1,000 0      0      -                  2,000 x 1.50 = 0.003 (reads: no rate)
 * r6   f1      claude-sonnet-4-6  PRICED                 0  0     1,000  0      (row of an older version) 1,000 x 3.75 = 0.00375
 * r7   f3      gpt-9              UNPRICED             300  100   0      0      30m 500            0
 * </pre>
 * r6 is written before the table has the new columns, then the table is migrated forward (its new columns are NULL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheRetentionWarehouseTest {
    private static final String READ_NOTE = "cache_read: google/gemini-3.5-flash@2026-05-19 has no cache-read rate; those tokens are not priced";
    private static final String REGION_NOTE = "region 'eu': anthropic/claude-sonnet-5-5@2026-10-07 has no region multiplier for it; list price";
    private static final Set<String> NEW_COLUMNS = Set.of("cache_write_other_tokens", "cache_write_tokens_json", "cost_cache_write_other_usd",
            "cache_write_costs_json", "pricing_notes");

    private TestWarehouse duck;
    private TestWarehouse pg;

    @BeforeAll
    void load() throws Exception {
        duck = TestWarehouse.create(Dialect.DUCKDB);
        pg = TestWarehouse.create(Dialect.POSTGRESQL);
        for (TestWarehouse w : List.of(duck, pg)) {
            load(w);
        }
    }

    @AfterAll
    void drop() throws Exception {
        duck.close();
        pg.close();
    }

    private static void load(TestWarehouse w) throws Exception {
        try (Connection c = w.connect()) {
            // The usage_log of the previous version: every column but the five this one adds; one row written then.
            List<Column> oldColumns = WarehouseTables.USAGE_LOG_TABLE.columns().stream().filter(col -> !NEW_COLUMNS.contains(col.name())).toList();
            TableSpec old = new TableSpec(WarehouseTables.USAGE_LOG, oldColumns, List.of("event_id"), Optional.empty());
            Warehouse.ensureTable(c, w.dialect(), old);
            CostedUsage r6 = costed("r6", "f1", "anthropic", "claude-sonnet-4-6", PricingStatus.PRICED, 0, 0, "0", List.of());
            r6.getEvent().setCacheWrite5mTokens(1000L);
            r6.setCostCacheWrite5mUsd(Money.of("0.00375"));
            r6.setTotalCostUsd(Money.of("0.00375"));
            new WarehouseWriter(c, w.dialect(), 10).upsertAll(Map.of(old, List.of(RowMappers.usageLog(r6, "t", 0, 6L))));

            assertThat(Warehouse.ensureTable(c, w.dialect(), WarehouseTables.USAGE_LOG_TABLE)).containsExactlyInAnyOrderElementsOf(NEW_COLUMNS);
            Warehouse.init(c, w.dialect(), true);

            List<CostedUsage> usage = new ArrayList<>();
            CostedUsage r1 = costed("r1", "f1", "openai", "gpt-6.2-sol", PricingStatus.PRICED, 10_000, 0, "0.02", List.of());
            r1.getEvent().setCacheWriteTokens(Map.of("30m", 4000L, "12h", 1000L));
            r1.setCacheWriteCosts(Map.of("30m", Money.of("0.01"), "12h", Money.of("0.005")));
            r1.setCostCacheWriteOtherUsd(Money.of("0.015"));
            r1.setTotalCostUsd(Money.of("0.035"));
            usage.add(r1);
            CostedUsage r2 = costed("r2", "f1", "anthropic", "claude-sonnet-4-6", PricingStatus.PRICED, 1000, 8000, "0.003", List.of());
            r2.getEvent().setCacheWrite5mTokens(2000L);
            r2.getEvent().setCacheWrite1hTokens(1000L);
            r2.setCostCacheReadUsd(Money.of("0.0024"));
            r2.setCostCacheWrite5mUsd(Money.of("0.0075"));
            r2.setCostCacheWrite1hUsd(Money.of("0.006"));
            r2.setTotalCostUsd(Money.of("0.0189"));
            usage.add(r2);
            usage.add(costed("r3", "f2", "google", "gemini-3.5-flash", PricingStatus.PARTIALLY_PRICED, 1000, 4000, "0.0015", List.of(READ_NOTE)));
            CostedUsage r4 = costed("r4", "f2", "anthropic", "claude-sonnet-5-5", PricingStatus.PARTIALLY_PRICED, 1000, 0, "0.002",
                    List.of(REGION_NOTE));
            r4.getEvent().setRegion("eu");
            usage.add(r4);
            usage.add(costed("r5", "f2", "google", "gemini-3.5-flash", PricingStatus.PARTIALLY_PRICED, 2000, 1000, "0.003", List.of(READ_NOTE)));
            CostedUsage r7 = costed("r7", "f3", "openai", "gpt-9", PricingStatus.UNPRICED, 300, 100, "0", List.of());
            r7.getEvent().setCacheWriteTokens(Map.of("30m", 500L));
            r7.setPriceEntryId(null);
            usage.add(r7);
            new WarehouseWriter(c, w.dialect(), 100).upsertAll(Map.of(WarehouseTables.USAGE_LOG_TABLE,
                    usage.stream().map(u -> RowMappers.usageLog(u, "t", 0, 1L)).toList()));
        }
    }

    /** A COMPLETED call on 2026-04-02 whose input cost and total are {@code cost} (other costs zero unless set after). */
    private static CostedUsage costed(String id, String feature, String provider, String model, PricingStatus status,
                                      long input, long cacheRead, String cost, List<String> notes) {
        UsageEvent event = UsageEvent.newBuilder()
                .setEventId(id).setKind(UsageKind.COMPLETED).setOccurredAt(Instant.parse("2026-04-02T10:00:00Z"))
                .setFeatureId(feature).setTenantId("acme").setPlanTier("pro").setRequestId("req-" + id).setRootRequestId(id)
                .setProvider(provider).setModel(model).setInputTokens(input).setCacheReadTokens(cacheRead)
                .build();
        return CostedUsage.newBuilder()
                .setEvent(event).setPricingStatus(status)
                .setCostInputUsd(Money.of(cost)).setCostOutputUsd(Money.ZERO).setCostCacheWrite5mUsd(Money.ZERO)
                .setCostCacheWrite1hUsd(Money.ZERO).setCostCacheReadUsd(Money.ZERO).setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.of(cost)).setCacheSavingsUsd(Money.ZERO).setMultiplier(Money.ONE)
                .setPriceEntryId(provider + "/" + model).setPricedAt(Instant.parse("2026-04-02T10:00:01Z"))
                .setPricingNotes(new ArrayList<>(notes))
                .build();
    }

    private TestWarehouse w(Dialect d) {
        return d == Dialect.DUCKDB ? duck : pg;
    }

    /** Rows as strings: decimals without trailing zeros, so DECIMAL(38,12) and NUMERIC compare alike. */
    private List<String> rows(Dialect d, String sql) throws Exception {
        return w(d).query(sql).stream()
                .map(r -> r.stream().map(v -> v == null ? "null" : v instanceof BigDecimal b
                        ? (b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString()) : v.toString())
                        .collect(Collectors.joining(" ")))
                .toList();
    }

    @Test
    void theRowCarriesOtherRetentionsNotesAndStatus() {
        CostedUsage r1 = costed("r1", "f1", "openai", "gpt-6.2-sol", PricingStatus.PARTIALLY_PRICED, 10_000, 0, "0.02",
                List.of("service tier 'ultrafast': no multiplier", READ_NOTE));
        r1.getEvent().setCacheWriteTokens(Map.of("30m", 4000L, "12h", 1000L));
        r1.getEvent().setServiceTier("ultrafast");
        r1.getEvent().setRegion("us");
        r1.setCacheWriteCosts(Map.of("30m", Money.of("0.01"), "12h", Money.of("0.005")));
        r1.setCostCacheWriteOtherUsd(Money.of("0.015"));
        Map<String, Object> row = RowMappers.usageLog(r1, "t", 0, 1L);
        assertThat(row).containsEntry("cache_write_other_tokens", 5000L)   // 4,000 + 1,000
                .containsEntry("cache_write_tokens_json", "{\"12h\":1000,\"30m\":4000}")
                .containsEntry("cost_cache_write_other_usd", Money.of("0.015"))
                .containsEntry("cache_write_costs_json", "{\"12h\":0.005000000000,\"30m\":0.010000000000}")
                .containsEntry("pricing_status", "PARTIALLY_PRICED")
                .containsEntry("pricing_notes", "[\"service tier 'ultrafast': no multiplier\",\"" + READ_NOTE + "\"]")
                .containsEntry("service_tier", "ultrafast")
                .containsEntry("region", "us");
        assertThat(row.keySet()).containsExactlyElementsOf(WarehouseTables.USAGE_LOG_TABLE.columnNames());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void viewsCountCacheWritesOfEveryRetention(Dialect d) throws Exception {
        // f1 writes: r1 4,000 + 1,000 (30m, 12h), r2 2,000 + 1,000 (5m, 1h), r6 1,000 (5m, its other column NULL) = 9,000
        assertThat(rows(d, "SELECT day, feature_id, cache_write_tokens, cost_usd FROM v_daily_feature_cost ORDER BY feature_id"))
                .containsExactly(
                        "2026-04-02 f1 9000 0.05765",    // 0.035 + 0.0189 + 0.00375
                        "2026-04-02 f2 0 0.0065",        // 0.0015 + 0.002 + 0.003
                        "2026-04-02 f3 500 0");
        // f1 hit rate: read 8,000 / (input 11,000 + read 8,000 + writes 9,000 = 28,000) = 0.285714... -> 0.2857
        assertThat(rows(d, "SELECT feature_id, cache_write_tokens, cache_hit_rate FROM v_cache_savings WHERE feature_id = 'f1'"))
                .containsExactly("f1 9000 0.2857");
        // r7: read 100 + 30m writes 500 = 600 cache tokens
        assertThat(rows(d, "SELECT model, calls, cache_tokens FROM v_unpriced_usage")).containsExactly("gpt-9 1 600");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void cacheWriteSpendSplitsRetentions(Dialect d) throws Exception {
        // f1: 5m 2,000 + 1,000 = 3,000 tokens, 0.0075 + 0.00375 = 0.01125; 1h 1,000, 0.006; other 5,000, 0.015;
        // total 0.01125 + 0.006 + 0.015 = 0.03225
        assertThat(rows(d, "SELECT month, feature_id, cache_write_5m_tokens, cache_write_1h_tokens, cache_write_other_tokens, "
                + "cost_cache_write_5m_usd, cost_cache_write_1h_usd, cost_cache_write_other_usd, cache_write_cost_usd "
                + "FROM v_cache_write_spend ORDER BY feature_id"))
                .containsExactly(
                        "2026-04-01 f1 3000 1000 5000 0.01125 0.006 0.015 0.03225",
                        "2026-04-01 f2 0 0 0 0 0 0 0",
                        "2026-04-01 f3 0 0 500 0 0 0 0");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void partiallyPricedCallsHaveTheirOwnView(Dialect d) throws Exception {
        assertThat(rows(d, "SELECT day, provider, model, feature_id, calls, cost_usd FROM v_partially_priced_usage ORDER BY provider"))
                .containsExactly(
                        "2026-04-02 anthropic claude-sonnet-5-5 f2 1 0.002",
                        "2026-04-02 google gemini-3.5-flash f2 2 0.0045");   // 0.0015 + 0.003
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void reportShowsCacheWritesByRetentionAndWhatIsNotFullyPriced(Dialect d) throws Exception {
        WarehouseReport report;
        try (Connection c = w(d).connect()) {
            report = WarehouseReport.build(c, YearMonth.of(2026, 4), LocalDate.parse("2026-04-30"));
        }
        // 5m 3,000 / 0.01125; 30m 4,000 (r1) + 500 (r7, unpriced: no cost) / 0.01; 1h 1,000 / 0.006; 12h 1,000 / 0.005;
        // total 9,500 tokens, 0.01125 + 0.01 + 0.006 + 0.005 = 0.03225
        ReportTable writes = report.section("cache_writes_by_retention");
        assertThat(writes.rows()).extracting(r -> r.get(0) + " " + r.get(1) + " " + ((BigDecimal) r.get(2)).stripTrailingZeros().toPlainString())
                .containsExactly("5m 3000 0.01125", "30m 4500 0.01", "1h 1000 0.006", "12h 1000 0.005", "TOTAL 9500 0.03225");
        // 3 calls, 0.0015 + 0.002 + 0.003 = 0.0065 counted; the gemini note twice (0.0045), the region note once (0.002)
        ReportTable partial = report.section("not_fully_priced");
        assertThat(partial.rows()).extracting(r -> r.get(0) + " | " + r.get(1) + " | " + ((BigDecimal) r.get(2)).stripTrailingZeros().toPlainString())
                .containsExactly(READ_NOTE + " | 2 | 0.0045", REGION_NOTE + " | 1 | 0.002");
        String text = ReportRenderer.render(report, ReportRenderer.Format.TEXT, null);
        assertThat(text).contains("CACHE-WRITE SPEND BY RETENTION")
                .containsPattern("30m\\s+4,500\\s+\\$0\\.01\\n")
                .contains("NOT FULLY PRICED\n3 calls were not fully priced this month ($0.01 counted, a lower bound)")
                .containsPattern(java.util.regex.Pattern.quote(READ_NOTE) + "\\s+2\\s+\\$0\\.00\\n");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMonthWithoutEitherSaysSo(Dialect d) throws Exception {
        WarehouseReport report;
        try (Connection c = w(d).connect()) {
            report = WarehouseReport.build(c, YearMonth.of(2026, 5), LocalDate.parse("2026-05-31"));
        }
        assertThat(report.section("cache_writes_by_retention").rows()).isEmpty();
        assertThat(report.section("not_fully_priced").rows()).isEmpty();
        assertThat(ReportRenderer.render(report, ReportRenderer.Format.TEXT, null))
                .contains("No cache writes this month.")
                .contains("Every priced call had a rate for each of its token classes, regions and tiers.");
    }
}
