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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.cli.CliRun.Result;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code tokenledger budget set --dry-run} and argument validation (no broker needed). */
class BudgetCommandTest {

    private static Result run(String... args) {
        return CliRun.runCapturingSystemStreams(args);
    }

    @Test
    void setDryRunDescribesTheBudgetWithCarveOuts() {
        final Result r = run("budget", "set", "--scope", "feature", "--feature", "draft_email", "--limit", "500", "--period", "month",
                "--zone", "Europe/Paris", "--thresholds", "50,80,100", "--mode", "alert_only", "--stale", "closed",
                "--carve-out", "bigcorp=2000", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Budget feature:draft_email: $500.00 per month (Europe/Paris), thresholds 50/80/100 %, mode ALERT_ONLY,"
                + " stale CLOSED, endgame per-call, burst 110 %, carve-outs bigcorp=$2,000.00").contains("dry run");
        assertThat(run("budget", "set", "--scope", "feature", "--feature", "summarize", "--limit", "200", "--period", "day",
                "--stale", "safe", "--safe-allowance", "2.5", "--endgame", "deny", "--dry-run").out())
                .contains("stale SAFE ($2.50 per gate and outage), endgame deny");
        assertThat(run("budget", "set", "--scope", "feature", "--feature", "summarize", "--limit", "200", "--stale", "safe", "--dry-run").err())
                .contains("safe_allowance_usd");
    }

    @Test
    void scopeKeysFollowTheScope() {
        assertThat(run("budget", "set", "--scope", "feature_tenant", "--feature", "f", "--tenant", "acme", "--limit", "5", "--dry-run").out())
                .contains("Budget feature_tenant:f|acme:");
        assertThat(run("budget", "set", "--scope", "global", "--limit", "5000", "--period", "day", "--dry-run").out()).contains("Budget global:");
    }

    @Test
    void clearRefusesToRunWithoutWhoAndWhy() {
        final Result r = run("budget", "clear", "feature:draft_email");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--by").contains("--reason");
    }

    @Test
    void badInputNamesTheFieldAndValue() {
        final Result noFeature = run("budget", "set", "--scope", "feature", "--limit", "5", "--dry-run");
        assertThat(noFeature.code()).isEqualTo(2);
        assertThat(noFeature.err()).contains("feature_id");
        final Result zone = run("budget", "set", "--scope", "global", "--limit", "5", "--zone", "Mars/Base", "--dry-run");
        assertThat(zone.code()).isEqualTo(2);
        assertThat(zone.err()).contains("Mars/Base");
        final Result carve = run("budget", "set", "--scope", "tenant", "--tenant", "t", "--limit", "5", "--carve-out", "x=1", "--dry-run");
        assertThat(carve.err()).contains("carve_outs only apply to FEATURE budgets");
        final Result both = run("budget", "override", "feature:f", "--limit", "5", "--unlimited", "--until", "PT1H", "--reason", "r", "--by", "me");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --limit USD or --unlimited");
        final Result until = run("budget", "override", "feature:f", "--unlimited", "--until", "tomorrow", "--reason", "r", "--by", "me");
        assertThat(until.err()).contains("--until 'tomorrow'");
    }

    @Test
    void untilAcceptsAnInstantOrADuration() {
        final Instant now = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(BudgetCommand.OverrideBudget.parseUntil("PT4H", now)).isEqualTo(now.plus(Duration.ofHours(4)));
        assertThat(BudgetCommand.OverrideBudget.parseUntil("2026-11-24T09:00:00Z", now)).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
    }
}
