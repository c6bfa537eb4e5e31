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

import dev.tokenledger.schemas.Topics;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.Warehouse;
import dev.tokenledger.sink.WarehouseViews;
import dev.tokenledger.sink.reconcile.CostReportException;
import dev.tokenledger.sink.reconcile.CostReportProvider;
import dev.tokenledger.sink.reconcile.ProviderCostFetcher;
import dev.tokenledger.sink.reconcile.ProviderCostImporter;
import dev.tokenledger.sink.reconcile.Reconciliation;
import dev.tokenledger.sink.reconcile.ReconciliationAlertPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger reconcile}: does the ledger match the invoice? Compares a month of the warehouse's
 * {@code usage_log} with the providers' own cost reports ({@code tokenledger reconcile import}) per UTC day,
 * provider and model. Thin: the comparison is {@link Reconciliation}, the import {@link ProviderCostImporter}.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Compares a month of the ledger with the providers' own cost reports, per UTC day, provider and model",
                "family (--by workspace: also per workspace / project): ledger USD, provider USD, drift USD and %",
                "(drift = provider - ledger) and the likely cause. With --bootstrap and --registry, every day x provider x model",
                "over the threshold is published as a ReconciliationAlert on " + Topics.RECONCILIATION_ALERTS_TOPIC + " (compacted,",
                "key provider|model|day: a re-check replaces). Exit 0 when every drift is within --threshold-pct, 1 otherwise",
                "(2 on an error)."},
        subcommands = ReconcileCommand.Import.class)
public final class ReconcileCommand implements Callable<Integer> {
    /** Output formats. */
    public enum Format { TEXT, JSON }

    // Not the shared mixin: its --warehouse is required, which picocli would also demand before `reconcile import`.
    @Option(names = "--warehouse", paramLabel = "JDBC_URL", description = "Warehouse JDBC URL (jdbc:duckdb:FILE or jdbc:postgresql://...).")
    String url;

    @Option(names = "--user", description = "Database user (PostgreSQL).")
    String user;

    @Option(names = "--password", description = "Database password (PostgreSQL); or set TOKENLEDGER_WAREHOUSE_PASSWORD.")
    String password;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "UTC month to reconcile.")
    YearMonth month;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.TEXT;

    @Option(names = "--threshold-pct", paramLabel = "P", description = "Largest drift in percent that still passes (default 1).")
    BigDecimal thresholdPct = Reconciliation.DEFAULT_THRESHOLD_PCT;

    @Option(names = "--by", paramLabel = "BREAKDOWN", description = "model (default): per day, provider and model family; "
            + "workspace: also per Anthropic workspace / OpenAI or Google project (the ledger side is the call's "
            + WarehouseViews.BILLING_SCOPE_TAG + " tag).")
    String by = "model";

    @Option(names = "--bootstrap", paramLabel = "B", description = "Kafka bootstrap servers: publish the alerts (with --registry). "
            + "Without it the command only prints.")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "R", description = "Schema registry URL for the alerts (with --bootstrap).")
    String registry;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String usage = url == null || month == null ? "reconcile needs --month YYYY-MM and --warehouse JDBC_URL (or: reconcile import ...)"
                : (bootstrap == null) != (registry == null) ? "--bootstrap and --registry go together (publishing the alerts needs both)"
                : !List.of("model", "workspace").contains(by) ? "--by is 'model' or 'workspace', not '" + by + "'" : null;
        if (usage != null) {
            err.println(usage);
            err.flush();
            return 2;
        }
        List<Reconciliation.Row> rows;
        List<Reconciliation.Row> perModel;
        try (Connection c = Warehouse.connect(url, user, password != null ? password : System.getenv("TOKENLEDGER_WAREHOUSE_PASSWORD"))) {
            Warehouse.init(c, Dialect.fromUrl(url), true);
            perModel = Reconciliation.forMonth(c, month);
            rows = "workspace".equals(by) ? Reconciliation.forMonth(c, month, Reconciliation.Breakdown.WORKSPACE) : perModel;
        } catch (SQLException | IllegalArgumentException e) {
            err.println("Cannot read the warehouse at " + Dialect.redact(url) + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        out.print(format == Format.JSON ? Reconciliation.json(rows) : Reconciliation.text(month, rows, thresholdPct));
        out.flush();
        if (bootstrap != null) {
            ReconciliationAlertPublisher.Published published;
            try (ReconciliationAlertPublisher publisher = ReconciliationAlertPublisher.create(bootstrap, registry, Map.of())) {
                published = publisher.check(month, perModel, thresholdPct, Instant.now());
            } catch (KafkaException e) {
                err.println("Cannot publish the reconciliation alerts to " + bootstrap + ": " + e.getMessage());
                err.flush();
                return 2;
            }
            // stderr in JSON mode, so stdout stays one JSON document
            PrintWriter note = format == Format.JSON ? err : out;
            note.println("Published " + published.raised() + " reconciliation alert" + (published.raised() == 1 ? "" : "s")
                    + (published.resolved() == 0 ? "" : " and resolved " + published.resolved()) + " to "
                    + Topics.RECONCILIATION_ALERTS_TOPIC + " (key provider|model|day; a re-check of " + month + " replaces them).");
            note.flush();
        }
        return Reconciliation.allWithin(perModel, thresholdPct) ? 0 : 1;
    }

    /** {@code tokenledger reconcile import}: loads a provider's own cost report into {@code provider_costs}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports a provider's own cost report (Anthropic Admin API cost_report, OpenAI Costs API, every page;",
                    "Gemini: the Google Cloud Billing export as CSV) into provider_costs, per UTC day, model and workspace / project.",
                    "The whole report is validated first: a wrong shape, a currency other than USD, overlapping periods or a",
                    "negative amount imports nothing.",
                    "Re-importing a period replaces that provider's rows for the days the report covers."})
    static final class Import implements Callable<Integer> {
        @Mixin
        WarehouseOptions warehouse;

        @Option(names = "--provider", required = true, paramLabel = "PROVIDER", description = "anthropic, openai or gemini (the Google "
                + "Cloud Billing export saved as CSV; --file only).")
        String provider;

        @Option(names = "--file", paramLabel = "FILE", arity = "1..*",
                description = "The report as the API returned it; several files for several pages, in order (gemini: one or more "
                        + "CSV files that must not cover the same day).")
        List<Path> files;

        @Option(names = "--url", paramLabel = "URL", description = "The report endpoint with its query, e.g. "
                + "https://api.anthropic.com/v1/organizations/cost_report?starting_at=2026-12-01T00:00:00Z&group_by[]=description; "
                + "every page is fetched by following next_page.")
        String url;

        @Option(names = "--admin-key-env", paramLabel = "VAR", description = "Environment variable holding the admin key (with --url).")
        String adminKeyEnv;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                CostReportProvider p = CostReportProvider.of(provider);
                if ((files == null) == (url == null)) {
                    throw new IllegalArgumentException("give either --file F or --url U --admin-key-env VAR");
                }
                List<String> bodies;
                String source;
                if (files != null) {
                    bodies = new java.util.ArrayList<>();
                    for (Path f : files) {
                        bodies.add(Files.readString(f, StandardCharsets.UTF_8));
                    }
                    source = files.size() == 1 ? files.get(0).toString() : files.get(0) + " (+" + (files.size() - 1) + " pages)";
                } else {
                    String key = adminKeyEnv == null ? null : System.getenv(adminKeyEnv);
                    if (key == null || key.isBlank()) {
                        throw new IllegalArgumentException("--url needs --admin-key-env VAR naming a set environment variable with the "
                                + "admin key" + (adminKeyEnv == null ? "" : " (" + adminKeyEnv + " is not set)"));
                    }
                    bodies = new ProviderCostFetcher().fetch(p, url, key);
                    source = url;
                }
                try (Connection c = warehouse.connect()) {
                    ProviderCostImporter.Result r = ProviderCostImporter.importPages(c, warehouse.dialect(), p, bodies, source);
                    out.println("Imported " + r.rows() + " " + p.commandName() + " cost rows over " + r.days() + " days (" + Reconciliation.money(r.totalUsd())
                            + " USD) into provider_costs (" + warehouse.redactedUrl() + ").");
                    if (!r.skipped().isEmpty()) {
                        out.println("Skipped " + r.skipped().size() + " SKU(s) naming no model the ledger prices under " + p.commandName()
                                + " (" + Reconciliation.money(r.skippedUsd()) + " USD, not imported): " + String.join(", ", r.skipped().keySet()) + ".");
                    }
                    out.flush();
                    return 0;
                }
            } catch (CostReportException | IllegalArgumentException e) {
                err.println(e.getMessage() + ". Nothing was imported.");
            } catch (IOException e) {
                err.println("Cannot read the report: " + e.getMessage() + ". Nothing was imported.");
            } catch (SQLException e) {
                err.println("Cannot write to the warehouse at " + warehouse.redactedUrl() + ": " + e.getMessage() + ". Nothing was imported.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("Interrupted while fetching the report. Nothing was imported.");
            }
            err.flush();
            return 1;
        }
    }
}
