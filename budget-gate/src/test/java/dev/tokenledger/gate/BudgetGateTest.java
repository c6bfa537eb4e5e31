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
package dev.tokenledger.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.avro.StalePolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gate against an in-test enforcer that answers every lease request at once by the escrow rule
 * ({@code grant = min(want, limit - spent - outstanding)} when that covers the need, else DENIED).
 */
class BudgetGateTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant PERIOD_START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");
    private final AtomicLong clock = new AtomicLong(NOW.toEpochMilli());
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** While set, every read of the gate's monotonic clock moves it 1 ms on, so a lease wait passes without sleeping. */
    private final AtomicBoolean clockRuns = new AtomicBoolean();
    private final List<LeaseRequest> requests = new CopyOnWriteArrayList<>();
    private final List<BudgetDecision> decisions = new CopyOnWriteArrayList<>();
    private final FakeEnforcer enforcer = new FakeEnforcer();
    private final BudgetGate gate = new BudgetGate("g1", Duration.ofSeconds(5), Duration.ofMinutes(10), clock::get,
            () -> clockRuns.get() ? nanos.addAndGet(1_000_000L) : nanos.get(),
            new GateRecordSink() {
                @Override
                public void leaseRequest(LeaseRequest r) {
                    requests.add(r);
                    enforcer.answer(r);
                }

                @Override
                public void decision(BudgetDecision d) {
                    decisions.add(d);
                }
            }, new BudgetGate.LeaseOptions(Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(10)));

    /** Limits and spend per scope, and what it granted and got back per scope (one gate). */
    private final class FakeEnforcer {
        final Map<String, BigDecimal> limits = new HashMap<>();
        final Map<String, BigDecimal> granted = new HashMap<>();
        final Map<String, BigDecimal> returned = new HashMap<>();
        volatile boolean down;

        synchronized void answer(LeaseRequest r) {
            if (down) {
                return;
            }
            final String k = r.getScopeKey();
            returned.merge(k, r.getReturnedTotalUsd(), BigDecimal::max);
            final BigDecimal g = granted.getOrDefault(k, BigDecimal.ZERO);
            final BigDecimal left = limits.getOrDefault(k, BigDecimal.ZERO).subtract(g.subtract(returned.get(k)));
            final boolean ok = left.compareTo(r.getNeedUsd()) >= 0 && left.signum() > 0;
            final BigDecimal grant = ok ? r.getWantUsd().min(left) : BigDecimal.ZERO;
            granted.put(k, g.add(grant));
            gate.onLease(lease(k, ok || r.getNeedUsd().signum() == 0 ? LeaseStatus.GRANTED : LeaseStatus.DENIED, granted.get(k),
                    r.getSequence()));
        }
    }

    private Lease lease(String scope, LeaseStatus status, BigDecimal grantedTotal, long seq) {
        return Lease.newBuilder().setGateId(gate.instanceId()).setScopeKey(scope).setPeriodStart(PERIOD_START).setPeriodEnd(PERIOD_END)
                .setStatus(status).setGrantedTotalUsd(grantedTotal.setScale(12)).setReturnedTotalUsd(BigDecimal.ZERO.setScale(12))
                .setSequence(seq).setTtlMs(30_000).setUnleasedUsd(BigDecimal.ZERO.setScale(12))
                .setOthersOutstandingUsd(BigDecimal.ZERO.setScale(12))
                .setReasonCode(status == LeaseStatus.DENIED ? "GENUINE_BREACH" : "LEASE_GRANTED").setIssuedAt(NOW).build();
    }

    /** A budget the gate knows from its state, and the fake enforcer's remainder for it (limit - spent). */
    private void budget(String scope, String remainder, BudgetState state) {
        enforcer.limits.put(scope, new BigDecimal(remainder));
        gate.onState(scope, state);
    }

    static BudgetState.Builder state(String scopeKey, String budgetId, String limit, String spent, String reserved) {
        final BigDecimal l = new BigDecimal(limit).setScale(12);
        final BigDecimal s = new BigDecimal(spent).setScale(12);
        final BigDecimal r = new BigDecimal(reserved).setScale(12);
        return BudgetState.newBuilder()
                .setScopeKey(scopeKey).setBudgetId(budgetId).setScope(BudgetScope.FEATURE).setFeatureId("draft_email")
                .setStatus(s.add(r).compareTo(l) >= 0 ? BudgetStatus.DENY : BudgetStatus.ALLOW)
                .setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.OPEN)
                .setLimitUsd(l).setSpentUsd(s).setReservedUsd(r).setRemainingUsd(l.subtract(s).subtract(r))
                .setPeriodStart(PERIOD_START).setPeriodEnd(PERIOD_END)
                .setReasonCode(s.add(r).compareTo(l) >= 0 ? "GENUINE_BREACH" : "WITHIN_BUDGET")
                .setVersion(1).setUpdatedAt(NOW).setHeartbeatAt(NOW);
    }

    private static GateCall call(String root) {
        return new GateCall("draft_email", "acme", root, "req-" + root, "parent-" + root, "claude-sonnet-4-5", "mid");
    }

    private static GateCall call(String root, String tenant) {
        return new GateCall("draft_email", tenant, root, "req-" + root, null, "claude-sonnet-4-5", "mid");
    }

    @Test
    void noBudgetMeansAllow() {
        assertThat(gate.check("draft_email", "acme", new BigDecimal("100")).allowed()).isTrue();
        assertThat(gate.reserve(call("r0"), new BigDecimal("100")).allowed()).isTrue();
        assertThat(requests).as("no budget, no lease").isEmpty();
    }

    @Test
    void answersAtOnceOnlyWhenNoLeaseGovernsOrTheLeaseCoversTheCall() {
        assertThat(gate.answersAtOnce("draft_email", "acme", new BigDecimal("100"))).as("no budget").isTrue();
        budget("feature:draft_email", "8", state("feature:draft_email", "feature:draft_email", "10", "2", "0").build());
        assertThat(gate.answersAtOnce("draft_email", "acme", new BigDecimal("4"))).as("budget, no lease yet").isFalse();
        assertThat(gate.reserve(call("a1"), new BigDecimal("4")).allowed()).isTrue();
        // the first request leased two calls' worth (8): one call's 4 is left
        assertThat(gate.answersAtOnce("draft_email", "acme", new BigDecimal("4"))).isTrue();
        assertThat(gate.answersAtOnce("draft_email", "acme", new BigDecimal("4.01"))).isFalse();
        assertThat(gate.answersAtOnce("other_feature", "acme", new BigDecimal("4.01"))).as("another feature, no budget").isTrue();
    }

    @Test
    void tryReserveNeverWaitsItAnswersWouldWaitWhenTheEnforcerMustBeAsked() {
        assertThat(gate.leaseGoverns("draft_email", "acme")).as("no budget").isFalse();
        assertThat(gate.tryReserve(call("t0"), new BigDecimal("100")).allowed()).as("no budget: at once").isTrue();
        budget("feature:draft_email", "8", state("feature:draft_email", "feature:draft_email", "10", "2", "0").build());
        assertThat(gate.leaseGoverns("draft_email", "acme")).isTrue();
        assertThat(gate.tryReserve(call("t1"), new BigDecimal("4"))).as("no lease yet: would wait").isNull();
        assertThat(requests).as("nothing asked").isEmpty();
        assertThat(decisions).as("nothing written").isEmpty();
        assertThat(gate.inFlightHolds()).isEqualTo(1);
        assertThat(gate.reserve(call("t1"), new BigDecimal("4")).allowed()).isTrue();
        // the lease (8) now has 4 left: a call of 4 is taken at once, one of 4.01 more would wait
        assertThat(gate.tryReserve(call("t2"), new BigDecimal("4")).reservation().amount()).isEqualByComparingTo("4");
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("0");
        assertThat(gate.tryReserve(call("t3"), new BigDecimal("0.01"))).isNull();
        assertThat(requests).hasSize(1);
    }

    @Test
    void admitsOnlyAgainstItsLeaseAndRefundsTheUnusedPart() {
        budget("feature:draft_email", "8", state("feature:draft_email", "feature:draft_email", "10", "2", "0").build());
        final GateDecision a = gate.reserve(call("r1"), new BigDecimal("4"));
        final GateDecision b = gate.reserve(call("r2"), new BigDecimal("4"));
        assertThat(a.allowed()).isTrue();
        assertThat(b.allowed()).isTrue();
        // the first request asked for two calls' worth (8): one round trip for both
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.getNeedUsd()).isEqualByComparingTo("4");
            assertThat(r.getGateId()).isEqualTo(gate.instanceId()).startsWith("g1~");
        });
        assertThat(a.reservation().reservationId()).isEqualTo(gate.instanceId() + "@" + NOW.toEpochMilli() + "/r1");
        assertThat(gate.renewalLatenciesNanos()).as("one answered request, answered at once by the fake").containsExactly(0L);
        final GateDecision c = gate.reserve(call("r3"), new BigDecimal("0.01"));
        assertThat(c.allowed()).isFalse();
        assertThat(c.reasonCode()).isEqualTo("GENUINE_BREACH");
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.getEnforced()).isTrue();
            assertThat(d.getRequestId()).isEqualTo("req-r3");
            assertThat(d.getParentRequestId()).isEqualTo("parent-r3");
            assertThat(d.getModelTier()).isEqualTo("mid");
            assertThat(d.getReserveDeltaUsd()).isEqualByComparingTo("0.01");
        });
        // a call that cost 1.5 of its 4 gives 2.5 back to the lease: the next call needs no round trip
        gate.commit(a.reservation(), new BigDecimal("1.5"));
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("2.5");
        final int before = requests.size();
        assertThat(gate.reserve(call("r4"), new BigDecimal("2.5")).allowed()).isTrue();
        assertThat(requests).hasSize(before);
        assertThat(gate.reserve(call("r5"), new BigDecimal("0.000000001")).allowed()).isFalse();
    }

    @Test
    void aBurstDenyLiftsAtTheEndOfTheDayNotTheEndOfTheMonth() throws Exception {
        // a Europe/Paris MONTH budget: the period starts at local midnight, 2026-10-31T23:00Z
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "500", "40", "0")
                .setPeriodStart(Instant.parse("2026-10-31T23:00:00Z")).setStatus(BudgetStatus.DENY)
                .setReasonCode("BURST_LIMIT").build());
        final GateDecision d = gate.reserve(call("r-burst"), new BigDecimal("0.05"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reasonCode()).isEqualTo("BURST_LIMIT");
        // NOW is 2026-11-23T10:00Z = 11:00 in Paris; the local day ends at 2026-11-23T23:00Z, 13 hours later
        assertThat(d.liftsAt(NOW)).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
        assertThat(d.toHttp429(NOW).retryAfterSeconds()).isEqualTo(13 * 3600);
        // on the last day of the period the period end comes first
        final Instant lastDay = Instant.parse("2026-11-30T23:30:00Z");
        assertThat(d.liftsAt(lastDay)).isEqualTo(PERIOD_END);
    }

    @Test
    void aHoldNobodySettlesIsDroppedAfterItsTtlWithoutARefund() {
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final GateDecision forgotten = gate.reserve(call("crashed"), new BigDecimal("8"));
        assertThat(forgotten.allowed()).isTrue();
        clock.addAndGet(Duration.ofMinutes(10).toMillis());   // the gate's reservation TTL
        assertThat(gate.expireStale()).isEqualTo(1);
        assertThat(gate.inFlightHolds()).isZero();
        // its call may have run: the 8 stay spent, so only 2 are left to lease
        assertThat(gate.reserve(call("next"), new BigDecimal("4")).allowed()).isFalse();
        assertThat(gate.reserve(call("small"), new BigDecimal("2")).allowed()).isTrue();
        // a late commit of the expired hold changes nothing
        gate.commit(forgotten.reservation(), new BigDecimal("1"));
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("0");
    }

    @Test
    void retriesAndFallbacksReuseTheHoldOfTheirRootRequest() {
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final GateDecision first = gate.reserve(call("root-1"), new BigDecimal("6"));
        final GateDecision retry = gate.reserve(new GateCall("draft_email", "acme", "root-1", "req-retry", "req-root-1", "claude-haiku-4-5", "small"),
                new BigDecimal("6"));
        assertThat(retry.allowed()).isTrue();
        assertThat(retry.reservation()).isSameAs(first.reservation());
        assertThat(gate.inFlightAmount()).isEqualByComparingTo("6");
        gate.commit(first.reservation(), new BigDecimal("1.25"));
        gate.commit(first.reservation(), new BigDecimal("1.25"));
        // granted 10 (want 12 capped by the remainder), 6 held, 4.75 back: 8.75 left
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("8.75");
        assertThat(gate.inFlightHolds()).isZero();
    }

    @Test
    void denyStateDeniesAndRendersA429WithRetryAfterAtThePeriodEnd() throws Exception {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "500", "501.2", "0").build());
        final GateDecision d = gate.reserve(call("r1"), new BigDecimal("0.05"));
        assertThat(d.allowed()).isFalse();
        final GateDecision.HttpDenial http = d.toHttp429(NOW);
        assertThat(http.status()).isEqualTo(429);
        final long expected = Duration.between(NOW, PERIOD_END).toSeconds();
        assertThat(http.retryAfterSeconds()).isEqualTo(expected);
        assertThat(http.headers()).containsEntry("Retry-After", Long.toString(expected));
        final JsonNode body = new ObjectMapper().readTree(http.body());
        assertThat(body.get("reason_code").asText()).isEqualTo("GENUINE_BREACH");
        assertThat(body.get("feature_id").asText()).isEqualTo("draft_email");
        assertThat(body.get("model_tier").asText()).isEqualTo("mid");
        assertThat(body.get("budget_window").get("period_end").asText()).isEqualTo(PERIOD_END.toString());
        assertThat(body.get("reserve_delta_usd").asText()).isEqualTo("0.05");
        assertThat(body.get("spent_usd").asText()).isEqualTo("501.2");
        assertThat(body.get("request_id").asText()).isEqualTo("req-r1");
        assertThat(body.get("parent_request_id").asText()).isEqualTo("parent-r1");
        assertThat(body.get("message").asText()).contains("feature:draft_email").contains("$500.00").contains(PERIOD_END.toString());
    }

    @Test
    void alertOnlyAllowsAndLogsAShadowDecision() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "10", "0")
                .setMode(BudgetMode.ALERT_ONLY).setStatus(BudgetStatus.WARN).setReasonCode("SHADOW_DENY").build());
        final GateDecision d = gate.reserve(call("r1"), new BigDecimal("1"));
        assertThat(d.allowed()).isTrue();
        assertThat(d.shadowDeny()).isTrue();
        assertThat(d.reservation()).isNotNull();
        assertThat(decisions).singleElement().satisfies(x -> assertThat(x.getEnforced()).isFalse());
    }

    @Test
    void withoutALeaseAnswerTheStalePolicyDecides() {
        enforcer.down = true;
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        budget("tenant:acme", "10", state("tenant:acme", "tenant:acme", "10", "0", "0").setScope(BudgetScope.TENANT)
                .setStalePolicy(StalePolicy.CLOSED).build());
        // tenant:acme is CLOSED: after the lease wait (50 ms, on the monotonic clock) with no answer -> deny
        clockRuns.set(true);
        try {
            final GateDecision closed = gate.reserve(call("c1"), BigDecimal.ONE);
            assertThat(closed.allowed()).isFalse();
            assertThat(closed.reasonCode()).isEqualTo("STALE_STATE");
            assertThat(closed.toHttp429(Instant.ofEpochMilli(clock.get())).body()).contains("stale");
            // another tenant only hits the OPEN feature scope: admitted without a lease, reported once; its reservation
            // id names no gate, so the enforcer never subtracts its usage from a lease it did not draw from
            final GateDecision open = gate.reserve(call("o1", "globex"), BigDecimal.ONE);
            assertThat(open.allowed()).isTrue();
            assertThat(open.reservation().reservationId()).startsWith(BudgetGate.UNLEASED_PREFIX);
            assertThat(gate.reserve(call("o2", "globex"), BigDecimal.ONE).allowed()).isTrue();
            assertThat(decisions).filteredOn(d -> "STALE_STATE".equals(d.getReasonCode()) && !d.getEnforced()).hasSize(1);
        } finally {
            clockRuns.set(false);
        }
        // the enforcer is back: leases again
        enforcer.down = false;
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        final GateDecision back = gate.reserve(call("c2"), BigDecimal.ONE);
        assertThat(back.allowed()).isTrue();
        assertThat(gate.leaseUsable("tenant:acme")).isTrue();
    }

    @Test
    void aSafeStalePolicyAdmitsUpToItsAllowancePerOutage() {
        enforcer.down = true;
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0")
                .setStalePolicy(StalePolicy.SAFE).setSafeAllowanceUsd(new BigDecimal("2.5").setScale(12)).build());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        // first call: no answer within the wait (the clock is moved past it by the wait itself)
        clockRuns.set(true);
        try {
            assertThat(gate.reserve(call("s1"), BigDecimal.ONE).allowed()).isTrue();
            assertThat(gate.reserve(call("s2"), BigDecimal.ONE).allowed()).isTrue();
            final GateDecision third = gate.reserve(call("s3"), BigDecimal.ONE);
            assertThat(third.allowed()).as("2 of the 2.5 allowance spent").isFalse();
            assertThat(third.reasonCode()).isEqualTo("STALE_STATE");
            assertThat(gate.reserve(call("s4"), new BigDecimal("0.5")).allowed()).isTrue();
        } finally {
            clockRuns.set(false);
        }
    }

    @Test
    void aCarvedOutTenantLeasesOnlyItsOwnScope() {
        budget("feature:draft_email", "0", state("feature:draft_email", "feature:draft_email", "10", "10", "0").build());
        budget("feature_tenant:draft_email|bigcorp", "80", state("feature_tenant:draft_email|bigcorp", "feature:draft_email", "100", "20", "0")
                .setScope(BudgetScope.FEATURE_TENANT).setTenantId("bigcorp").build());
        assertThat(gate.check("draft_email", "acme", 1L).allowed()).isFalse();
        assertThat(gate.reserve(call("a1", "acme"), BigDecimal.ONE).allowed()).isFalse();
        final GateDecision held = gate.reserve(call("b1", "bigcorp"), BigDecimal.ONE);
        assertThat(held.allowed()).isTrue();
        gate.commit(held.reservation(), BigDecimal.ONE);
        assertThat(requests).extracting(LeaseRequest::getScopeKey).containsOnly("feature_tenant:draft_email|bigcorp");
    }

    @Test
    void globalDenyDeniesEveryFeature() {
        gate.onState("global", state("global", "global", "1000", "1000", "0").setScope(BudgetScope.GLOBAL).build());
        final GateDecision d = gate.check("anything", null, 1L);
        assertThat(d.allowed()).isFalse();
        assertThat(d.scopeKey()).isEqualTo("global");
    }

    @Test
    void aStreamDrawsItsOverrunFromTheLeaseAndIsCutWhenTheLeaseIsDry() {
        budget("feature:draft_email", "0.25", state("feature:draft_email", "feature:draft_email", "10", "9.75", "0").build());
        final AtomicBoolean cut = new AtomicBoolean();
        final GateReservation r = gate.reserve(call("s1"), new BigDecimal("0.10")).reservation().onCeiling(() -> cut.set(true));
        // granted 0.20 (two calls' worth); 0.10 held, 0.10 left to draw
        assertThat(r.debit(new BigDecimal("0.15"))).isTrue();
        assertThat(r.debit(new BigDecimal("0.05"))).isTrue();
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("0");
        assertThat(cut).isFalse();
        // the lease is dry before 2x the hold: cut
        assertThat(r.debit(new BigDecimal("0.000001"))).isFalse();
        assertThat(cut).isTrue();
        assertThat(r.ceilingReached()).isTrue();
        // what was generated after the cut is still charged: the lease goes below zero by that tail
        gate.commit(r, r.debited());
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("-0.000001");
    }

    @Test
    void withoutABudgetAStreamIsCutAtTwiceItsHold() {
        final AtomicBoolean cut = new AtomicBoolean();
        final GateReservation r = gate.reserve(call("s1"), new BigDecimal("0.10")).reservation().onCeiling(() -> cut.set(true));
        assertThat(r.debit(new BigDecimal("0.20"))).isTrue();
        assertThat(r.debit(new BigDecimal("0.000001"))).isFalse();
        assertThat(cut).isTrue();
    }

    @Test
    void aRecallHandsEveryUnheldPartBackAndReportsIt() {
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final GateDecision a = gate.reserve(call("r1"), new BigDecimal("3"));
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("3");
        gate.onLease(lease("feature:draft_email", LeaseStatus.RECALLED, new BigDecimal("6"), 0));
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("0");
        assertThat(requests.get(requests.size() - 1).getReturnedTotalUsd()).isEqualByComparingTo("3");
        // the call in flight keeps its hold; its refund lands in the (recalled) lease and goes back at the next report
        gate.commit(a.reservation(), BigDecimal.ONE);
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("2");
    }

    @Test
    void aNewPeriodsLeaseNeverReceivesARefundOfTheOldPeriod() {
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final GateDecision old = gate.reserve(call("r1"), new BigDecimal("3"));
        gate.onLease(Lease.newBuilder(lease("feature:draft_email", LeaseStatus.GRANTED, new BigDecimal("5"), 0))
                .setPeriodStart(PERIOD_END).setPeriodEnd(Instant.parse("2027-01-01T00:00:00Z")).build());
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("5");
        gate.commit(old.reservation(), BigDecimal.ONE);
        assertThat(gate.leaseAvailable("feature:draft_email")).isEqualByComparingTo("5");
    }

    @Test
    void concurrentAdmissionsNeverTakeMoreThanTheLeaseOfEveryScope() throws Exception {
        // two scopes with leases of 3,000 and 5,000 units: every admission takes 1 unit of both or of neither
        final ScopeSlot a = new ScopeSlot("global");
        final ScopeSlot b = new ScopeSlot("feature:x");
        for (ScopeSlot s : new ScopeSlot[] {a, b}) {
            s.leaseUntilNanos = Long.MAX_VALUE / 2;
            s.periodEndMs = Long.MAX_VALUE;
        }
        a.available.set(3_000);
        b.available.set(5_000);
        final ScopeSlot[] order = {a, b};
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        final CountDownLatch start = new CountDownLatch(1);
        final List<Future<Integer>> admitted = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            admitted.add(pool.submit(() -> {
                start.await();
                int n = 0;
                for (int i = 0; i < 2_000; i++) {
                    if (BudgetGate.takeAll(order, 1, 0, 0) < 0) {
                        n++;
                    }
                }
                return n;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : admitted) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).isEqualTo(3_000);
        assertThat(a.available.get()).isZero();
        assertThat(b.available.get()).as("rolled back whenever global could not pay").isEqualTo(2_000);
    }

    @Test
    void modeOffAndUnlimitedOverrideNeverDenyAndNeedNoLease() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "1000000000000000", "99", "0")
                .setStatus(BudgetStatus.ALLOW).setReasonCode("OVERRIDE_ACTIVE").build());
        assertThat(gate.check("draft_email", "acme", new BigDecimal("1000")).allowed()).isTrue();
        gate.onState("tenant:acme", state("tenant:acme", "tenant:acme", "1", "5", "0").setMode(BudgetMode.OFF).setStatus(BudgetStatus.ALLOW).build());
        assertThat(gate.check("draft_email", "acme", new BigDecimal("1000")).allowed()).isTrue();
        assertThat(gate.reserve(call("r1"), new BigDecimal("1000")).allowed()).isTrue();
        assertThat(requests).isEmpty();
    }

    @Test
    void aDenyStateOfAPastPeriodDoesNotDenyTheNextOne() {
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "10", "0").build());
        assertThat(gate.reserve(call("r1"), BigDecimal.ONE).allowed()).isFalse();
        // the period ended; the new period's state has not arrived yet, the enforcer grants a fresh lease
        clock.set(PERIOD_END.toEpochMilli() + 1_000);
        enforcer.granted.clear();
        gate.onLease(Lease.newBuilder(lease("feature:draft_email", LeaseStatus.GRANTED, new BigDecimal("3"), 0))
                .setPeriodStart(PERIOD_END).setPeriodEnd(Instant.parse("2027-01-01T00:00:00Z")).build());
        assertThat(gate.reserve(call("r2"), BigDecimal.ONE).allowed()).isTrue();
    }

    @Test
    void aLostReportOfLeaseHandedBackIsSentAgain() {
        budget("feature:draft_email", "10", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        gate.commit(gate.reserve(call("r1"), BigDecimal.ONE).reservation(), BigDecimal.ONE);
        enforcer.down = true;   // the hand-back report below is lost
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());   // idle for longer than idleReturn
        gate.maintain();
        final LeaseRequest lost = requests.get(requests.size() - 1);
        assertThat(lost.getReturnedTotalUsd()).isEqualByComparingTo("1");
        enforcer.down = false;
        nanos.addAndGet(Duration.ofSeconds(3).toNanos());   // past the lease wait: not pending any more
        gate.maintain();
        final LeaseRequest again = requests.get(requests.size() - 1);
        assertThat(again.getSequence()).isGreaterThan(lost.getSequence());
        assertThat(again.getReturnedTotalUsd()).isEqualByComparingTo("1");
    }
}
