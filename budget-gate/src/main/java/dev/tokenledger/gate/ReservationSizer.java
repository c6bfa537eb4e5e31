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

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Worst case of a call, the amount {@link BudgetGate#reserve} holds: the input side at the model's
 * input rate plus {@code max_tokens} at its output rate ({@link UsagePricer#worstCase}), or, with
 * {@link #of(PriceCatalog, OutputTokenSizes)}, the feature's p99 output from the aggregator when it is
 * known and below {@code max_tokens}.
 */
@FunctionalInterface
public interface ReservationSizer {

    BigDecimal worstCase(String provider, String model, long inputSideTokens, long maxOutputTokens, Instant at);

    /** The worst case of a call of {@code featureId}; without output statistics the same as the feature-less form. */
    default BigDecimal worstCase(String featureId, String provider, String model, long inputSideTokens, long maxOutputTokens,
                                 Instant at) {
        return worstCase(provider, model, inputSideTokens, maxOutputTokens, at);
    }

    /** Sizes from a price catalog and, where the aggregator knows it, the feature's p99 output (never above max_tokens). */
    static ReservationSizer of(PriceCatalog catalog, OutputTokenSizes sizes) {
        final ReservationSizer byMaxTokens = of(catalog);
        return new ReservationSizer() {
            @Override
            public BigDecimal worstCase(String provider, String model, long inputSideTokens, long maxOutputTokens, Instant at) {
                return byMaxTokens.worstCase(provider, model, inputSideTokens, maxOutputTokens, at);
            }

            @Override
            public BigDecimal worstCase(String featureId, String provider, String model, long inputSideTokens,
                                        long maxOutputTokens, Instant at) {
                final java.util.OptionalLong p99 = sizes.p99(featureId);
                final long output = p99.isPresent() ? Math.min(p99.getAsLong(), maxOutputTokens) : maxOutputTokens;
                return byMaxTokens.worstCase(provider, model, inputSideTokens, output, at);
            }
        };
    }

    /** Sizes from a price catalog; an unknown model is an error naming it (a hold of $0 would defeat the gate). */
    static ReservationSizer of(PriceCatalog catalog) {
        return (provider, model, input, maxOutput, at) -> {
            final Optional<PriceEntry> entry = catalog.find(provider, model, at);
            return UsagePricer.worstCase(entry.orElseThrow(() -> new IllegalArgumentException(
                    "No price for provider '" + provider + "' model '" + model + "' at " + at
                            + ": cannot size the reservation; add the model to the price catalog")), input, maxOutput);
        };
    }
}
