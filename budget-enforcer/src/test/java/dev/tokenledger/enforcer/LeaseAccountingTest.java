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
import static dev.tokenledger.enforcer.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetOverride;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.EndgameMode;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The escrow accounting of the enforcer topology: grants, the invariant, usage, recalls, rollover, honest lag. */
class LeaseAccountingTest {
    private static final Instant T0 = Instant.parse("2026-11-10T12:00:00Z");
    private static final String SCOPE = "feature:draft_email";
    private final EnforcerSerdes serdes = EnforcerSerdes.create(Map.of("schema.registry.url", "mock://leases-" + UUID.randomUUID()));
    private TopologyTestDriver driver;
    private TestInputTopic<String, Budget> budgets;
    private TestInputTopic<String, UsageEvent> costed;
    private TestInputTopic<String, LeaseRequest> requests;
    private TestOutputTopic<String, Lease> leases;
    private TestOutputTopic<String, BudgetState> states;
    private final Map<String, Long> sequences = new java.util.HashMap<>();

    private void start() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lease-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(EnforcerTopology.build(
                new EnforcerTopology.Options(Duration.ofSeconds(1), 1, "enforcer", Duration.ofSeconds(30)), serdes), props, T0);
        budgets = driver.createInputTopic(Topics.BUDGETS_TOPIC, Serdes.String().serializer(), serdes.budget().serializer());
        costed = driver.createInputTopic(Topics.USAGE_TOPIC, Serdes.String().serializer(), serdes.usage().serializer());
        driver.createInputTopic(Topics.PRICES_TOPIC, Serdes.String().serializer(), serdes.price().serializer())
                .pipeInput(Fixtures.TEST_PRICE.getEntryId(), Fixtures.TEST_PRICE, T0);
        requests = driver.createInputTopic(Topics.LEASE_REQUESTS_TOPIC, Serdes.String().serializer(), serdes.leaseRequest().serializer());
        leases = driver.createOutputTopic(Topics.LEASES_TOPIC, Serdes.String().deserializer(), serdes.lease().deserializer());
        states = driver.createOutputTopic(Topics.BUDGET_STATE_TOPIC, Serdes.String().deserializer(), serdes.state().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** Sends a gate's lease request (cumulative returned and consumed totals); returns its sequence. */
    private long send(String gate, String need, String want, String returned, String consumed, Instant at) {
        final long seq = sequences.merge(gate, 1L, Long::sum);
        requests.pipeInput(SCOPE, LeaseRequest.newBuilder().setGateId(gate).setScopeKey(SCOPE)
                .setPeriodStart(Instant.parse("2026-11-10T00:00:00Z")).setSequence(seq)
                .setNeedUsd(Money.of(need)).setWantUsd(Money.of(want)).setReturnedTotalUsd(Money.of(returned))
                .setConsumedTotalUsd(Money.of(consumed)).setRequestedAt(at).build(), at);
        return seq;
    }

    /** Sends a request and returns the enforcer's answer to it (every output lease is keyed by its gate). */
    private Lease ask(String gate, String need, String want, String returned, Instant at) {
        final long seq = send(gate, need, want, returned, "0", at);
        Lease answer = null;
        for (TestRecord<String, Lease> r : leases.readRecordsToList()) {
            assertThat(r.key()).isEqualTo(r.value().getGateId());
            if (r.key().equals(gate) && r.value().getSequence() == seq) {
                answer = r.value();
            }
        }
        return answer;
    }

    private BudgetState lastState() {
        BudgetState last = null;
        for (TestRecord<String, BudgetState> r : states.readRecordsToList()) {
            if (r.key().equals(SCOPE)) {
                last = r.value();
            }
        }
        return last;
    }

    @Test
    void grantsNeverLeaseMoreThanTheRemainderAndFollowEachGatesDemand() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        final Lease a = ask("gate-a~1", "0.5", "4", "0", T0);
        assertThat(a.getStatus()).isEqualTo(LeaseStatus.GRANTED);
        assertThat(a.getGrantedTotalUsd()).isEqualByComparingTo("4");
        assertThat(a.getTtlMs()).isEqualTo(30_000);
        // a second gate asks for more than is left: a fair share of the remainder (6 / 2 gates), never more
        final Lease b = ask("gate-b~1", "0.5", "100", "0", T0);
        assertThat(b.getGrantedTotalUsd()).isEqualByComparingTo("3");
        assertThat(b.getUnleasedUsd()).isEqualByComparingTo("3");
        // cumulative totals: b asks again and gets what is left, then nothing
        assertThat(ask("gate-b~1", "0.5", "100", "0", T0).getGrantedTotalUsd()).isEqualByComparingTo("4.5");
        final BudgetState s = lastState();
        assertThat(s.getLeasedUsd()).isEqualByComparingTo("8.5");
        assertThat(s.getRemainingUsd()).isEqualByComparingTo("1.5");
        assertThat(s.getStatus().name()).as("leases are not spend: no deny").isNotEqualTo("DENY");
        // the invariant: spent + outstanding never passes the limit, however many gates ask
        for (int i = 0; i < 20; i++) {
            ask("gate-" + i + "~1", "0.01", "1", "0", T0);
        }
        final BudgetState after = lastState();
        assertThat(after.getSpentUsd().add(after.getLeasedUsd())).isLessThanOrEqualTo(new BigDecimal("10"));
    }

    @Test
    void usageOfALeaseMovesItFromOutstandingToSpentAndReturnsFreeIt() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        ask("gate-a~1", "1", "6", "0", T0);
        final UsageEvent u = event("draft_email", "acme", "2.5", T0, "gate-a~1/root-1");
        costed.pipeInput(u.getFeatureId(), u, T0);
        // the same event again (a producer retry): charged once
        costed.pipeInput(u.getFeatureId(), u, T0);
        BudgetState s = lastState();
        assertThat(s.getSpentUsd()).isEqualByComparingTo("2.5");
        assertThat(s.getLeasedUsd()).isEqualByComparingTo("3.5");
        // usage without a gate (a service that only emits usage) is spend and shrinks what can be leased
        costed.pipeInput("draft_email", event("draft_email", "acme", "1", T0), T0);
        // the gate hands 3 back (idle): only 0.5 stays outstanding
        final Lease l = ask("gate-a~1", "0", "0", "3", T0);
        assertThat(l.getReturnedTotalUsd()).isEqualByComparingTo("3");
        s = lastState();
        assertThat(s.getSpentUsd()).isEqualByComparingTo("3.5");
        assertThat(s.getLeasedUsd()).isEqualByComparingTo("0.5");
        assertThat(s.getRemainingUsd()).isEqualByComparingTo("6");
        // a duplicate of an old report changes nothing (totals are cumulative)
        ask("gate-a~1", "0", "0", "1", T0);
        assertThat(lastState().getLeasedUsd()).isEqualByComparingTo("0.5");
    }

    @Test
    void aCrashedGatesLeaseStaysCountedUntilThePeriodEnds() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        ask("crashed~1", "1", "8", "0", T0);
        driver.advanceWallClockTime(Duration.ofMinutes(30));
        final Lease other = ask("gate-b~1", "3", "5", "0", T0.plus(Duration.ofMinutes(30)));
        assertThat(other.getStatus()).as("the crashed gate's 8 still count: 2 left, 3 needed").isEqualTo(LeaseStatus.DENIED);
        // the next day the lease is void and the budget starts again
        driver.advanceWallClockTime(Duration.ofHours(12));
        final Lease nextDay = ask("gate-b~1", "3", "5", "0", T0.plus(Duration.ofHours(12).plusMinutes(30)));
        assertThat(nextDay.getStatus()).isEqualTo(LeaseStatus.GRANTED);
        assertThat(nextDay.getPeriodStart()).isEqualTo(Instant.parse("2026-11-11T00:00:00Z"));
        assertThat(nextDay.getGrantedTotalUsd()).isEqualByComparingTo("5");
    }

    @Test
    void inThePerCallEndgameOtherGatesAreRecalledAndTheirReturnGoesToTheNextRequest() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        ask("gate-a~1", "1", "9", "0", T0);
        send("gate-b~1", "2", "4", "0", "0", T0);
        final List<Lease> out = leases.readValuesToList();
        assertThat(out).extracting(Lease::getGateId, Lease::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gate-b~1", LeaseStatus.DENIED),
                        org.assertj.core.groups.Tuple.tuple("gate-a~1", LeaseStatus.RECALLED));
        assertThat(out.get(0).getOthersOutstandingUsd()).isEqualByComparingTo("9");
        // gate a hands back 6 of its 9 (3 are held by calls in flight); b's next request gets one call's worth at least
        ask("gate-a~1", "0", "0", "6", T0);
        final Lease b = ask("gate-b~1", "2", "4", "0", T0);
        assertThat(b.getStatus()).isEqualTo(LeaseStatus.GRANTED);
        assertThat(b.getGrantedTotalUsd()).isEqualByComparingTo("3.5");
    }

    @Test
    void anEndgameDenyBudgetDeniesWhenTheRemainderCannotServeEveryActiveGate() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).setEndgame(EndgameMode.DENY).build(), T0);
        ask("gate-a~1", "1", "7", "0", T0);
        // 3 left, 2 active gates x 2 needed = 4: deny, and nobody is recalled
        final Lease b = ask("gate-b~1", "2", "2", "0", T0);
        assertThat(b.getStatus()).isEqualTo(LeaseStatus.DENIED);
        assertThat(b.getReasonCode()).isEqualTo(LeaseGrants.ENDGAME_DENY);
        assertThat(leases.isEmpty()).isTrue();
    }

    @Test
    void theKillSwitchRecallsEveryLeaseAtTheNextTickAndDenies() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        ask("gate-a~1", "1", "4", "0", T0);
        ask("gate-b~1", "1", "4", "0", T0);
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY)
                .setOverride(BudgetOverride.newBuilder().setLimitUsd(Money.of("0")).setUntil(T0.plus(Duration.ofHours(2)))
                        .setReason("runaway loop").setBy("finops").build()).build(), T0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<Lease> recalls = leases.readValuesToList();
        assertThat(recalls).extracting(Lease::getStatus).containsOnly(LeaseStatus.RECALLED);
        assertThat(recalls).extracting(Lease::getGateId).containsExactlyInAnyOrder("gate-a~1", "gate-b~1");
        assertThat(lastState().getStatus().name()).isEqualTo("DENY");
        // and no new grant while it lasts
        assertThat(ask("gate-a~1", "0.01", "1", "4", T0.plusSeconds(1)).getStatus()).isEqualTo(LeaseStatus.DENIED);
    }

    @Test
    void theHeartbeatSaysHowFarBehindItsInputTheEnforcerIs() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        // a usage record produced 7 s before the enforcer got to it
        costed.pipeInput("draft_email", event("draft_email", "acme", "1", T0.minusSeconds(7)), T0.minusSeconds(7));
        assertThat(lastState().getInputLagMs()).isEqualTo(7_000L);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(lastState().getInputLagMs()).as("the heartbeat carries the worst lag of its interval").isEqualTo(7_000L);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(lastState().getInputLagMs()).as("idle input: caught up").isZero();
    }

    @Test
    void periodRolloverUnderLoadInANonUtcZoneStartsFreshLeasesAtTheLocalBoundary() {
        start();
        // an HOUR budget in Asia/Kolkata (UTC+5:30): T0 = 12:00Z = 17:30 local, so the local hour ends at 12:30Z
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "5", BudgetPeriod.HOUR).setTimeZone("Asia/Kolkata").build(), T0);
        Instant at = T0;
        for (int i = 0; i < 60; i++) {
            at = T0.plusSeconds(i * 29L);
            driver.advanceWallClockTime(Duration.ofSeconds(i == 0 ? 0 : 29));
            final Lease l = ask("gate-" + (i % 5) + "~1", "0.05", "0.5", "0", at);
            assertThat(l.getPeriodStart()).isEqualTo(Instant.parse("2026-11-10T11:30:00Z"));
            costed.pipeInput("draft_email", event("draft_email", "acme", "0.05", at, "gate-" + (i % 5) + "~1/r" + i), at);
        }
        BudgetState before = lastState();
        assertThat(before.getSpentUsd().add(before.getLeasedUsd())).isLessThanOrEqualTo(new BigDecimal("5"));
        // cross the local boundary: 12:30Z
        driver.advanceWallClockTime(Duration.ofSeconds(31 * 60 - 60L * 29));
        final Instant after = T0.plus(Duration.ofMinutes(31));
        // a call that ran over the boundary reports usage of the old hour: not charged to the new one
        costed.pipeInput("draft_email", event("draft_email", "acme", "0.05", T0.plus(Duration.ofMinutes(29)), "gate-0~1/late"), after);
        final Lease fresh0 = ask("gate-1~1", "0.05", "0.5", "0", after);
        // one admitted before the boundary (12:29:50Z, old lease) whose usage is stamped after it (12:31:09Z): spend of
        // the new hour, but never drawn from the new lease, so the gate's new lease is not credited with it
        costed.pipeInput("draft_email", event("draft_email", "acme", "0.05", after.plusSeconds(9),
                "gate-1~1@" + Instant.parse("2026-11-10T12:29:50Z").toEpochMilli() + "/spanning"), after);
        final Lease fresh = ask("gate-0~1", "0.05", "0.5", "0", after);
        assertThat(fresh.getPeriodStart()).isEqualTo(Instant.parse("2026-11-10T12:30:00Z"));
        assertThat(fresh.getPeriodEnd()).isEqualTo(Instant.parse("2026-11-10T13:30:00Z"));
        assertThat(fresh.getGrantedTotalUsd()).as("cumulative totals restart with the period").isEqualByComparingTo("0.5");
        final BudgetState now = lastState();
        assertThat(fresh0.getGrantedTotalUsd()).isEqualByComparingTo("0.5");
        assertThat(now.getPeriodStart()).isEqualTo(Instant.parse("2026-11-10T12:30:00Z"));
        assertThat(now.getSpentUsd()).isEqualByComparingTo("0.05");
        assertThat(now.getLeasedUsd()).as("both gates' 0.5 still outstanding").isEqualByComparingTo("1.0");
        // a call admitted in the new hour is credited as usual
        costed.pipeInput("draft_email", event("draft_email", "acme", "0.05", after.plusSeconds(10),
                "gate-1~1@" + after.plusSeconds(1).toEpochMilli() + "/inside"), after);
        assertThat(lastState().getLeasedUsd()).isEqualByComparingTo("0.95");
    }

    @Test
    void aRecalledGateThatNeverAnswersIsPresumedDeadAndItsLeaseStaysSpent() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        ask("dead~1", "1", "9", "0", T0);
        final Lease first = ask("gate-b~1", "2", "4", "0", T0);
        assertThat(first.getStatus()).isEqualTo(LeaseStatus.DENIED);
        assertThat(first.getOthersOutstandingUsd()).as("a recall may free it: worth waiting").isEqualByComparingTo("9");
        driver.advanceWallClockTime(Duration.ofMillis(1_500));
        final Lease later = ask("gate-b~1", "2", "4", "0", T0.plusMillis(1_500));
        assertThat(later.getStatus()).isEqualTo(LeaseStatus.DENIED);
        assertThat(later.getOthersOutstandingUsd()).as("the recalled gate never answered: nothing to wait for").isEqualByComparingTo("0");
        assertThat(lastState().getLeasedUsd()).as("and its lease still counts as spent").isEqualByComparingTo("9");
    }

    @Test
    void holdsOfCallsInFlightAreNotWorthWaitingForARecall() {
        start();
        budgets.pipeInput(SCOPE, featureBudget("draft_email", "10", BudgetPeriod.DAY).build(), T0);
        ask("gate-a~1", "1", "9", "0", T0);
        // gate a reports that all 9 are in use by calls in flight
        send("gate-a~1", "0", "0", "0", "9", T0);
        leases.readValuesToList();
        final Lease b = ask("gate-b~1", "2", "4", "0", T0);
        assertThat(b.getStatus()).isEqualTo(LeaseStatus.DENIED);
        assertThat(b.getOthersOutstandingUsd()).as("nothing a recall could bring back").isEqualByComparingTo("0");
        assertThat(lastState().getLeasedUsd()).as("but all of it still counts against the limit").isEqualByComparingTo("9");
    }
}
