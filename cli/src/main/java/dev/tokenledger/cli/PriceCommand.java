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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.ClassCost;
import dev.tokenledger.pricing.PriceBreakdown;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.PriceCatalogJson;
import dev.tokenledger.pricing.PricingOptions;
import dev.tokenledger.pricing.TokenCounts;
import dev.tokenledger.pricing.UsagePricer;
import dev.tokenledger.schemas.CacheRetention;
import dev.tokenledger.schemas.Money;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger price}: the exact cost of one request under the catalog entry in force at a date, per
 * token class, with the entry used. Amounts are exact decimals (USD, up to 12 places); only the "about"
 * figure is rounded to cents. Exit code 3 when no price exists for the model at that date, and when the entry
 * has no rate for some token class, region or service tier of the call (never priced at some other rate: the
 * answer is a lower bound, shown PARTIALLY_PRICED with a note naming what is missing).
 */
@Command(name = "price", mixinStandardHelpOptions = true,
        description = {"Prices one request: cost per token class (input, output, cache writes of every retention,",
                "cache reads, other classes), the total, and the catalog entry used (source and read date).",
                "Exit code 3 when the model has no price at that date (the message names the closest known models),",
                "or when the entry has no rate for a token class, region or service tier of the call (PARTIALLY_PRICED:",
                "that part is not priced at some other rate, the total is a lower bound and a note names what is missing)."})
public final class PriceCommand implements Callable<Integer> {

    /** Exit code when the model has no price at the date, or the call is not fully priced. */
    public static final int EXIT_UNPRICED = 3;

    @Option(names = "--provider", required = true, paramLabel = "P", description = "anthropic, openai, google, ...")
    String provider;

    @Option(names = "--model", required = true, paramLabel = "M", description = "Model name as the provider answers it (dated snapshots resolve "
            + "through aliases and patterns).")
    String model;

    @Option(names = "--input", paramLabel = "N", description = "Uncached input tokens (cache reads and writes excluded).")
    long input;

    @Option(names = "--output", paramLabel = "N", description = "Output tokens, reasoning included.")
    long output;

    @Option(names = "--reasoning", paramLabel = "N", description = "Reasoning tokens: a subset of --output, shown for information, never priced twice.")
    long reasoning;

    @Option(names = "--cache-read", paramLabel = "N", description = "Input tokens served from the prompt cache.")
    long cacheRead;

    @Option(names = "--cache-write-5m", paramLabel = "N", description = "Input tokens written to a 5-minute cache (same as --cache-write 5m=N).")
    long cacheWrite5m;

    @Option(names = "--cache-write-1h", paramLabel = "N", description = "Input tokens written to a 1-hour cache (same as --cache-write 1h=N).")
    long cacheWrite1h;

    @Option(names = "--cache-write", paramLabel = "RETENTION=N", description = "Input tokens written to a prompt cache with that retention "
            + "(5m, 30m, 1h, 12h, ...: a number and m, h or d), e.g. --cache-write 30m=200000 (repeatable).")
    Map<String, Long> cacheWrites = new LinkedHashMap<>();

    @Option(names = "--other", paramLabel = "CLASS=N", description = "Other billed class, e.g. --other audio_input=1200 (repeatable).")
    Map<String, Long> other = new LinkedHashMap<>();

    @Option(names = "--batch", description = "The call went through the provider's batch API.")
    boolean batch;

    @Option(names = "--service-tier", paramLabel = "T", description = "Service tier as answered (standard, default, priority, flex, ...).")
    String serviceTier;

    @Option(names = "--region", paramLabel = "R", description = "Inference region / geo, for regional uplifts.")
    String region;

    @Option(names = "--at", paramLabel = "ISO-DATE", description = "When the call happened: YYYY-MM-DD (UTC midnight) or an ISO-8601 instant; default now.")
    String at;

    @Option(names = "--catalog", paramLabel = "FILE", description = "TokenLedger JSON price catalog; default: the shipped catalog.")
    Path catalog;

    @Option(names = "--json", description = "Print one JSON object (total_usd, classes, entry, ...).")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Instant when;
        final TokenCounts counts;
        final PriceCatalog prices;
        try {
            when = at == null ? Instant.now() : PriceCatalogJson.parseInstant(at, "--at");
            counts = counts();
            prices = catalog == null ? PriceCatalog.loadDefault() : PriceCatalog.load(catalog);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        final Optional<PriceEntry> entry = prices.find(provider, model, when);
        if (entry.isEmpty()) {
            err.println("No price for " + provider + "/" + model + " at " + when + " in "
                    + (catalog == null ? "the shipped catalog" : catalog.toString()) + ": the model is UNPRICED (it would be costed at $0 and flagged)."
                    + " Closest known models: " + String.join(", ", prices.closestModels(model, 3)) + ".");
            err.flush();
            return EXIT_UNPRICED;
        }
        final PriceBreakdown b = UsagePricer.price(counts, entry.get(), new PricingOptions(batch, serviceTier, region));
        out.print(json ? json(b, when) : table(b, when));
        out.flush();
        if (b.partial()) {
            err.println("Not fully priced: " + String.join("; ", b.missing()) + ".");
            err.flush();
            return EXIT_UNPRICED;
        }
        return 0;
    }

    /** The counts of the flags: {@code --cache-write 5m=N} / {@code 1h=N} fill the 5m / 1h classes like their synonyms. */
    private TokenCounts counts() {
        long w5m = cacheWrite5m;
        long w1h = cacheWrite1h;
        final Map<String, Long> writes = new LinkedHashMap<>();
        for (Map.Entry<String, Long> w : cacheWrites.entrySet()) {
            final String key = w.getKey().trim();
            if (!CacheRetention.isKey(key)) {
                throw new IllegalArgumentException("--cache-write " + w.getKey() + "=" + w.getValue() + ": " + CacheRetention.problemAsMapKey(key));
            }
            if (CacheRetention.FIVE_MINUTES.equals(key) || CacheRetention.ONE_HOUR.equals(key)) {
                final long synonym = CacheRetention.FIVE_MINUTES.equals(key) ? w5m : w1h;
                if (synonym != 0) {
                    throw new IllegalArgumentException("--cache-write " + key + "=" + w.getValue() + " and --cache-write-" + key + " " + synonym
                            + " both given: they are the same class, give one");
                }
                if (CacheRetention.FIVE_MINUTES.equals(key)) {
                    w5m = w.getValue();
                } else {
                    w1h = w.getValue();
                }
            } else {
                writes.put(key, w.getValue());
            }
        }
        return new TokenCounts(input, output, reasoning, w5m, w1h, cacheRead, other, writes);
    }

    private static String status(PriceBreakdown b) {
        return b.partial() ? "PARTIALLY_PRICED" : "PRICED";
    }

    private String table(PriceBreakdown b, Instant when) {
        final PriceEntry e = b.entry();
        final StringBuilder s = new StringBuilder();
        s.append(provider).append('/').append(model).append(" at ").append(when).append('\n');
        s.append("Entry: ").append(e.getEntryId()).append(" (from ").append(PriceCatalogJson.toJson(e).get("effective_from").asText())
                .append(e.getEffectiveTo() == null ? "" : " to " + PriceCatalogJson.toJson(e).get("effective_to").asText())
                .append("), source ").append(e.getSourceUrl()).append(", read ").append(e.getSourceReadOn()).append('\n');
        s.append(String.format("%-16s %14s %16s %20s%n", "class", "tokens", "USD per MTok", "cost USD"));
        for (ClassCost c : b.classes()) {
            s.append(String.format("%-16s %,14d %16s %20s%n", c.tokenClass(), c.tokens(), PriceCatalogJson.plain(c.ratePerMtok()),
                    PriceCatalogJson.plain(c.costUsd())));
        }
        if (reasoning > 0) {
            s.append(String.format("%-16s %,14d %16s %20s%n", "(reasoning)", reasoning, "in output", "-"));
        }
        s.append(String.format("%-16s %14s %16s %20s%n", "total", "", "", PriceCatalogJson.plain(b.total())));
        if (b.partial()) {
            s.append("PARTIALLY PRICED: the entry has no rate for part of this call; that part is not priced at some other rate,"
                    + " so the total is a lower bound (see the notes).\n");
        }
        s.append("About ").append(Money.format(b.total(), 2)).append(" (rounded for display; the exact total is above)")
                .append(". Multiplier x").append(PriceCatalogJson.plain(b.multiplier()))
                .append(", long-context tier ").append(b.longContextApplied() ? "APPLIED (whole request at tier rates)" : "not applied")
                .append(", cache savings ").append(PriceCatalogJson.plain(b.cacheSavings())).append(" USD.\n");
        for (String note : b.notes()) {
            s.append("Note: ").append(note).append('\n');
        }
        return s.toString();
    }

    private String json(PriceBreakdown b, Instant when) throws Exception {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode o = mapper.createObjectNode();
        o.put("provider", provider);
        o.put("model", model);
        o.put("at", when.toString());
        o.put("pricing_status", status(b));
        o.put("fully_priced", !b.partial());
        o.put("total_usd", PriceCatalogJson.plain(b.total()));
        final ObjectNode classes = o.putObject("classes");
        for (ClassCost c : b.classes()) {
            final ObjectNode line = classes.putObject(c.tokenClass());
            line.put("tokens", c.tokens());
            line.put("rate_per_mtok", PriceCatalogJson.plain(c.ratePerMtok()));
            line.put("cost_usd", PriceCatalogJson.plain(c.costUsd()));
        }
        o.put("reasoning_tokens", reasoning);
        o.put("multiplier", PriceCatalogJson.plain(b.multiplier()));
        o.put("long_context_applied", b.longContextApplied());
        o.put("cache_savings_usd", PriceCatalogJson.plain(b.cacheSavings()));
        final ObjectNode writes = o.putObject("cache_write_costs");
        b.cacheWriteLines().forEach((retention, line) -> writes.put(retention, PriceCatalogJson.plain(line.costUsd())));
        final ArrayNode notes = o.putArray("notes");
        b.notes().forEach(notes::add);
        final ArrayNode missing = o.putArray("missing");
        b.missing().forEach(missing::add);
        o.set("entry", PriceCatalogJson.toJson(b.entry()));
        return mapper.writeValueAsString(o) + "\n";
    }
}
