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

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateDecision;
import dev.tokenledger.gate.GateReservation;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Does this call fit the budget? Sizes a proxied call's worst case (its input bound and output cap at the
 * model's rates, {@link UsagePricer#worstCase}), asks the lease-based {@link BudgetGate} for a hold under the
 * call's root request, and settles the hold with the exact cost of the usage events its calls emit
 * ({@link #settle}): the unused part goes back to the leases. Calls running at the same time under one
 * {@code x-tokenledger-root-request} share the gate's one hold of that root; the hold is committed once, with the
 * summed cost of all of them, when the last one settles (committing at the first would drop the others' cost and
 * leave their stream guards drawing against a settled hold). Prices come from the catalog in force now (the
 * prices topic, followed). A model the catalog cannot price is refused only when a leased budget governs the call
 * (a $0 hold would let it past that budget); with none, nothing is held and the call goes through.
 */
final class BudgetAdmission {
    private final BudgetGate gate;
    private final Supplier<PriceCatalog> catalog;
    /** The calls sharing each open hold, by reservation id; read and changed under its own lock. */
    private final Map<String, Shared> open = new HashMap<>();

    /** One hold and the calls drawing on it: how many are still running, and what the settled ones cost. */
    private static final class Shared {
        final GateReservation hold;
        int running;
        boolean costed;
        BigDecimal cost = BigDecimal.ZERO;

        Shared(GateReservation hold) {
            this.hold = hold;
        }
    }

    BudgetAdmission(BudgetGate gate, Supplier<PriceCatalog> catalog) {
        this.gate = gate;
        this.catalog = catalog;
    }

    /** A model without a price under a leased budget: the call cannot be sized. */
    static final class UnpricedModelException extends IllegalArgumentException {
        UnpricedModelException(String provider, String model) {
            super("No price for provider '" + provider + "' model '" + model + "': a budget governs this call and the proxy cannot size "
                    + "its hold. Add the model to the price catalog (tokenledger prices load FILE) or ask for a priced model.");
        }
    }

    /** The gate's answer, with what the stream guard needs to meter a stream against the hold (price null: nothing held). */
    record Admission(GateDecision decision, PriceEntry price, long inputTokensBound) {
        GateReservation hold() {
            return decision.reservation();
        }
    }

    /**
     * Reserves the call's worst case if that needs no wait for the enforcer; null when it would (then call
     * {@link #admit} off the event loop). Never blocks.
     *
     * @throws UnpricedModelException no price for the model and a leased budget governs the call
     */
    Admission tryAdmit(GateCall call, ProviderRoute route, CallShape shape, Instant now) {
        return admit(call, route, shape, now, false);
    }

    /**
     * Reserves the call's worst case; may wait up to the gate's lease wait for the enforcer.
     *
     * @throws UnpricedModelException no price for the model and a leased budget governs the call
     */
    Admission admit(GateCall call, ProviderRoute route, CallShape shape, Instant now) {
        return admit(call, route, shape, now, true);
    }

    private Admission admit(GateCall call, ProviderRoute route, CallShape shape, Instant now, boolean mayWait) {
        final Optional<PriceEntry> entry = catalog.get().find(route.provider(), shape.model(), now);
        if (entry.isEmpty()) {
            if (gate.leaseGoverns(call.featureId(), call.tenantId())) {
                throw new UnpricedModelException(route.provider(), shape.model());
            }
            return new Admission(GateDecision.ALLOW, null, shape.inputTokensBound());
        }
        final PriceEntry price = entry.get();
        final BigDecimal worst = UsagePricer.worstCase(price, shape.inputTokensBound(), shape.maxOutputTokens());
        while (true) {
            final GateDecision d = mayWait ? gate.reserve(call, worst) : gate.tryReserve(call, worst);
            if (d == null) {
                return null;
            }
            if (!d.allowed() || d.reservation() == null || join(d.reservation())) {
                return new Admission(d, price, shape.inputTokensBound());
            }
            // the root's hold was committed between the gate handing it out and this call joining it: the gate has
            // dropped it, so asking again gives this call a hold of its own
        }
    }

    /** Counts one more call on {@code hold}; false when the hold is already settled. */
    private boolean join(GateReservation hold) {
        synchronized (open) {
            if (hold.settled()) {
                return false;
            }
            open.computeIfAbsent(hold.reservationId(), k -> new Shared(hold)).running++;
            return true;
        }
    }

    /** The call ended before costing anything (refused upstream before dispatch): it no longer draws on its hold. */
    void release(GateReservation hold) {
        if (hold != null) {
            leave(hold.reservationId(), null);
        }
    }

    /** Settles the call an emitted usage event closes (the agent's emitted-event hook) with its exact cost. */
    void settle(UsageEvent event) {
        final String id = event.getReservationId();
        if (id == null) {
            return;
        }
        synchronized (open) {
            if (!open.containsKey(id)) {
                // not a proxy hold, or a retry of a call already settled
                return;
            }
        }
        leave(id, UsagePricer.price(event, catalog.get(), Instant.now()).getTotalCostUsd());
    }

    /**
     * One call of a hold is over, having cost {@code cost} (null: released before it cost anything). The last one
     * commits the summed cost of all of them, or releases the hold when none cost anything.
     */
    private void leave(String reservationId, BigDecimal cost) {
        synchronized (open) {
            final Shared s = open.get(reservationId);
            if (s == null) {
                return;
            }
            if (cost != null) {
                s.costed = true;
                s.cost = s.cost.add(cost);
            }
            if (--s.running > 0) {
                return;
            }
            open.remove(reservationId);
            // under the lock: a call joining this hold sees it settled and asks the gate for a new one
            if (s.costed) {
                gate.commit(s.hold, s.cost);
            } else {
                gate.release(s.hold);
            }
        }
    }

    /** Holds with calls still running. */
    int openHolds() {
        synchronized (open) {
            return open.size();
        }
    }
}
