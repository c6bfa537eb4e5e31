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
package dev.tokenledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.Lease;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.LeaseStatus;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateRecordSink;
import dev.tokenledger.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The proxy's admission against a real {@link BudgetGate} whose lease requests an in-test enforcer grants at once
 * (what it asks for, from a $100 budget of feature draft_email): what each call holds, and exactly what its
 * settlement takes from the lease.
 */
class BudgetAdmissionTest {
    private static final String SCOPE = "feature:draft_email";
    private static final Instant NOW = Instant.now();
    private final List<LeaseRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<BigDecimal> granted = new AtomicReference<>(BigDecimal.ZERO);
    private final AtomicReference<BudgetGate> gateRef = new AtomicReference<>();
    private final BudgetGate gate = new BudgetGate("unit", Duration.ofSeconds(5), Duration.ofMinutes(10), System::currentTimeMillis,
            new GateRecordSink() {
                @Override
                public void decision(BudgetDecision decision) {
                }

                @Override
                public void leaseRequest(LeaseRequest request) {
                    requests.add(request);
                    gateRef.get().onLease(lease(granted.accumulateAndGet(request.getWantUsd(), BigDecimal::add), request.getSequence()));
                }
            });
    private final AtomicReference<PriceCatalog> catalog = new AtomicReference<>(PriceCatalog.loadDefault());
    private final BudgetAdmission admission = new BudgetAdmission(gate, catalog::get);

    BudgetAdmissionTest() {
        gateRef.set(gate);
    }

    @Test
    void theHoldIsTheBodysBytesAtTheInputRatePlusTheCapAtTheOutputRate() {
        // claude-sonnet-4-5: its highest input-side rate is the 1-hour cache write, $6 per million (2x the $3 input),
        // output $15 per million: 400 bytes x $6/M + 1,000 x $15/M = $0.0024 + $0.015 = $0.0174
        // (the worst case assumes whatever cache behaviour costs most, UsagePricer.worstCase)
        final CallShape shape = new CallShape("claude-sonnet-4-5", false, 1_000, 400);
        final BudgetAdmission.Admission a = admission.admit(call("root-1"), ProviderRoute.ANTHROPIC_MESSAGES, shape, Instant.now());
        assertThat(a.decision().allowed()).isTrue();
        assertThat(a.hold().amount()).isEqualByComparingTo("0.0174");
        assertThat(a.inputTokensBound()).isEqualTo(400);
        assertThat(admission.openHolds()).isEqualTo(1);
    }

    @Test
    void theEmittedEventSettlesItsHoldWithTheExactCost() {
        budget();
        final BigDecimal before = warmLease();
        final BudgetAdmission.Admission a = admission.admit(call("root-2"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        assertThat(gate.leaseAvailable(SCOPE)).isEqualByComparingTo(before.subtract(new BigDecimal("0.0174")));
        // 100 input x $3/M + 20 output x $15/M = $0.0006: the lease keeps the rest of the hold
        admission.settle(event(a.hold().reservationId(), 100, 20));
        assertThat(gate.leaseAvailable(SCOPE)).isEqualByComparingTo(before.subtract(new BigDecimal("0.0006")));
        assertThat(admission.openHolds()).isZero();
        assertThat(gate.inFlightHolds()).isZero();
        // a second event naming the same hold (a retry of a settled call) changes nothing
        admission.settle(event(a.hold().reservationId(), 100, 20));
        assertThat(gate.leaseAvailable(SCOPE)).isEqualByComparingTo(before.subtract(new BigDecimal("0.0006")));
    }

    @Test
    void callsSharingARootRequestCommitTheirSummedCostOnceTheLastSettles() {
        budget();
        final BigDecimal before = warmLease();
        final BudgetAdmission.Admission first = admission.admit(call("root-4"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        final BudgetAdmission.Admission second = admission.admit(call("root-4"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        final BudgetAdmission.Admission third = admission.admit(call("root-4"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        assertThat(second.hold()).isSameAs(first.hold());
        assertThat(third.hold()).isSameAs(first.hold());
        assertThat(gate.leaseAvailable(SCOPE)).as("one hold for the root").isEqualByComparingTo(before.subtract(new BigDecimal("0.0174")));
        admission.settle(event(first.hold().reservationId(), 100, 20));
        assertThat(gate.inFlightHolds()).as("two calls still draw on it").isEqualTo(1);
        assertThat(gate.leaseAvailable(SCOPE)).isEqualByComparingTo(before.subtract(new BigDecimal("0.0174")));
        admission.release(third.hold());
        assertThat(gate.inFlightHolds()).isEqualTo(1);
        // 1,000 x $3/M + 200 x $15/M = $0.006; with the first call's $0.0006: $0.0066 committed, the released call nothing
        admission.settle(event(second.hold().reservationId(), 1_000, 200));
        assertThat(gate.inFlightHolds()).isZero();
        assertThat(admission.openHolds()).isZero();
        assertThat(gate.leaseAvailable(SCOPE)).isEqualByComparingTo(before.subtract(new BigDecimal("0.0066")));
        // the root's next call gets a hold of its own
        final BudgetAdmission.Admission later = admission.admit(call("root-4"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        assertThat(later.hold()).isNotSameAs(first.hold());
    }

    @Test
    void aRootWhoseCallsAllEndedBeforeCostingAnythingGivesItsWholeHoldBack() {
        budget();
        final BigDecimal before = warmLease();
        final BudgetAdmission.Admission a = admission.admit(call("root-5"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        final BudgetAdmission.Admission b = admission.admit(call("root-5"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        admission.release(a.hold());
        admission.release(b.hold());
        assertThat(gate.inFlightHolds()).isZero();
        assertThat(gate.leaseAvailable(SCOPE)).isEqualByComparingTo(before);
    }

    @Test
    void anUnpricedModelIsRefusedOnlyWhenALeasedBudgetGovernsTheCall() {
        catalog.set(PriceCatalog.empty());
        final CallShape shape = new CallShape("claude-sonnet-4-5", false, 10, 10);
        final BudgetAdmission.Admission free = admission.admit(call("root-6"), ProviderRoute.ANTHROPIC_MESSAGES, shape, Instant.now());
        assertThat(free.decision().allowed()).as("no budget governs it: nothing to size").isTrue();
        assertThat(free.hold()).isNull();
        assertThat(free.price()).isNull();
        budget();
        assertThatThrownBy(() -> admission.admit(call("root-7"), ProviderRoute.ANTHROPIC_MESSAGES, shape, Instant.now()))
                .isInstanceOf(BudgetAdmission.UnpricedModelException.class)
                .hasMessageContaining("No price for provider 'anthropic' model 'claude-sonnet-4-5'");
        // the prices topic brings the model: the next call is sized with it, no restart
        catalog.set(PriceCatalog.loadDefault());
        assertThat(admission.admit(call("root-7"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now()).hold().amount())
                .isEqualByComparingTo("0.0174");
    }

    @Test
    void tryAdmitAnswersWouldWaitInsteadOfAskingTheEnforcer() {
        budget();
        // 10M output tokens at $15/M = $150: more than any lease of the $100 budget
        final CallShape huge = new CallShape("claude-sonnet-4-5", false, 10_000_000, 400);
        assertThat(admission.tryAdmit(call("root-8"), ProviderRoute.ANTHROPIC_MESSAGES, huge, Instant.now())).isNull();
        assertThat(requests).as("no lease asked for on the caller's thread").isEmpty();
        assertThat(admission.openHolds()).isZero();
        warmLease();
        final BudgetAdmission.Admission small = admission.tryAdmit(call("root-9"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        assertThat(small.decision().allowed()).as("the lease covers it: admitted at once").isTrue();
        assertThat(small.hold().amount()).isEqualByComparingTo("0.0174");
    }

    private static final CallShape SHAPE = new CallShape("claude-sonnet-4-5", false, 1_000, 400);

    /** Gets the gate a lease (one call admitted and released) and returns what it holds unused. */
    private BigDecimal warmLease() {
        final BudgetAdmission.Admission a = admission.admit(call("warm"), ProviderRoute.ANTHROPIC_MESSAGES, SHAPE, Instant.now());
        admission.release(a.hold());
        assertThat(gate.leaseUsable(SCOPE)).isTrue();
        return gate.leaseAvailable(SCOPE);
    }

    private void budget() {
        final BigDecimal limit = new BigDecimal("100").setScale(12);
        final BigDecimal zero = BigDecimal.ZERO.setScale(12);
        gate.onState(SCOPE, BudgetState.newBuilder().setScopeKey(SCOPE).setBudgetId(SCOPE).setScope(BudgetScope.FEATURE)
                .setFeatureId("draft_email").setStatus(BudgetStatus.ALLOW).setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.CLOSED)
                .setLimitUsd(limit).setSpentUsd(zero).setReservedUsd(zero).setRemainingUsd(limit).setPeriodStart(periodStart())
                .setPeriodEnd(periodStart().plus(31, ChronoUnit.DAYS)).setReasonCode("WITHIN_BUDGET").setVersion(1).setUpdatedAt(Instant.now())
                .setHeartbeatAt(Instant.now()).build());
    }

    private static Instant periodStart() {
        return NOW.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    }

    private Lease lease(BigDecimal grantedTotal, long seq) {
        return Lease.newBuilder().setGateId(gate.instanceId()).setScopeKey(SCOPE).setPeriodStart(periodStart())
                .setPeriodEnd(periodStart().plus(31, ChronoUnit.DAYS)).setStatus(LeaseStatus.GRANTED)
                .setGrantedTotalUsd(grantedTotal.setScale(12)).setReturnedTotalUsd(BigDecimal.ZERO.setScale(12)).setSequence(seq)
                .setTtlMs(60_000).setUnleasedUsd(BigDecimal.ZERO.setScale(12)).setOthersOutstandingUsd(BigDecimal.ZERO.setScale(12))
                .setReasonCode("LEASE_GRANTED").setIssuedAt(Instant.now()).build();
    }

    private static GateCall call(String root) {
        return new GateCall("draft_email", "acme", root, root + "-" + System.nanoTime(), null, "claude-sonnet-4-5", null);
    }

    private static UsageEvent event(String reservationId, long input, long output) {
        return UsageEvent.newBuilder().setEventId("e-" + reservationId.hashCode() + "-" + input).setKind(UsageKind.COMPLETED)
                .setOccurredAt(Instant.now()).setFeatureId("draft_email").setTenantId("acme").setUserId(null).setPlanTier(null)
                .setRequestId("r").setRootRequestId("r").setParentRequestId(null).setAttempt(1).setEnvironment("test").setProvider("anthropic")
                .setModel("claude-sonnet-4-5").setModelRequested(null).setInputTokens(input).setOutputTokens(output).setReasoningTokens(0L)
                .setCacheWrite5mTokens(0L).setCacheWrite1hTokens(0L).setCacheReadTokens(0L).setOtherTokens(Map.of()).setServiceTier(null)
                .setBatch(false).setRegion(null).setLatencyMs(5L).setErrorClass(null).setReservationId(reservationId)
                .setTerminationReason(null).setGeneratedOutputTokens(null).setUsageSource(UsageSource.PROVIDER).setTags(Map.of())
                .setCacheWriteTokens(Map.of()).build();
    }
}
