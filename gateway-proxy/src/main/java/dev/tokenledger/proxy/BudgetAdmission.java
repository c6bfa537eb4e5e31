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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Does this call fit the budget? Sizes a proxied call's worst case (its input bound and output cap at the
 * model's rates, {@link UsagePricer#worstCase}), asks the lease-based {@link BudgetGate} for a hold under the
 * call's root request, and settles the hold with the exact cost of the usage event the call emits
 * ({@link #settle}): the unused part goes back to the leases. A model the catalog cannot price is refused
 * (a $0 hold would let the call past every budget).
 */
final class BudgetAdmission {
    private final BudgetGate gate;
    private final PriceCatalog catalog;
    private final Map<String, GateReservation> open = new ConcurrentHashMap<>();

    BudgetAdmission(BudgetGate gate, PriceCatalog catalog) {
        this.gate = gate;
        this.catalog = catalog;
    }

    /** A model without a price: the call cannot be sized. */
    static final class UnpricedModelException extends IllegalArgumentException {
        UnpricedModelException(String provider, String model) {
            super("No price for provider '" + provider + "' model '" + model + "': the proxy cannot size the call's budget hold. "
                    + "Add the model to the price catalog (tokenledger prices load FILE) or ask for a priced model.");
        }
    }

    /** The gate's answer, with what the stream guard needs to meter a stream against the hold. */
    record Admission(GateDecision decision, PriceEntry price, long inputTokensBound) {
        GateReservation hold() {
            return decision.reservation();
        }
    }

    /** The price entry of the call, or an {@link UnpricedModelException}. */
    PriceEntry price(ProviderRoute route, String model, Instant at) {
        final Optional<PriceEntry> entry = catalog.find(route.provider(), model, at);
        return entry.orElseThrow(() -> new UnpricedModelException(route.provider(), model));
    }

    /** The call's worst case: its input bound and output cap at the model's rates. */
    BigDecimal worstCase(ProviderRoute route, CallShape shape, Instant now) {
        return UsagePricer.worstCase(price(route, shape.model(), now), shape.inputTokensBound(), shape.maxOutputTokens());
    }

    /** True when {@link #admit} will not wait for the enforcer (the gate's leases cover the call, or no budget governs it). */
    boolean answersAtOnce(GateCall call, BigDecimal worstCase) {
        return gate.answersAtOnce(call.featureId(), call.tenantId(), worstCase);
    }

    /**
     * Reserves the call's worst case. May wait up to the gate's lease wait unless {@link #answersAtOnce} said
     * otherwise: then call it off the event loop.
     */
    Admission admit(GateCall call, ProviderRoute route, CallShape shape, Instant now) {
        final PriceEntry price = price(route, shape.model(), now);
        final BigDecimal worst = UsagePricer.worstCase(price, shape.inputTokensBound(), shape.maxOutputTokens());
        final GateDecision d = gate.reserve(call, worst);
        if (d.allowed() && d.reservation() != null) {
            open.put(d.reservation().reservationId(), d.reservation());
        }
        return new Admission(d, price, shape.inputTokensBound());
    }

    /** The call ended before costing anything (refused upstream before dispatch): the whole hold goes back. */
    void release(GateReservation hold) {
        if (hold != null && open.remove(hold.reservationId()) != null) {
            gate.release(hold);
        }
    }

    /** Settles the hold an emitted usage event draws from with its exact cost (the agent's emitted-event hook). */
    void settle(UsageEvent event) {
        final String id = event.getReservationId();
        final GateReservation hold = id == null ? null : open.remove(id);
        if (hold == null) {
            return;
        }
        gate.commit(hold, UsagePricer.price(event, catalog, Instant.now()).getTotalCostUsd());
    }

    int openHolds() {
        return open.size();
    }
}
