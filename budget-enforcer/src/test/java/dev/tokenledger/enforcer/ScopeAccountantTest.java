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
package dev.tokenledger.enforcer;

import static dev.tokenledger.enforcer.Fixtures.featureBudget;
import static dev.tokenledger.enforcer.Fixtures.reservation;
import static dev.tokenledger.enforcer.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.ReservationStatus;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeAccountantTest {
    private static final Instant T0 = Instant.parse("2026-11-10T12:00:00Z");
    private final ScopeAccountant accountant = new ScopeAccountant("enforcer");

    private static ScopeLedger ledger(BudgetPolicy p, Instant at) {
        return new ScopeLedger(p.scopeKey(), p.budgetId(), p.window(at));
    }

    @Test
    void thresholdsFireOncePerPeriodAndDenyAtTheLimit() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("draft_email", "100", BudgetPeriod.DAY).build());
        final ScopeLedger l = ledger(p, T0);
        final List<BudgetAlert> alerts = new ArrayList<>();
        final List<BudgetDecision> decisions = new ArrayList<>();
        ScopeAccountant.Outcome o = null;
        for (String cost : List.of("30", "25", "10", "10", "24.99", "0.01", "5")) {
            o = accountant.onUsage(l, p, usage("draft_email", "acme", cost, T0), T0);
            alerts.addAll(o.alerts());
            decisions.addAll(o.decisions());
        }
        assertThat(alerts).extracting(BudgetAlert::getThresholdPct).containsExactly(50, 80, 100);
        assertThat(alerts).extracting(BudgetAlert::getAlertId)
                .containsExactly("feature:draft_email|" + l.periodStart + "|50", "feature:draft_email|" + l.periodStart + "|80",
                        "feature:draft_email|" + l.periodStart + "|100");
        assertThat(o.state().getStatus()).isEqualTo(BudgetStatus.DENY);
        assertThat(o.state().getReasonCode()).isEqualTo(ReasonCodes.GENUINE_BREACH);
        assertThat(o.state().getSpentUsd()).isEqualByComparingTo("105");
        assertThat(o.state().getRemainingUsd()).isEqualByComparingTo("-5");
        // One deny decision for the transition, not one per event past the limit.
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(ReasonCodes.GENUINE_BREACH);
            assertThat(d.getEnforced()).isTrue();
            assertThat(d.getFeatureId()).isEqualTo("draft_email");
            assertThat(d.getParentRequestId()).isEqualTo("parent-1");
            assertThat(d.getRequestId()).startsWith("req-");
            assertThat(d.getReserveDeltaUsd()).isEqualByComparingTo("0.01");
        });
    }

    @Test
    void warnAtTheHighestThresholdBelowHundred() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY).setThresholdsPct(List.of(50, 90, 100)).build());
        final ScopeLedger l = ledger(p, T0);
        assertThat(accountant.onUsage(l, p, usage("f", null, "8.99", T0), T0).state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        final var s = accountant.onUsage(l, p, usage("f", null, "0.01", T0), T0).state();
        assertThat(s.getStatus()).isEqualTo(BudgetStatus.WARN);
        assertThat(s.getReasonCode()).isEqualTo(ReasonCodes.THRESHOLD_WARN);
    }

    @Test
    void reservedCountsTowardsDeny() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY).build());
        final ScopeLedger l = ledger(p, T0);
        accountant.onUsage(l, p, usage("f", null, "6", T0), T0);
        final var o = accountant.onReservation(l, p, reservation("r1", ReservationStatus.HELD, "4", null, T0, 60_000, List.of()), T0);
        assertThat(o.state().getStatus()).isEqualTo(BudgetStatus.DENY);
        assertThat(o.state().getReservedUsd()).isEqualByComparingTo("4");
        final var released = accountant.onReservation(l, p, reservation("r1", ReservationStatus.RELEASED, "4", null, T0, 60_000, List.of()), T0);
        assertThat(released.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(released.state().getReservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void reservationCommitReleasesTheUnusedPartAndNeverCountsTwice() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "100", BudgetPeriod.DAY).build());
        final ScopeLedger l = ledger(p, T0);
        accountant.onReservation(l, p, reservation("r1", ReservationStatus.HELD, "1.00", null, T0, 60_000, List.of()), T0);
        assertThat(l.reserved()).isEqualByComparingTo("1.00");
        // a first physical call (e.g. a failed attempt) drew 0.30 from the hold
        accountant.onUsage(l, p, usage("f", null, "0.30", T0, "r1"), T0);
        assertThat(l.spent).isEqualByComparingTo("0.30");
        assertThat(l.reserved()).isEqualByComparingTo("0.70");
        // the gate commits the logical request at 0.50 actual: 0.50 unused is released now
        accountant.onReservation(l, p, reservation("r1", ReservationStatus.COMMITTED, "1.00", "0.50", T0, 60_000, List.of()), T0);
        assertThat(l.reserved()).isEqualByComparingTo("0.20");
        // the retry's usage arrives: settled, nothing reserved, spent is the actual total
        accountant.onUsage(l, p, usage("f", null, "0.20", T0, "r1"), T0);
        assertThat(l.reserved()).isEqualByComparingTo("0");
        assertThat(l.holdCount()).isZero();
        assertThat(l.spent).isEqualByComparingTo("0.50");
    }

    @Test
    void usageThatArrivesBeforeItsHoldIsNotCountedAgainAsReserved() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "100", BudgetPeriod.DAY).build());
        final ScopeLedger l = ledger(p, T0);
        accountant.onUsage(l, p, usage("f", null, "0.40", T0, "r7"), T0);
        accountant.onReservation(l, p, reservation("r7", ReservationStatus.HELD, "1.00", null, T0, 60_000, List.of()), T0);
        assertThat(l.reserved()).isEqualByComparingTo("0.60");
        accountant.onReservation(l, p, reservation("r7", ReservationStatus.COMMITTED, "1.00", "0.40", T0, 60_000, List.of()), T0);
        assertThat(l.holdCount()).isZero();
        assertThat(l.reserved()).isEqualByComparingTo("0");
        assertThat(l.spent).isEqualByComparingTo("0.40");
        // an early usage whose hold never comes is forgotten
        accountant.onUsage(l, p, usage("f", null, "0.10", T0, "r8"), T0);
        assertThat(l.earlyCount()).isEqualTo(1);
        accountant.onTick(l, p, T0.plusMillis(ScopeLedger.EARLY_USAGE_TTL_MS));
        assertThat(l.earlyCount()).isZero();
    }

    @Test
    void expiredHoldIsFreedWithStaleReservationDecision() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY).build());
        final ScopeLedger l = ledger(p, T0);
        final var held = accountant.onReservation(l, p, reservation("r9", ReservationStatus.HELD, "10", null, T0, 30_000, List.of()), T0);
        assertThat(held.state().getStatus()).isEqualTo(BudgetStatus.DENY);
        final var before = accountant.onTick(l, p, T0.plusSeconds(29));
        assertThat(before.decisions()).isEmpty();
        assertThat(before.state().getReservedUsd()).isEqualByComparingTo("10");
        final var tick = accountant.onTick(l, p, T0.plusSeconds(30));
        assertThat(tick.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(tick.state().getReservedUsd()).isEqualByComparingTo("0");
        assertThat(tick.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(ReasonCodes.STALE_RESERVATION);
            assertThat(d.getReservationId()).isEqualTo("r9");
            assertThat(d.getReserveDeltaUsd()).isEqualByComparingTo("10");
            assertThat(d.getRequestId()).isEqualTo("req-r9");
        });
    }

    @Test
    void alertOnlyNeverDenies() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY).setMode(BudgetMode.ALERT_ONLY).build());
        final ScopeLedger l = ledger(p, T0);
        final List<BudgetDecision> decisions = new ArrayList<>();
        final List<BudgetAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final var o = accountant.onUsage(l, p, usage("f", null, "5", T0), T0);
            assertThat(o.state().getStatus()).isNotEqualTo(BudgetStatus.DENY);
            decisions.addAll(o.decisions());
            alerts.addAll(o.alerts());
        }
        assertThat(l.reason).isEqualTo(ReasonCodes.SHADOW_DENY);
        assertThat(alerts).hasSize(3);
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.getEnforced()).isFalse();
            assertThat(d.getReasonCode()).isEqualTo(ReasonCodes.GENUINE_BREACH);
        });
    }

    @Test
    void modeOffPublishesAllowAndNoAlerts() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "1", BudgetPeriod.DAY).setMode(BudgetMode.OFF).build());
        final ScopeLedger l = ledger(p, T0);
        final var o = accountant.onUsage(l, p, usage("f", null, "5", T0), T0);
        assertThat(o.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(o.alerts()).isEmpty();
        assertThat(o.decisions()).isEmpty();
    }

    @Test
    void overrideLiftsTheCapAndExpiresByItselfAudited() {
        final Instant until = T0.plusSeconds(3600);
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY)
                .setOverride(new BudgetOverride(null, until, "incident INC-42", "oncall@example.com")).build());
        final ScopeLedger l = ledger(p, T0);
        final var during = accountant.onUsage(l, p, usage("f", null, "15", T0), T0);
        assertThat(during.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(during.state().getReasonCode()).isEqualTo(ReasonCodes.OVERRIDE_ACTIVE);
        assertThat(during.decisions()).extracting(BudgetDecision::getReasonCode).containsExactly(ReasonCodes.OVERRIDE_APPLIED);
        assertThat(accountant.onTick(l, p, until.minusMillis(1)).decisions()).isEmpty();
        final var after = accountant.onTick(l, p, until);
        assertThat(after.state().getStatus()).isEqualTo(BudgetStatus.DENY);
        assertThat(after.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo(ReasonCodes.OVERRIDE_EXPIRED);
            assertThat(d.getDecision()).isEqualTo(BudgetStatus.DENY);
            assertThat(d.getMessage()).contains("oncall@example.com");
        });
        assertThat(accountant.onTick(l, p, until.plusSeconds(1)).decisions()).isEmpty();
    }

    @Test
    void overrideWithALimitReplacesTheLimit() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY)
                .setOverride(new BudgetOverride(Money.of("20"), T0.plusSeconds(60), "launch", "pm")).build());
        final ScopeLedger l = ledger(p, T0);
        final var o = accountant.onUsage(l, p, usage("f", null, "12", T0), T0);
        assertThat(o.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(o.state().getLimitUsd()).isEqualByComparingTo("20");
        assertThat(accountant.onUsage(l, p, usage("f", null, "8", T0), T0).state().getStatus()).isEqualTo(BudgetStatus.DENY);
    }

    @Test
    void dayPeriodRollsOverAtLocalMidnightInTheBudgetsZone() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY).setTimeZone("America/New_York").build());
        // 23:30 EST on Nov 22 and 00:30 EST on Nov 23 (UTC-5): one UTC day, two local days
        final Instant lateEvening = Instant.parse("2026-11-23T04:30:00Z");
        final Instant afterMidnight = Instant.parse("2026-11-23T05:30:00Z");
        final ScopeLedger l = ledger(p, lateEvening);
        assertThat(Instant.ofEpochMilli(l.periodStart)).isEqualTo(Instant.parse("2026-11-22T05:00:00Z"));
        assertThat(accountant.onUsage(l, p, usage("f", null, "10", lateEvening), lateEvening).state().getStatus())
                .isEqualTo(BudgetStatus.DENY);
        final var next = accountant.onTick(l, p, afterMidnight);
        assertThat(next.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(next.state().getSpentUsd()).isEqualByComparingTo("0");
        assertThat(next.state().getPeriodStart()).isEqualTo(Instant.parse("2026-11-23T05:00:00Z"));
        // a late event of the previous local day is not charged to the new period
        assertThat(accountant.onUsage(l, p, usage("f", null, "3", lateEvening), afterMidnight).state().getSpentUsd())
                .isEqualByComparingTo("0");
        // and the thresholds can fire again in the new period
        assertThat(accountant.onUsage(l, p, usage("f", null, "6", afterMidnight), afterMidnight).alerts())
                .extracting(BudgetAlert::getThresholdPct).containsExactly(50);
    }

    @Test
    void monthRollsOverInTokyo() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.MONTH).setTimeZone("Asia/Tokyo").build());
        final Instant lastHourOfNovemberJst = Instant.parse("2026-11-30T14:30:00Z");
        final Instant decemberFirstJst = Instant.parse("2026-11-30T15:00:00Z");
        final ScopeLedger l = ledger(p, lastHourOfNovemberJst);
        accountant.onUsage(l, p, usage("f", null, "11", lastHourOfNovemberJst), lastHourOfNovemberJst);
        assertThat(l.status).isEqualTo("DENY");
        final var dec = accountant.onTick(l, p, decemberFirstJst);
        assertThat(dec.state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(dec.state().getSpentUsd()).isEqualByComparingTo("0");
        assertThat(dec.state().getPeriodEnd()).isEqualTo(Instant.parse("2026-12-31T15:00:00Z"));
    }

    @Test
    void burstToleranceAllowsTenPercentOverTheDailyShareWhileTheMonthIsOnTrack() {
        // November has 30 days: $300 -> $10 a day; day 1 is on track, cap = 110 % of $10 = $11
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "300", BudgetPeriod.MONTH).setBurstTolerancePct(110).build());
        final Instant day1 = Instant.parse("2026-11-01T10:00:00Z");
        final ScopeLedger l = ledger(p, day1);
        assertThat(accountant.onUsage(l, p, usage("f", null, "10", day1), day1).state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        final var warn = accountant.onUsage(l, p, usage("f", null, "0.99", day1), day1).state();
        assertThat(warn.getStatus()).isEqualTo(BudgetStatus.WARN);
        assertThat(warn.getReasonCode()).isEqualTo(ReasonCodes.BURST_WARN);
        final var deny = accountant.onUsage(l, p, usage("f", null, "0.01", day1), day1);
        assertThat(deny.state().getStatus()).isEqualTo(BudgetStatus.DENY);
        assertThat(deny.state().getReasonCode()).isEqualTo(ReasonCodes.BURST_LIMIT);
        assertThat(deny.decisions()).extracting(BudgetDecision::getReasonCode).containsExactly(ReasonCodes.BURST_LIMIT);
        // day 2: $11 spent before today > pro-rata $10 -> not on track: cap = share = (300 - 11) / 29
        final Instant day2 = Instant.parse("2026-11-02T10:00:00Z");
        assertThat(accountant.onTick(l, p, day2).state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        final BigDecimal share = new BigDecimal("289").divide(new BigDecimal("29"), 12, java.math.RoundingMode.DOWN);
        assertThat(accountant.onUsage(l, p, usage("f", null, share.subtract(new BigDecimal("0.000001")).toPlainString(), day2), day2)
                .state().getStatus()).isEqualTo(BudgetStatus.ALLOW);
        assertThat(accountant.onUsage(l, p, usage("f", null, "0.000001", day2), day2).state().getReasonCode())
                .isEqualTo(ReasonCodes.BURST_LIMIT);
    }

    @Test
    void burstCapUsesTheRemainingShareWhenEarlierDaysUnderspent() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "300", BudgetPeriod.MONTH).setBurstTolerancePct(110).build());
        final Instant day1 = Instant.parse("2026-11-01T10:00:00Z");
        final Instant day2 = Instant.parse("2026-11-02T10:00:00Z");
        final ScopeLedger l = ledger(p, day1);
        accountant.onUsage(l, p, usage("f", null, "5", day1), day1);
        // on track; share = 295 / 29 = 10.1724...; cap = 11.1896...
        assertThat(accountant.onUsage(l, p, usage("f", null, "11.18", day2), day2).state().getStatus()).isEqualTo(BudgetStatus.WARN);
        assertThat(accountant.onUsage(l, p, usage("f", null, "0.01", day2), day2).state().getReasonCode()).isEqualTo(ReasonCodes.BURST_LIMIT);
    }

    @Test
    void heartbeatKeepsTheVersionAndRefreshesHeartbeatAt() {
        final BudgetPolicy p = BudgetPolicy.of(featureBudget("f", "10", BudgetPeriod.DAY).build());
        final ScopeLedger l = ledger(p, T0);
        final var changed = accountant.onUsage(l, p, usage("f", null, "1", T0), T0).state();
        final var beat = accountant.onTick(l, p, T0.plusSeconds(1)).state();
        assertThat(beat.getVersion()).isEqualTo(changed.getVersion());
        assertThat(beat.getHeartbeatAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(beat.getUpdatedAt()).isEqualTo(T0);
    }
}
