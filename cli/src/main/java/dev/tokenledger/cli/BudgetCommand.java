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

import java.util.HashMap;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.io.IOException;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.EndgameMode;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.TenantCarveOut;
import dev.tokenledger.enforcer.BudgetPolicy;
import dev.tokenledger.enforcer.ReasonCodes;
import dev.tokenledger.enforcer.ScopeKeys;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.gate.BudgetAdmin;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.config.GuaranteedSettings;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tokenledger budget set|list|show|override|clear}: every change is one record on the
 * compacted {@code tokenledger.budgets.v1} (key budget_id = scope key; {@code clear} writes a
 * tombstone); {@code list}/{@code show} read that topic and the enforcer's
 * {@code tokenledger.budget-state.v1} for spent and remaining.
 */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = {"Sets, lists, shows, overrides and clears budgets (records on tokenledger.budgets.v1, enforced by",
                "`tokenledger enforcer` and read by every budget gate)."},
        subcommands = {BudgetCommand.Set.class, BudgetCommand.ListBudgets.class, BudgetCommand.Show.class,
                BudgetCommand.OverrideBudget.class, BudgetCommand.Clear.class, BudgetCommand.Reconcile.class})
public final class BudgetCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** per-call / per_call / deny, any case. */
    static final class EndgameConverter implements picocli.CommandLine.ITypeConverter<EndgameMode> {
        @Override
        public EndgameMode convert(String value) {
            try {
                return EndgameMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--endgame must be per-call or deny (got '" + value + "')");
            }
        }
    }

    /**
     * --bootstrap / --registry, and the Kafka and registry security settings: {@code --config FILE} and
     * {@code --set key=value}; {@code registry.<key>} goes to the registry without the prefix, as in the apps
     * (unprefixed {@code basic.auth.*} still does, with a warning), every other key to the Kafka clients
     * (SASL/SSL, ...). The work is {@link BudgetAdmin}'s.
     */
    static final class Connection {
        private static final String DEPRECATED_BASIC_AUTH_PREFIX = "basic.auth.";

        @Option(names = "--bootstrap", paramLabel = "B", description = "Kafka bootstrap servers; default ${DEFAULT-VALUE}.")
        String bootstrap = "127.0.0.1:9092";

        @Option(names = "--registry", paramLabel = "R", description = "Schema registry URL; default ${DEFAULT-VALUE}.")
        String registry = "http://127.0.0.1:8081";

        @Option(names = "--config", paramLabel = "FILE", description = "Properties file with Kafka client (SASL/SSL) and registry "
                + "(registry.basic.auth.*) settings.")
        Path configFile;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Kafka client or registry (registry.basic.auth.*) setting (repeatable).")
        Map<String, String> settings = new HashMap<>();

        private BudgetAdmin admin;

        /** The client for these settings (built once per command: the config file is read once). */
        BudgetAdmin admin() {
            if (admin == null) {
                admin = newAdmin();
            }
            return admin;
        }

        private BudgetAdmin newAdmin() {
            final Map<String, Object> all;
            try {
                all = AppSettings.read(configFile, settings);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read --config " + configFile + ": " + e.getMessage(), e);
            }
            final Map<String, Object> client = new HashMap<>();
            final Map<String, Object> registryConfig = new HashMap<>();
            all.forEach((k, v) -> {
                if (k.startsWith(GuaranteedSettings.REGISTRY_PREFIX)) {
                    registryConfig.put(k.substring(GuaranteedSettings.REGISTRY_PREFIX.length()), v);
                } else if (k.startsWith(DEPRECATED_BASIC_AUTH_PREFIX)) {
                    System.err.println("tokenledger budget: " + k + " is deprecated; use " + GuaranteedSettings.REGISTRY_PREFIX + k);
                    registryConfig.putIfAbsent(k, v);
                } else {
                    client.put(k, v);
                }
            });
            return new BudgetAdmin(bootstrap, registry, client, registryConfig);
        }
    }

    private static String usd(BigDecimal x) {
        if (x == null) {
            return "-";
        }
        return x.compareTo(ReasonCodes.UNLIMITED) >= 0 ? "unlimited" : Money.format(x, 2);
    }

    private static String describe(Budget b) {
        final StringBuilder s = new StringBuilder();
        s.append(usd(b.getLimitUsd())).append(" per ").append(b.getPeriod().name().toLowerCase()).append(" (").append(b.getTimeZone()).append(")")
                .append(", thresholds ").append(b.getThresholdsPct().stream().map(String::valueOf).collect(Collectors.joining("/"))).append(" %")
                .append(", mode ").append(b.getMode()).append(", stale ").append(b.getStalePolicy())
                .append(b.getStalePolicy() == StalePolicy.SAFE ? " (" + usd(b.getSafeAllowanceUsd()) + " per gate and outage)" : "")
                .append(", endgame ").append(b.getEndgame() == EndgameMode.DENY ? "deny" : "per-call");
        if (b.getPeriod() == BudgetPeriod.MONTH) {
            s.append(", burst ").append(b.getBurstTolerancePct() == 0 ? "off" : b.getBurstTolerancePct() + " %");
        }
        if (!b.getCarveOuts().isEmpty()) {
            s.append(", carve-outs ").append(b.getCarveOuts().stream().map(c -> c.getTenantId() + "=" + usd(c.getLimitUsd()))
                    .collect(Collectors.joining(",")));
        }
        if (b.getOverride() != null) {
            final BudgetOverride o = b.getOverride();
            s.append(", override ").append(o.getLimitUsd() == null ? "unlimited" : usd(o.getLimitUsd())).append(" until ").append(o.getUntil())
                    .append(o.getUntil().isAfter(Instant.now()) ? "" : " (expired)").append(" by ").append(o.getBy()).append(": ").append(o.getReason());
        }
        return s.toString();
    }

    private static int fail(PrintWriter err, String message) {
        err.println("tokenledger budget: " + message);
        err.flush();
        return 2;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Creates or replaces the budget of a scope (its budget_id is the scope key: global, feature:F,",
                    "tenant:T, feature_tenant:F|T). Replacing a budget drops its override."})
    static final class Set implements Callable<Integer> {
        @Mixin
        Connection kafka;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "global, feature, tenant or feature_tenant.")
        BudgetScope scope;

        @Option(names = "--feature", paramLabel = "F", description = "Feature id (feature and feature_tenant scopes).")
        String feature;

        @Option(names = "--tenant", paramLabel = "T", description = "Tenant id (tenant and feature_tenant scopes).")
        String tenant;

        @Option(names = "--limit", required = true, paramLabel = "USD", description = "Limit per period in USD, e.g. 500 or 0.25.")
        BigDecimal limit;

        @Option(names = "--period", paramLabel = "P", description = "hour, day or month; default ${DEFAULT-VALUE}.")
        BudgetPeriod period = BudgetPeriod.MONTH;

        @Option(names = "--zone", paramLabel = "Z", description = "IANA time zone of the period boundaries; default ${DEFAULT-VALUE}.")
        String zone = "UTC";

        @Option(names = "--thresholds", split = ",", paramLabel = "PCT", description = "Alert thresholds in percent; default 50,80,100.")
        List<Integer> thresholds = new ArrayList<>(List.of(50, 80, 100));

        @Option(names = "--burst-tolerance", paramLabel = "PCT",
                description = "MONTH budgets: a day may spend this percent of its on-track daily share while the month is on track; 0 = no daily "
                        + "pacing; default ${DEFAULT-VALUE}.")
        int burst = 110;

        @Option(names = "--mode", paramLabel = "MODE", description = "enforce, alert_only (shadow) or off; default ${DEFAULT-VALUE}.")
        BudgetMode mode = BudgetMode.ENFORCE;

        @Option(names = "--stale", paramLabel = "POLICY", description = {"What a gate does when it cannot renew its lease (the enforcer",
                "does not answer): open (allow and alert), closed (deny) or safe (allow up to --safe-allowance per gate and",
                "outage); default ${DEFAULT-VALUE}."})
        StalePolicy stale = StalePolicy.OPEN;

        @Option(names = "--safe-allowance", paramLabel = "USD", description = "With --stale safe: what one gate may spend per outage.")
        BigDecimal safeAllowance;

        @Option(names = "--endgame", paramLabel = "MODE", converter = EndgameConverter.class, description = {"When the remainder is too",
                "small to lease to every active gate: per-call (recall unused leases, grant one call at a time) or deny;",
                "default per-call."})
        EndgameMode endgame = EndgameMode.PER_CALL;

        @Option(names = "--carve-out", paramLabel = "TENANT=USD", description = "A tenant's own limit inside a feature budget (repeatable).")
        Map<String, BigDecimal> carveOuts = new LinkedHashMap<>();

        @Option(names = "--by", paramLabel = "WHO", description = "Who sets it (audit); default: the OS user.")
        String by = System.getProperty("user.name");

        @Option(names = "--dry-run", description = "Validate and print the budget; publish nothing.")
        boolean dryRun;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        Budget toBudget(Instant now) {
            final String id = ScopeKeys.of(scope, feature, tenant);
            final List<TenantCarveOut> carves = new ArrayList<>();
            carveOuts.forEach((t, l) -> carves.add(new TenantCarveOut(t, Money.toScale(l))));
            final Budget b = Budget.newBuilder()
                    .setBudgetId(id).setScope(scope)
                    .setFeatureId(scope == BudgetScope.FEATURE || scope == BudgetScope.FEATURE_TENANT ? feature : null)
                    .setTenantId(scope == BudgetScope.TENANT || scope == BudgetScope.FEATURE_TENANT ? tenant : null)
                    .setLimitUsd(Money.toScale(limit)).setPeriod(period).setTimeZone(zone).setThresholdsPct(thresholds)
                    .setBurstTolerancePct(burst).setMode(mode).setStalePolicy(stale).setCarveOuts(carves)
                    .setEndgame(endgame).setSafeAllowanceUsd(safeAllowance == null ? null : Money.toScale(safeAllowance))
                    .setUpdatedAt(now).setUpdatedBy(by).build();
            BudgetPolicy.validate(b);
            return b;
        }

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final Budget b;
            try {
                b = toBudget(Instant.now());
            } catch (IllegalArgumentException e) {
                return fail(spec.commandLine().getErr(), e.getMessage());
            }
            if (!dryRun) {
                kafka.admin().publish(b);
            }
            out.println("Budget " + b.getBudgetId() + ": " + describe(b));
            out.println(dryRun ? "(dry run: nothing published)" : "Published to " + Topics.BUDGETS_TOPIC + " at " + kafka.bootstrap + ".");
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists budgets with their current state (status, spent, remaining).")
    static final class ListBudgets implements Callable<Integer> {
        @Mixin
        Connection kafka;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final Map<String, Budget> budgets = kafka.admin().budgets();
            final Map<String, BudgetState> states = kafka.admin().states();
            if (budgets.isEmpty()) {
                out.println("No budgets on " + Topics.BUDGETS_TOPIC + " at " + kafka.bootstrap + ". Set one with `tokenledger budget set`.");
                out.flush();
                return 0;
            }
            final String fmt = "%-36s %-7s %-10s %-7s %-6s %14s %14s %14s  %s%n";
            out.printf(fmt, "SCOPE", "PERIOD", "MODE", "STATUS", "", "LIMIT", "SPENT", "REMAINING", "REASON");
            for (Budget b : budgets.values()) {
                row(out, fmt, b.getBudgetId(), b, states.get(b.getBudgetId()));
                for (TenantCarveOut c : b.getCarveOuts()) {
                    final String key = ScopeKeys.featureTenant(b.getFeatureId(), c.getTenantId());
                    row(out, fmt, "  carve-out " + key, b, states.get(key));
                }
            }
            out.flush();
            return 0;
        }

        private static void row(PrintWriter out, String fmt, String label, Budget b, BudgetState s) {
            out.printf(fmt, label, b.getPeriod().name().toLowerCase(), b.getMode().name().toLowerCase(),
                    s == null ? "-" : s.getStatus().name(), b.getOverride() != null && b.getOverride().getUntil().isAfter(Instant.now()) ? "ovr" : "",
                    s == null ? usd(b.getLimitUsd()) : usd(s.getLimitUsd()), s == null ? "-" : usd(s.getSpentUsd()),
                    s == null ? "-" : usd(s.getRemainingUsd()), s == null ? "(no state yet: is `tokenledger enforcer` running?)" : s.getReasonCode());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one budget and its current state.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Connection kafka;

        @Parameters(index = "0", paramLabel = "ID", description = "Budget id (= scope key), e.g. feature:draft_email.")
        String id;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final Budget b = kafka.admin().find(id);
            if (b == null) {
                return fail(spec.commandLine().getErr(), "no budget '" + id + "' on " + Topics.BUDGETS_TOPIC
                        + " (ids are scope keys: global, feature:F, tenant:T, feature_tenant:F|T)");
            }
            final Map<String, BudgetState> states = kafka.admin().states();
            out.println("Budget " + b.getBudgetId() + ": " + describe(b));
            out.println("Updated " + b.getUpdatedAt() + (b.getUpdatedBy() != null ? " by " + b.getUpdatedBy() : ""));
            final List<String> keys = new ArrayList<>(List.of(b.getBudgetId()));
            b.getCarveOuts().forEach(c -> keys.add(ScopeKeys.featureTenant(b.getFeatureId(), c.getTenantId())));
            for (String key : keys) {
                final BudgetState s = states.get(key);
                if (s == null) {
                    out.println("  " + key + ": no state yet (is `tokenledger enforcer` running?)");
                } else {
                    out.println("  " + key + ": " + s.getStatus() + " (" + s.getReasonCode() + ") limit " + usd(s.getLimitUsd()) + ", spent "
                            + Money.format(s.getSpentUsd(), 4) + ", reserved " + Money.format(s.getReservedUsd(), 4) + ", remaining "
                            + usd(s.getRemainingUsd()) + "; period " + s.getPeriodStart() + " .. " + s.getPeriodEnd() + "; heartbeat "
                            + s.getHeartbeatAt());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "override", mixinStandardHelpOptions = true,
            description = {"Lifts or changes a budget's limit until a given time (audited; expires by itself)."})
    static final class OverrideBudget implements Callable<Integer> {
        @Mixin
        Connection kafka;

        @Parameters(index = "0", paramLabel = "ID", description = "Budget id (= scope key).")
        String id;

        @Option(names = "--limit", paramLabel = "USD", description = "Limit while the override lasts.")
        BigDecimal limit;

        @Option(names = "--unlimited", description = "No limit while the override lasts.")
        boolean unlimited;

        @Option(names = "--until", required = true, paramLabel = "ISO", description = "When it expires: an instant (2026-11-24T09:00:00Z) or a "
                + "duration from now (PT4H).")
        String until;

        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why (audited).")
        String reason;

        @Option(names = "--by", required = true, paramLabel = "WHO", description = "Who (audited).")
        String by;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final PrintWriter err = spec.commandLine().getErr();
            if (unlimited == (limit != null)) {
                return fail(err, "override needs exactly one of --limit USD or --unlimited");
            }
            if (limit != null && limit.signum() < 0) {
                return fail(err, "--limit must be >= 0 (got " + limit + ")");
            }
            final Instant untilAt;
            try {
                untilAt = parseUntil(until, Instant.now());
            } catch (DateTimeParseException e) {
                return fail(err, "--until '" + until + "' is neither an ISO instant (2026-11-24T09:00:00Z) nor a duration (PT4H)");
            }
            final Budget current = kafka.admin().find(id);
            if (current == null) {
                return fail(err, "no budget '" + id + "' to override on " + Topics.BUDGETS_TOPIC);
            }
            final Budget b = Budget.newBuilder(current)
                    .setOverride(new BudgetOverride(limit == null ? null : Money.toScale(limit), untilAt, reason, by))
                    .setUpdatedAt(Instant.now()).setUpdatedBy(by).build();
            kafka.admin().publish(b);
            spec.commandLine().getOut().println("Override on " + id + ": " + (unlimited ? "unlimited" : usd(limit)) + " until " + untilAt
                    + " (" + reason + ", by " + by + "). It expires by itself; the enforcer audits it on " + Topics.BUDGET_DECISIONS_TOPIC + ".");
            spec.commandLine().getOut().flush();
            return 0;
        }

        static Instant parseUntil(String value, Instant now) {
            if (value.startsWith("P") || value.startsWith("p")) {
                return now.plus(Duration.parse(value));
            }
            return Instant.parse(value);
        }
    }

    @Command(name = "reconcile", mixinStandardHelpOptions = true,
            description = {"Compares the enforcer's spend per budget scope and period with the warehouse's usage_log",
                    "(both price the same usage independently). Exits 3 when a scope differs by more than --tolerance."})
    static final class Reconcile implements Callable<Integer> {
        @Mixin
        Connection kafka;

        @Mixin
        WarehouseOptions warehouse;

        @Option(names = "--tolerance", paramLabel = "USD", description = "Largest difference that still counts as equal; default ${DEFAULT-VALUE}.")
        BigDecimal tolerance = new BigDecimal("0.000001");

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final BudgetAdmin admin = kafka.admin();
            final List<BudgetReconciliation.Row> rows;
            try (java.sql.Connection db = warehouse.connect()) {
                rows = BudgetReconciliation.compare(admin.states(), admin.budgets(), db);
            }
            final String fmt = "%-40s %-22s %16s %16s %14s  %s%n";
            out.printf(fmt, "SCOPE", "PERIOD START", "ENFORCER", "WAREHOUSE", "DIFFERENCE", "");
            int differ = 0;
            for (BudgetReconciliation.Row r : rows) {
                final boolean off = r.difference().abs().compareTo(tolerance) > 0;
                differ += off ? 1 : 0;
                out.printf(fmt, r.scopeKey(), r.periodStart(), Money.format(r.enforcer(), 6), Money.format(r.warehouse(), 6),
                        Money.format(r.difference(), 6), off ? "DIFFERS" : "ok");
            }
            out.println(differ == 0 ? rows.size() + " scope(s) reconciled: the enforcer and the warehouse agree."
                    : differ + " of " + rows.size() + " scope(s) differ by more than " + Money.format(tolerance, 6)
                    + " (a price on one side only, a refused record, or the warehouse still catching up: run again in a minute).");
            out.flush();
            return differ == 0 ? 0 : 3;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = {"Deletes a budget (tombstone on the compacted topic), audited on tokenledger.budget-decisions.v1",
                    "(reason_code BUDGET_CLEARED, with who and why) in the same transaction."})
    static final class Clear implements Callable<Integer> {
        @Mixin
        Connection kafka;

        @Parameters(index = "0", paramLabel = "ID", description = "Budget id (= scope key).")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why (audited).")
        String reason;

        @Option(names = "--by", required = true, paramLabel = "WHO", description = "Who (audited).")
        String by;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final Budget current = kafka.admin().find(id);
            if (current == null) {
                return fail(spec.commandLine().getErr(), "no budget '" + id + "' to clear on " + Topics.BUDGETS_TOPIC);
            }
            final BudgetState state = kafka.admin().states().get(id);
            final BudgetDecision audit = clearedAudit(current, state, by, reason, Instant.now());
            kafka.admin().clear(id, audit, by, reason);
            spec.commandLine().getOut().println("Budget " + id + " cleared (tombstone on " + Topics.BUDGETS_TOPIC + "); audited on "
                    + Topics.BUDGET_DECISIONS_TOPIC + " as " + BUDGET_CLEARED + " (" + reason + ", by " + by + ").");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** reason_code of the decision that audits {@code budget clear}. */
    static final String BUDGET_CLEARED = dev.tokenledger.avro.ReasonCode.BUDGET_CLEARED.name();

    /**
     * The audit record of a cleared budget: the scope is no longer limited (ALLOW), with the limit it had,
     * the spend and holds of its period when the enforcer had published them, and who cleared it and why.
     */
    static BudgetDecision clearedAudit(Budget budget, BudgetState state, String by, String reason, Instant now) {
        final BigDecimal zero = Money.toScale(BigDecimal.ZERO);
        return BudgetDecision.newBuilder()
                .setDecisionId(budget.getBudgetId() + "|cleared|" + now.toEpochMilli())
                .setScopeKey(budget.getBudgetId())
                .setBudgetId(budget.getBudgetId())
                .setFeatureId(budget.getFeatureId())
                .setTenantId(budget.getTenantId())
                .setDecision(dev.tokenledger.avro.BudgetStatus.ALLOW)
                .setEnforced(true)
                .setReasonCode(BUDGET_CLEARED)
                .setPeriodStart(state != null ? state.getPeriodStart() : now)
                .setPeriodEnd(state != null ? state.getPeriodEnd() : now)
                .setLimitUsd(Money.toScale(budget.getLimitUsd()))
                .setSpentUsd(state != null ? state.getSpentUsd() : zero)
                .setReservedUsd(state != null ? state.getReservedUsd() : zero)
                .setReserveDeltaUsd(zero)
                .setSource("cli:" + by)
                .setMessage("budget " + budget.getBudgetId() + " (" + describe(budget) + ") cleared by " + by + ": " + reason)
                .setDecidedAt(now)
                .build();
    }
}
