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

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.LiteLlmPriceCheck;
import dev.tokenledger.pricing.LiteLlmPriceMap;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.PriceCatalogReader;
import dev.tokenledger.pricing.PriceCatalogJson;
import dev.tokenledger.pricing.PriceCatalogPublisher;
import dev.tokenledger.schemas.Topics;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger prices list|load|check}: show the catalog, publish a catalog file to the prices topic, or
 * compare the catalog with a LiteLLM price map.
 */
@Command(name = "prices", mixinStandardHelpOptions = true,
        description = "The price catalog: list it, load a catalog file (TokenLedger JSON or LiteLLM's price map) into the compacted prices "
                + "topic, or check it against a LiteLLM price map.",
        subcommands = {PricesCommand.ListCommand.class, PricesCommand.LoadCommand.class, PricesCommand.CheckCommand.class})
public final class PricesCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tokenledger prices list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists every catalog entry: provider, model, effective dates, rates per million tokens (input, output, 5m/1h cache writes, "
                    + "cache read), long-context tier and batch multiplier.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--catalog", paramLabel = "FILE", description = "TokenLedger JSON price catalog; default: the shipped catalog.")
        Path catalog;

        @Option(names = "--provider", paramLabel = "P", description = "Only this provider.")
        String provider;

        @Option(names = "--json", description = "Print the catalog in TokenLedger's JSON format instead of a table.")
        boolean json;

        @Option(names = "--from-topic", description = "List what is on the compacted prices topic (what the Streams apps price with), "
                + "read through --bootstrap and --registry, instead of a file.")
        boolean fromTopic;

        @Option(names = "--bootstrap", paramLabel = "B", defaultValue = "127.0.0.1:9092",
                description = "With --from-topic: Kafka bootstrap servers; default ${DEFAULT-VALUE}.")
        String bootstrap;

        @Option(names = "--registry", paramLabel = "R", defaultValue = "http://127.0.0.1:8081",
                description = "With --from-topic: schema registry URL; default ${DEFAULT-VALUE}.")
        String registry;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PriceCatalog prices;
            try {
                prices = fromTopic ? PriceCatalogReader.read(bootstrap, registry, java.util.Map.of(), java.time.Duration.ofSeconds(30))
                        : catalog == null ? PriceCatalog.loadDefault() : PriceCatalog.load(catalog);
            } catch (IllegalArgumentException | java.io.UncheckedIOException | org.apache.kafka.common.KafkaException e) {
                spec.commandLine().getErr().println(e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
            final List<PriceEntry> shown = prices.entries().stream()
                    .filter(e -> provider == null || e.getProvider().equalsIgnoreCase(provider)).toList();
            if (json) {
                out.print(PriceCatalogJson.write(shown));
                out.flush();
                return 0;
            }
            out.println("Price catalog: " + (fromTopic ? Topics.PRICES_TOPIC + " at " + bootstrap
                    : catalog == null ? "shipped with TokenLedger" : catalog) + " (" + shown.size()
                    + " entries; USD per million tokens)");
            final String fmt = "%-10s %-26s %-10s %-10s %8s %8s %8s %8s %8s  %-22s %s%n";
            out.printf(fmt, "provider", "model", "from", "to", "input", "output", "write5m", "write1h", "read", "long context", "batch");
            for (PriceEntry e : shown) {
                final var j = PriceCatalogJson.toJson(e);
                final String tier = e.getLongContext() == null ? "-"
                        : ">" + e.getLongContext().getThresholdTokens() + ": " + p(e.getLongContext().getInputPerMtok()) + "/"
                        + p(e.getLongContext().getOutputPerMtok());
                out.printf(fmt, e.getProvider(), e.getModel(), j.get("effective_from").asText(),
                        e.getEffectiveTo() == null ? "-" : j.get("effective_to").asText(),
                        p(e.getInputPerMtok()), p(e.getOutputPerMtok()), p(e.getCacheWrite5mPerMtok()), p(e.getCacheWrite1hPerMtok()),
                        p(e.getCacheReadPerMtok()), tier, e.getBatchMultiplier() == null ? "-" : "x" + p(e.getBatchMultiplier()));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code tokenledger prices load FILE}. */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Publishes a catalog file to the compacted " + Topics.PRICES_TOPIC + " topic (key entry_id), creating the",
                    "topic if missing. Prints how many entries were loaded and every entry refused, with the reason."})
    static final class LoadCommand implements Callable<Integer> {
        enum Format { TOKENLEDGER, LITELLM }

        @Parameters(index = "0", paramLabel = "FILE", description = "The catalog file.")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT", description = "tokenledger (default) or litellm (model_prices_and_context_window.json).")
        Format format = Format.TOKENLEDGER;

        @Option(names = "--bootstrap", paramLabel = "B", description = "Kafka bootstrap servers; default ${DEFAULT-VALUE}.")
        String bootstrap = "127.0.0.1:9092";

        @Option(names = "--registry", paramLabel = "R", description = "Schema registry URL; default ${DEFAULT-VALUE}.")
        String registry = "http://127.0.0.1:8081";

        @Option(names = "--effective-from", paramLabel = "ISO-DATE", description = "For --format litellm (the file has no dates): when its prices "
                + "start applying; default today (UTC).")
        String effectiveFrom;

        @Option(names = "--dry-run", description = "Parse and validate only; publish nothing.")
        boolean dryRun;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final List<PriceEntry> entries;
            List<LiteLlmPriceMap.Refusal> refused = List.of();
            try {
                if (format == Format.LITELLM) {
                    final LocalDate today = LocalDate.now(ZoneOffset.UTC);
                    final Instant from = effectiveFrom == null ? today.atStartOfDay(ZoneOffset.UTC).toInstant()
                            : PriceCatalogJson.parseInstant(effectiveFrom, "--effective-from");
                    final LiteLlmPriceMap.Result r = LiteLlmPriceMap.load(file, from, today);
                    entries = r.entries();
                    refused = r.refused();
                } else {
                    entries = PriceCatalog.load(file).entries();
                }
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                err.println(e.getMessage() + " Nothing was loaded.");
                err.flush();
                return 1;
            }
            int published = entries.size();
            if (!dryRun) {
                try {
                    PriceCatalogPublisher.ensureTopic(bootstrap, Map.of(), Duration.ofSeconds(30));
                    try (PriceCatalogPublisher publisher = PriceCatalogPublisher.create(bootstrap, registry, Map.of())) {
                        published = publisher.publish(entries);
                    }
                } catch (org.apache.kafka.common.KafkaException e) {
                    err.println("Cannot publish to " + Topics.PRICES_TOPIC + " at " + bootstrap + " (registry " + registry + "): "
                            + e.getMessage());
                    err.flush();
                    return 1;
                }
            }
            out.println((dryRun ? "Validated " : "Loaded ") + published + " price entries from " + file + " (" + format.name().toLowerCase()
                    + ")" + (dryRun ? " (dry run: nothing published)." : " into " + Topics.PRICES_TOPIC + " at " + bootstrap + "."));
            if (!refused.isEmpty()) {
                out.println("Refused " + refused.size() + " entries (not guessed):");
                for (LiteLlmPriceMap.Refusal r : refused) {
                    out.println("  " + r.model() + ": " + r.reason());
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code tokenledger prices check --litellm FILE [--at DATE]}: the command parses and prints; {@link LiteLlmPriceCheck} compares. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Compares the catalog in force at --at with a LiteLLM price map (model_prices_and_context_window.json) for",
                    "the providers TokenLedger prices (anthropic, openai, google): one line per model whose rates differ (each rate",
                    "named, both values, USD per million tokens) or that is missing on either side.",
                    "Exit code: 0 when they agree, 1 when there is any difference, 2 when a file cannot be read."})
    static final class CheckCommand implements Callable<Integer> {
        @Option(names = "--litellm", paramLabel = "FILE", required = true,
                description = "LiteLLM price map (e.g. a download of LiteLLM's model_prices_and_context_window.json; a small sample: "
                        + "pricing/examples/litellm-sample.json).")
        Path litellm;

        @Option(names = "--at", paramLabel = "DATE", description = "Compare the entries in force at this date (YYYY-MM-DD, UTC midnight) or "
                + "ISO-8601 instant; default today (UTC).")
        String at;

        @Option(names = "--catalog", paramLabel = "FILE", description = "TokenLedger JSON price catalog; default: the shipped catalog.")
        Path catalog;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final LiteLlmPriceCheck.Report report;
            try {
                final Instant when = at == null ? LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : PriceCatalogJson.parseInstant(at, "--at");
                final PriceCatalog prices = catalog == null ? PriceCatalog.loadDefault() : PriceCatalog.load(catalog);
                report = LiteLlmPriceCheck.compare(prices, litellm, when);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                err.println(e.getMessage());
                err.flush();
                return 2;
            }
            final Instant t = report.at();
            final String when = t.equals(t.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant())
                    ? t.atZone(ZoneOffset.UTC).toLocalDate().toString() : t.toString();
            out.println("Catalog (" + (catalog == null ? "shipped with TokenLedger" : catalog) + ") in force at " + when + " vs LiteLLM map "
                    + litellm + "; USD per million tokens.");
            for (LiteLlmPriceCheck.Finding f : report.findings()) {
                out.println(f.line());
            }
            out.println(report.compared() + " LiteLLM models of anthropic/openai/google compared: " + report.agreeing() + " agree, "
                    + report.count(LiteLlmPriceCheck.Kind.RATES_DIFFER) + " differ, "
                    + report.count(LiteLlmPriceCheck.Kind.MISSING_IN_CATALOG) + " missing in the catalog; "
                    + report.count(LiteLlmPriceCheck.Kind.MISSING_IN_LITELLM) + " catalog models missing in LiteLLM.");
            out.println("Not compared (LiteLLM's map has no field for them): cache writes of other retentions (12h, ...), region "
                    + "multipliers, discounts.");
            out.flush();
            return report.hasDifferences() ? 1 : 0;
        }
    }

    private static String p(BigDecimal d) {
        return d == null ? "-" : PriceCatalogJson.plain(d);
    }
}
