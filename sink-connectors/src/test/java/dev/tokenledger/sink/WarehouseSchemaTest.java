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

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Table creation, forward migration and view creation against real DuckDB and PostgreSQL. */
class WarehouseSchemaTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void initCreatesEveryTableAndViewAndIsRepeatable(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            Warehouse.init(c, dialect, true);
            Warehouse.init(c, dialect, true);
            for (TableSpec table : WarehouseTables.ALL) {
                assertThat(Warehouse.existingColumns(c, table.name())).as(table.name())
                        .containsExactlyInAnyOrderElementsOf(table.columnNames());
            }
            for (WarehouseViews.View view : WarehouseViews.ALL) {
                assertThat(w.query("SELECT * FROM " + view.name())).as(view.name()).isEmpty();
            }
            String typeQuery = "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns "
                    + "WHERE table_name = 'usage_log' AND column_name = 'total_cost_usd' AND table_schema = current_schema()";
            List<Object> type = w.query(typeQuery).get(0);
            assertThat(type.get(0).toString().toUpperCase()).isIn("DECIMAL", "NUMERIC", "DECIMAL(38,12)");
            assertThat(((Number) type.get(1)).intValue()).isEqualTo(38);
            assertThat(((Number) type.get(2)).intValue()).isEqualTo(12);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anOlderTableIsMigratedForwardKeepingItsRows(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect()) {
            // The table as an older TokenLedger created it: only the article's columns.
            w.execute("CREATE TABLE usage_log (event_id VARCHAR PRIMARY KEY, timestamp TIMESTAMPTZ, feature_id VARCHAR, "
                    + "tenant_id VARCHAR, total_cost_usd DECIMAL(38,12))");
            w.execute("INSERT INTO usage_log VALUES ('old-1', TIMESTAMPTZ '2026-02-01 10:00:00+00', 'f', 't', 1.5)");

            List<String> added = Warehouse.ensureTable(c, dialect, WarehouseTables.USAGE_LOG_TABLE);

            assertThat(added).contains("cache_savings_usd", "root_request_id", "pricing_status", "service_tier")
                    .doesNotContain("event_id", "feature_id", "total_cost_usd");
            assertThat(Set.copyOf(Warehouse.existingColumns(c, "usage_log")))
                    .containsExactlyInAnyOrderElementsOf(WarehouseTables.USAGE_LOG_TABLE.columnNames());
            assertThat(w.query("SELECT event_id, total_cost_usd, cache_savings_usd FROM usage_log"))
                    .containsExactly(java.util.Arrays.asList("old-1", new java.math.BigDecimal("1.500000000000"), null));
            // and the new upsert works on the migrated table
            new WarehouseWriter(c, dialect, 10).upsertAll(Map.of(WarehouseTables.USAGE_LOG_TABLE,
                    List.of(RowMappers.usageLog(TestData.everyField(), "t", 0, 1L))));
            assertThat(w.scalar("SELECT COUNT(*) FROM usage_log")).isEqualTo(2L);
            assertThat(Warehouse.ensureTable(c, dialect, WarehouseTables.USAGE_LOG_TABLE)).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theConnectorIsRegisteredForServiceLoaderDiscovery() {
        assertThat(java.util.ServiceLoader.load(org.apache.kafka.connect.sink.SinkConnector.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(WarehouseSinkConnector.class);
        assertThat(new WarehouseSinkConnector().version()).isEqualTo(Version.VERSION);
        assertThat(new WarehouseSinkConnector().taskClass()).isEqualTo(WarehouseSinkTask.class);
    }
}
