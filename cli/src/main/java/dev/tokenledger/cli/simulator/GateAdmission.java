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
package dev.tokenledger.cli.simulator;

import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateDecision;
import dev.tokenledger.gate.GateReservation;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated company's gateway: asks the real {@link BudgetGate} before dispatching a user
 * action, holding the action's worst case (every call's input plus {@code max_tokens} at the model's
 * rates, {@link UsagePricer#worstCase}) once under the action's root request id; a deny becomes
 * the gate's HTTP 429 body. When the action is done its hold is committed with the action's actual
 * cost, priced from what the simulator recorded. The runaway feature under-reserves (see
 * {@link #admit}), which is how it gets past 100 % of its budget before it is denied.
 */
public final class GateAdmission implements ActionGate {
    private final BudgetGate gate;
    private final PriceCatalog catalog;
    private final RecordPricer pricer;
    private final Map<String, GateReservation> holds = new ConcurrentHashMap<>();

    public GateAdmission(BudgetGate gate, PriceCatalog catalog, RecordPricer pricer) {
        this.gate = gate;
        this.catalog = catalog;
        this.pricer = pricer;
    }

    @Override
    public Admission admit(UserAction action, String rootRequestId) {
        final Instant now = Instant.now();
        BigDecimal worstCase = BigDecimal.ZERO;
        final boolean underestimated = action.feature().runaway();
        for (int i = 0; i < action.calls().size(); i++) {
            final PlannedCall c = action.calls().get(i);
            // the runaway team sizes its hold from the user's text and a typical answer, forgetting the
            // 4,000-token system prompt: every call costs about twice what it holds, so the feature
            // really spends past 100 % before the enforcer's DENY reaches the gate
            final long input = underestimated ? c.usage().totalInput() - action.feature().steps().get(i).systemPromptTokens()
                    : c.usage().totalInput();
            final long output = underestimated ? action.feature().steps().get(i).output().median() : c.maxTokens();
            final PriceEntry price = catalog.find(c.provider().id(), c.model(), now).orElseThrow(() -> new IllegalStateException(
                    "No price for " + c.provider().id() + "/" + c.model() + ": cannot size the reservation"));
            worstCase = worstCase.add(UsagePricer.worstCase(price, input, output));
        }
        final PlannedCall first = action.calls().get(0);
        final String tier = action.feature().steps().get(0).tier().name().toLowerCase(Locale.ROOT);
        final GateDecision decision = gate.reserve(new GateCall(action.feature().id(), action.tenant().id(), rootRequestId,
                rootRequestId, null, first.model(), tier), worstCase);
        if (!decision.allowed()) {
            return Admission.deny(decision.toHttp429(now).body());
        }
        final GateReservation hold = decision.reservation();
        if (hold == null) {
            return Admission.allow(null);
        }
        holds.put(rootRequestId, hold);
        return Admission.allow(hold.reservationId());
    }

    @Override
    public void finished(UserAction action, Admission admission, String rootRequestId, List<SentEvent> sent) {
        final GateReservation hold = holds.remove(rootRequestId);
        if (hold == null) {
            return;
        }
        final BigDecimal actual = sent.stream()
                .map(pricer::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        gate.commit(hold, actual);
    }
}
