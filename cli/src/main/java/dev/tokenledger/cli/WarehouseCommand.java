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

import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.load.CsvFormatException;
import dev.tokenledger.sink.load.TelemetryLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger warehouse}: prepares the warehouse and loads the product-telemetry side of
 * the join (monthly active users per feature and tenant, plan prices) from CSV.
 */
@Command(name = "warehouse", mixinStandardHelpOptions = true,
        description = "Creates or migrates the warehouse tables and views, and loads product telemetry from CSV.",
        subcommands = {WarehouseCommand.Init.class, WarehouseCommand.LoadActiveUsers.class, WarehouseCommand.LoadPlanPrices.class})
public final class WarehouseCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Creates missing tables and indexes, adds new columns, recreates the analyst views.")
    static final class Init implements Callable<Integer> {
        @Mixin
        WarehouseOptions warehouse;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Connection c = warehouse.connect()) {
                Warehouse.init(c, warehouse.dialect(), true);
                spec.commandLine().getOut().println("Warehouse ready at " + warehouse.redactedUrl()
                        + ": tables usage_log, spend_rollup, budget_decisions, budget_alerts, product_active_users, plan_prices, "
                        + "provider_costs and the v_* views.");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (SQLException e) {
                return fail(spec, "Cannot prepare the warehouse at " + warehouse.redactedUrl() + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "load-active-users", mixinStandardHelpOptions = true,
            description = {"Loads monthly active users per feature and tenant from CSV with the header",
                    "month,feature_id,tenant_id,plan_tier,active_users (month as YYYY-MM). The whole file is checked",
                    "first; rows are upserted, so loading a corrected file again replaces the earlier numbers."})
    static final class LoadActiveUsers implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.csv", description = "CSV file to load.")
        Path file;
        @Mixin
        WarehouseOptions warehouse;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return load(spec, warehouse, file, true);
        }
    }

    @Command(name = "load-plan-prices", mixinStandardHelpOptions = true,
            description = {"Loads the monthly price one tenant pays per plan from CSV with the header",
                    "plan_tier,monthly_price_usd (the revenue side of v_tenant_margin)."})
    static final class LoadPlanPrices implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.csv", description = "CSV file to load.")
        Path file;
        @Mixin
        WarehouseOptions warehouse;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return load(spec, warehouse, file, false);
        }
    }

    private static int load(picocli.CommandLine.Model.CommandSpec spec, WarehouseOptions warehouse, Path file, boolean activeUsers) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); Connection c = warehouse.connect()) {
            int rows = activeUsers
                    ? TelemetryLoader.loadActiveUsers(c, warehouse.dialect(), in, file.toString())
                    : TelemetryLoader.loadPlanPrices(c, warehouse.dialect(), in, file.toString());
            PrintWriter out = spec.commandLine().getOut();
            out.println("Loaded " + rows + (activeUsers ? " active-user rows into product_active_users" : " plan prices into plan_prices")
                    + " (" + warehouse.redactedUrl() + ").");
            out.flush();
            return 0;
        } catch (CsvFormatException e) {
            return fail(spec, e.getMessage() + ". Nothing was loaded.");
        } catch (NoSuchFileException e) {
            return fail(spec, "No such file: " + file);
        } catch (IOException | SQLException e) {
            return fail(spec, "Cannot load " + file + " into " + warehouse.redactedUrl() + ": " + e.getMessage());
        }
    }

    private static int fail(picocli.CommandLine.Model.CommandSpec spec, String message) {
        spec.commandLine().getErr().println(message);
        spec.commandLine().getErr().flush();
        return 1;
    }
}
