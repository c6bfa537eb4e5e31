package dev.tokenledger.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.ReservationStatus;
import dev.tokenledger.avro.StalePolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetGateTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");
    private final AtomicLong clock = new AtomicLong(NOW.toEpochMilli());
    private final List<Reservation> reservations = new CopyOnWriteArrayList<>();
    private final List<BudgetDecision> decisions = new CopyOnWriteArrayList<>();
    private final BudgetGate gate = new BudgetGate("g1", Duration.ofSeconds(5), Duration.ofMinutes(10), clock::get, new GateRecordSink() {
        @Override
        public void reservation(Reservation r) {
            reservations.add(r);
        }

        @Override
        public void decision(BudgetDecision d) {
            decisions.add(d);
        }
    });

    static BudgetState.Builder state(String scopeKey, String budgetId, String limit, String spent, String reserved) {
        final BigDecimal l = new BigDecimal(limit).setScale(12);
        final BigDecimal s = new BigDecimal(spent).setScale(12);
        final BigDecimal r = new BigDecimal(reserved).setScale(12);
        return BudgetState.newBuilder()
                .setScopeKey(scopeKey).setBudgetId(budgetId).setScope(BudgetScope.FEATURE).setFeatureId("draft_email")
                .setStatus(s.add(r).compareTo(l) >= 0 ? BudgetStatus.DENY : BudgetStatus.ALLOW)
                .setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.OPEN)
                .setLimitUsd(l).setSpentUsd(s).setReservedUsd(r).setRemainingUsd(l.subtract(s).subtract(r))
                .setPeriodStart(Instant.parse("2026-11-01T00:00:00Z")).setPeriodEnd(PERIOD_END)
                .setReasonCode(s.add(r).compareTo(l) >= 0 ? "GENUINE_BREACH" : "WITHIN_BUDGET")
                .setVersion(1).setUpdatedAt(NOW).setHeartbeatAt(NOW);
    }

    private static GateCall call(String root) {
        return new GateCall("draft_email", "acme", root, "req-" + root, "parent-" + root, "claude-sonnet-4-5", "mid");
    }

    @Test
    void noBudgetMeansAllow() {
        assertThat(gate.check("draft_email", "acme", new BigDecimal("100")).allowed()).isTrue();
    }

    @Test
    void deniesWhenTheHoldDoesNotFitAndCountsLocalHolds() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "2", "0").build());
        final GateDecision a = gate.reserve(call("r1"), new BigDecimal("4"));
        final GateDecision b = gate.reserve(call("r2"), new BigDecimal("4"));
        assertThat(a.allowed()).isTrue();
        assertThat(b.allowed()).isTrue();
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
        // once the enforcer reports those holds, they are not counted twice
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "2", "8").setVersion(2)
                .setStatus(BudgetStatus.WARN).build());
        assertThat(gate.check("draft_email", "acme", new BigDecimal("0.01")).allowed()).isFalse();
        gate.release(a.reservation());
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "2", "4").setVersion(3).build());
        assertThat(gate.check("draft_email", "acme", new BigDecimal("4")).allowed()).isTrue();
        assertThat(gate.check("draft_email", "acme", new BigDecimal("4.000000001")).allowed()).isFalse();
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
    void aHoldNobodySettlesExpiresAfterItsTtlAndFreesTheGatesHeadroom() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final GateDecision forgotten = gate.reserve(call("crashed"), new BigDecimal("8"));
        assertThat(forgotten.allowed()).isTrue();
        assertThat(gate.reserve(call("next"), new BigDecimal("4")).allowed()).as("8 of 10 held locally").isFalse();

        clock.addAndGet(Duration.ofMinutes(10).toMillis());   // the gate's reservation TTL
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "0", "0")
                .setVersion(2).setHeartbeatAt(Instant.ofEpochMilli(clock.get())).build());
        final GateDecision after = gate.reserve(call("next"), new BigDecimal("4"));
        assertThat(after.allowed()).isTrue();
        assertThat(reservations).filteredOn(r -> r.getStatus() == ReservationStatus.EXPIRED)
                .singleElement().satisfies(r -> assertThat(r.getReservationId()).isEqualTo("g1/crashed"));
        assertThat(gate.inFlightHolds()).isEqualTo(1);
        // a late commit of the expired hold changes nothing
        gate.commit(forgotten.reservation(), new BigDecimal("1"));
        assertThat(reservations).filteredOn(r -> r.getStatus() == ReservationStatus.COMMITTED).isEmpty();
        assertThat(gate.expireStale()).isZero();
    }

    @Test
    void retriesAndFallbacksReuseTheHoldOfTheirRootRequest() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final GateDecision first = gate.reserve(call("root-1"), new BigDecimal("6"));
        final GateDecision retry = gate.reserve(new GateCall("draft_email", "acme", "root-1", "req-retry", "req-root-1", "claude-haiku-4-5", "small"),
                new BigDecimal("6"));
        assertThat(retry.allowed()).isTrue();
        assertThat(retry.reservation()).isSameAs(first.reservation());
        assertThat(reservations).hasSize(1);
        assertThat(gate.inFlightAmount()).isEqualByComparingTo("6");
        gate.commit(first.reservation(), new BigDecimal("1.25"));
        gate.commit(first.reservation(), new BigDecimal("1.25"));
        assertThat(reservations).extracting(Reservation::getStatus).containsExactly(ReservationStatus.HELD, ReservationStatus.COMMITTED);
        assertThat(reservations.get(1).getActualUsd()).isEqualByComparingTo("1.25");
        assertThat(reservations.get(0).getScopeKeys()).containsExactly("feature:draft_email");
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
    void staleStateAppliesTheStalePolicyAndRecovers() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "10", "0").build());
        gate.onState("tenant:acme", state("tenant:acme", "tenant:acme", "10", "0", "0").setScope(BudgetScope.TENANT)
                .setStalePolicy(StalePolicy.CLOSED).build());
        assertThat(gate.check("draft_email", "acme", 1L).reasonCode()).isEqualTo("GENUINE_BREACH");
        clock.addAndGet(5_001);
        // tenant:acme is CLOSED: stale -> deny
        final GateDecision closed = gate.check("draft_email", "acme", 1L);
        assertThat(closed.allowed()).isFalse();
        assertThat(closed.reasonCode()).isEqualTo("STALE_STATE");
        assertThat(closed.toHttp429(Instant.ofEpochMilli(clock.get())).body()).contains("stale");
        // another tenant only hits the OPEN feature scope: stale -> allow, reported once
        assertThat(gate.check("draft_email", "globex", 1L)).isSameAs(GateDecision.ALLOW_STALE_OPEN);
        assertThat(gate.check("draft_email", "globex", 1L)).isSameAs(GateDecision.ALLOW_STALE_OPEN);
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.getReasonCode()).isEqualTo("STALE_STATE");
            assertThat(d.getEnforced()).isFalse();
        });
        // the enforcer is back: a fresh heartbeat and the real state applies again
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "10", "0")
                .setHeartbeatAt(Instant.ofEpochMilli(clock.get())).build());
        assertThat(gate.check("draft_email", "globex", 1L).reasonCode()).isEqualTo("GENUINE_BREACH");
    }

    @Test
    void carvedOutTenantIsJudgedByItsOwnLimit() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "10", "0").build());
        gate.onState("feature_tenant:draft_email|bigcorp", state("feature_tenant:draft_email|bigcorp", "feature:draft_email", "100", "20", "0")
                .setScope(BudgetScope.FEATURE_TENANT).setTenantId("bigcorp").build());
        assertThat(gate.check("draft_email", "acme", 1L).allowed()).isFalse();
        assertThat(gate.check("draft_email", "bigcorp", 1L).allowed()).isTrue();
        final GateDecision held = gate.reserve(new GateCall("draft_email", "bigcorp", "r1", "r1", null, null, null), BigDecimal.ONE);
        gate.commit(held.reservation(), BigDecimal.ONE);
        assertThat(reservations.get(0).getScopeKeys()).containsExactly("feature_tenant:draft_email|bigcorp");
    }

    @Test
    void globalDenyDeniesEveryFeature() {
        gate.onState("global", state("global", "global", "1000", "1000", "0").setScope(BudgetScope.GLOBAL).build());
        final GateDecision d = gate.check("anything", null, 1L);
        assertThat(d.allowed()).isFalse();
        assertThat(d.scopeKey()).isEqualTo("global");
    }

    @Test
    void midStreamOverrunIsAdmittedUpToTwiceTheHold() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "10", "0", "0").build());
        final AtomicBoolean cut = new AtomicBoolean();
        final GateReservation r = gate.reserve(call("s1"), new BigDecimal("0.10")).reservation().onCeiling(() -> cut.set(true));
        assertThat(r.debit(new BigDecimal("0.15"))).isTrue();
        assertThat(r.debit(new BigDecimal("0.05"))).isTrue();
        assertThat(cut).isFalse();
        assertThat(r.debit(new BigDecimal("0.000001"))).isFalse();
        assertThat(cut).isTrue();
        assertThat(r.ceilingReached()).isTrue();
        gate.commit(r, r.debited());
        assertThat(reservations.get(1).getActualUsd()).isEqualByComparingTo("0.200001");
    }

    @Test
    void modeOffAndUnlimitedOverrideNeverDeny() {
        gate.onState("feature:draft_email", state("feature:draft_email", "feature:draft_email", "1000000000000000", "99", "0")
                .setStatus(BudgetStatus.ALLOW).setReasonCode("OVERRIDE_ACTIVE").build());
        assertThat(gate.check("draft_email", "acme", new BigDecimal("1000")).allowed()).isTrue();
        gate.onState("tenant:acme", state("tenant:acme", "tenant:acme", "1", "5", "0").setMode(BudgetMode.OFF).setStatus(BudgetStatus.ALLOW).build());
        assertThat(gate.check("draft_email", "acme", new BigDecimal("1000")).allowed()).isTrue();
    }
}
