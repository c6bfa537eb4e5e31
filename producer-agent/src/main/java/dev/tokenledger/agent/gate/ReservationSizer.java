package dev.tokenledger.agent.gate;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Worst case of a call, the amount {@link BudgetGate#reserve} holds: the input side at the model's
 * input rate plus {@code max_tokens} at its output rate ({@link UsagePricer#worstCase}), or a
 * caller-supplied output size (e.g. the feature's p99 from {@code tokenledger.output-stats.v1}).
 */
@FunctionalInterface
public interface ReservationSizer {

    BigDecimal worstCase(String provider, String model, long inputSideTokens, long maxOutputTokens, Instant at);

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
