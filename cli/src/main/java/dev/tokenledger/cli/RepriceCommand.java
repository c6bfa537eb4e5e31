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

import dev.tokenledger.pricing.RepriceJob;
import dev.tokenledger.pricing.RepriceReach;
import dev.tokenledger.pricing.RepriceSummary;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger reprice}: re-prices the costed usage of [from, to) with the current catalog and publishes one
 * price adjustment per changed event ({@link RepriceJob} does the work), or with {@code --dry-run} only prints what
 * would change.
 */
@Command(name = "reprice", mixinStandardHelpOptions = true,
        description = "Re-prices the usage of [--from, --to) (by occurred_at, UTC) with the current price catalog (the shipped catalog "
                + "under " + Topics.PRICES_TOPIC + ", as the aggregator prices) after a price entry was added or corrected with a past "
                + "effective date, and publishes one adjustment per event whose cost changes to " + Topics.PRICE_ADJUSTMENTS_TOPIC
                + " in exactly-once transactions. The aggregator's spend windows, the enforcer's period spend and the warehouse apply "
                + "each adjustment once: running it twice, or again after it was killed, moves every total by the delta once. "
                + "Prints the total delta per feature, model and month; --dry-run prints the same and writes nothing.")
public final class RepriceCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First day (YYYY-MM-DD, UTC) or instant (ISO-8601) re-priced.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "Day (YYYY-MM-DD, UTC) or instant the range ends before "
            + "(exclusive): --from 2026-11-01 --to 2026-12-01 is November.")
    String to;

    @Option(names = "--dry-run", description = "Print the deltas and publish nothing.")
    boolean dryRun;

    @Option(names = "--bootstrap", paramLabel = "B", description = "Kafka bootstrap servers; default ${DEFAULT-VALUE}.")
    String bootstrap = "127.0.0.1:9092";

    @Option(names = "--registry", paramLabel = "R", description = "Schema registry URL; default ${DEFAULT-VALUE}.")
    String registry = "http://127.0.0.1:8081";

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded on every adjustment; default: the two price entry ids.")
    String reason;

    @Option(names = "--by", paramLabel = "WHO", description = "Who runs it, recorded on every adjustment; default: the OS user (${DEFAULT-VALUE}).")
    String by = System.getProperty("user.name", "unknown");

    @Option(names = "--batch-size", paramLabel = "N", description = "Adjustments per transaction at most (a transaction also commits 10 s after it opened); "
            + "default ${DEFAULT-VALUE}.")
    int batchSize = 1000;

    @Option(names = "--window-grace-ms", paramLabel = "MS", description = "The aggregator's window.grace.ms, to report which adjustments "
            + "fall in spend windows already closed; default ${DEFAULT-VALUE} (72 h, the aggregator's default).")
    long windowGraceMs = RepriceJob.Options.DEFAULT_WINDOW_GRACE.toMillis();

    @Option(names = "--zone", paramLabel = "ZONE", description = "The aggregator's time.zone and the budgets' time_zone, to report which "
            + "adjustments fall in windows already closed or budget periods already over; default ${DEFAULT-VALUE}.")
    String zone = "UTC";

    @Option(names = "--no-default-catalog", description = "Price with the prices topic alone, for apps run with pricing.default.catalog=false.")
    boolean noDefaultCatalog;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Kafka client (SASL/SSL) or registry (basic.auth.*) setting, given to "
            + "every client (repeatable).")
    Map<String, String> settings = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RepriceSummary s;
        try {
            final RepriceJob.Options options = new RepriceJob.Options(instant("--from", from), instant("--to", to), dryRun, batchSize,
                    reason, by, !noDefaultCatalog, Duration.ofMinutes(30), Duration.ofMillis(windowGraceMs), zone(zone));
            s = new RepriceJob(bootstrap, registry, new HashMap<>(settings)).run(options,
                    (batch, records) -> err.printf("  transaction %d: %,d adjustments%n", batch, records));
        } catch (IllegalArgumentException | org.apache.kafka.common.KafkaException e) {
            err.println("tokenledger reprice: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.printf("Re-pricing %s from %s to %s%s%n", Topics.USAGE_COSTED_TOPIC, s.from(), s.to(),
                s.dryRun() ? " (dry run: nothing written)" : "");
        out.printf("  %,d events in range (%,d records read)%n", s.eventsInRange(), s.eventsRead());
        out.printf("  %,d events change price; total delta %s%n", s.changed(), usd(s.totalDelta()));
        table(out, "DELTA PER FEATURE", "feature", s.byFeature());
        table(out, "DELTA PER MODEL", "provider/model", s.byModel());
        table(out, "DELTA PER MONTH (UTC)", "month", s.byMonth());
        if (s.changed() > 0) {
            reach(out, s.reach());
        }
        if (!s.dryRun()) {
            out.printf("Published %,d adjustments to %s in %d transaction(s).%n", s.published(), Topics.PRICE_ADJUSTMENTS_TOPIC,
                    s.transactions());
        }
        out.flush();
        return 0;
    }

    private static void table(PrintWriter out, String title, String label, Map<String, BigDecimal> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        out.println(title);
        final int width = Math.max(label.length(), deltas.keySet().stream().mapToInt(String::length).max().orElse(0));
        out.printf("  %-" + width + "s  %16s%n", label, "delta");
        deltas.forEach((k, v) -> out.printf("  %-" + width + "s  %16s%n", k, usd(v)));
    }

    /**
     * Which running totals the deltas still move: the warehouse takes them all, the aggregator only the windows still
     * open, the enforcer only the current budget period.
     */
    private static void reach(PrintWriter out, RepriceReach reach) {
        out.printf("WHAT THE DELTAS MOVE (as of %s; windows and budget periods in %s; window.grace.ms %s)%n",
                reach.now().truncatedTo(ChronoUnit.SECONDS), reach.zone(), reach.grace().toMillis());
        out.println("  the warehouse (usage_log, usage_adjustments, the views, reconcile) takes every adjustment; not these:");
        out.printf("  %-6s  %-31s  %s%n", "length", "aggregator window closed", "budget period over");
        for (ChronoUnit unit : RepriceReach.UNITS) {
            final RepriceReach.Tally closed = reach.windowClosed().get(unit);
            final RepriceReach.Tally over = reach.periodOver().get(unit);
            out.printf("  %-6s  %,8d adjustments %10s  %,8d adjustments %10s%n", label(unit), closed.adjustments(), usd(closed.deltaUsd()),
                    over.adjustments(), usd(over.deltaUsd()));
        }
        out.println("  A closed window keeps its old total (spend topic, spend_rollup, GET /spend); the enforcer adds a delta only to "
                + "a budget's current period.");
    }

    private static String label(ChronoUnit unit) {
        return switch (unit) {
            case HOURS -> "HOUR";
            case DAYS -> "DAY";
            default -> "MONTH";
        };
    }

    private static ZoneId zone(String value) {
        try {
            return ZoneId.of(value);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("--zone '" + value + "' is not a time zone (UTC, Europe/Paris, +02:00)");
        }
    }

    /** Signed dollars to the hundredth of a cent ({@code +$0.9075}, {@code -$0.3000}). */
    static String usd(BigDecimal amount) {
        return (amount.signum() < 0 ? "-" : "+") + Money.format(amount.abs(), 4);
    }

    private static Instant instant(String option, String value) {
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " '" + value + "' is neither a date (YYYY-MM-DD) nor an instant "
                        + "(2026-11-01T00:00:00Z)");
            }
        }
    }
}
