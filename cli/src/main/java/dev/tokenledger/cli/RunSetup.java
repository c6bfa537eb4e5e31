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

import dev.tokenledger.gate.BudgetAdmin;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.cli.simulator.ActiveUserRow;
import dev.tokenledger.cli.simulator.PlanTier;
import dev.tokenledger.cli.simulator.SimulationRecord;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.PriceCatalogPublisher;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.load.TelemetryLoader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What the quickstart and {@code simulate} write around a run: the shipped price catalog to the
 * prices topic, the example budgets to the budgets topic (key budget_id), and after the run the
 * matching {@code product_active_users} and {@code plan_prices} rows into the warehouse.
 */
final class RunSetup {
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private RunSetup() {
    }

    /** Publishes the shipped catalog to {@code tokenledger.prices.v1}; returns the number of entries. */
    static int publishDefaultCatalog(String bootstrap, String registryUrl) {
        try (PriceCatalogPublisher publisher = PriceCatalogPublisher.create(bootstrap, registryUrl, Map.of())) {
            return publisher.publish(PriceCatalog.loadDefault().entries());
        }
    }

    static void publishBudgets(String bootstrap, String registryUrl, List<Budget> budgets) {
        new BudgetAdmin(bootstrap, registryUrl).publish(budgets);
    }

    /** Loads the run's product_active_users rows and the plan prices into the warehouse at {@code jdbcUrl}. */
    static void loadTelemetry(String jdbcUrl, SimulationRecord record) throws SQLException, IOException {
        // through the loaders' own CSV reading, so simulated telemetry passes the checks a user's file does
        final StringWriter users = new StringWriter();
        try (CSVPrinter out = CSV.print(users)) {
            out.printRecord(TelemetryLoader.ACTIVE_USERS_COLUMNS);
            for (ActiveUserRow r : record.activeUserRows()) {
                out.printRecord(r.month(), r.featureId(), r.tenantId(), r.planTier(), r.activeUsers());
            }
        }
        final StringWriter prices = new StringWriter();
        try (CSVPrinter out = CSV.print(prices)) {
            out.printRecord(TelemetryLoader.PLAN_PRICES_COLUMNS);
            for (PlanTier p : PlanTier.values()) {
                out.printRecord(p.id(), p.monthlyPrice().toPlainString());
            }
        }
        final Dialect dialect = Dialect.fromUrl(jdbcUrl);
        try (Connection c = Warehouse.connect(jdbcUrl, null, null)) {
            Warehouse.init(c, dialect, true);
            TelemetryLoader.loadActiveUsers(c, dialect, new StringReader(users.toString()), "simulator");
            TelemetryLoader.loadPlanPrices(c, dialect, new StringReader(prices.toString()), "simulator");
        }
    }
}
