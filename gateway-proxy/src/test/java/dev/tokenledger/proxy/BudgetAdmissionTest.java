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
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateRecordSink;
import dev.tokenledger.pricing.PriceCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetAdmissionTest {
    private final BudgetGate gate = new BudgetGate("unit", Duration.ofSeconds(5), Duration.ofMinutes(10), System::currentTimeMillis,
            new GateRecordSink() {
                @Override
                public void decision(BudgetDecision decision) {
                }

                @Override
                public void leaseRequest(LeaseRequest request) {
                }
            });
    private final BudgetAdmission admission = new BudgetAdmission(gate, PriceCatalog.loadDefault());

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
        final BudgetAdmission.Admission a = admission.admit(call("root-2"), ProviderRoute.ANTHROPIC_MESSAGES,
                new CallShape("claude-sonnet-4-5", false, 1_000, 400), Instant.now());
        admission.settle(event(a.hold().reservationId()));
        assertThat(admission.openHolds()).isZero();
        assertThat(gate.inFlightHolds()).isZero();
        // a second event naming the same hold (a retry of a settled call) changes nothing
        admission.settle(event(a.hold().reservationId()));
        assertThat(admission.openHolds()).isZero();
    }

    @Test
    void aModelWithoutAPriceCannotBeSized() {
        assertThatThrownBy(() -> admission.admit(call("root-3"), ProviderRoute.OPENAI_CHAT_COMPLETIONS,
                new CallShape("gpt-unreleased", false, 10, 10), Instant.now()))
                .isInstanceOf(BudgetAdmission.UnpricedModelException.class)
                .hasMessageContaining("No price for provider 'openai' model 'gpt-unreleased'");
    }

    private static GateCall call(String root) {
        return new GateCall("draft_email", "acme", root, root, null, "claude-sonnet-4-5", null);
    }

    private static UsageEvent event(String reservationId) {
        return UsageEvent.newBuilder().setEventId("e-" + reservationId.hashCode()).setKind(UsageKind.COMPLETED).setOccurredAt(Instant.now())
                .setFeatureId("draft_email").setTenantId("acme").setUserId(null).setPlanTier(null).setRequestId("r").setRootRequestId("r")
                .setParentRequestId(null).setAttempt(1).setEnvironment("test").setProvider("anthropic").setModel("claude-sonnet-4-5")
                .setModelRequested(null).setInputTokens(100L).setOutputTokens(20L).setReasoningTokens(0L).setCacheWrite5mTokens(0L)
                .setCacheWrite1hTokens(0L).setCacheReadTokens(0L).setOtherTokens(Map.of()).setServiceTier(null).setBatch(false).setRegion(null)
                .setLatencyMs(5L).setErrorClass(null).setReservationId(reservationId).setTerminationReason(null).setGeneratedOutputTokens(null)
                .setUsageSource(UsageSource.PROVIDER).setTags(Map.of()).setCacheWriteTokens(Map.of()).build();
    }
}
