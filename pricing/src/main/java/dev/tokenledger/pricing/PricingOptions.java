package dev.tokenledger.pricing;

import dev.tokenledger.avro.UsageEvent;

/**
 * How a request was served, as far as price multipliers care.
 *
 * @param batch true when the call went through the provider's batch API
 * @param serviceTier service tier as the provider answered (standard, priority, flex, ...), or null
 * @param region inference region / geo as reported, or null
 */
public record PricingOptions(boolean batch, String serviceTier, String region) {

    /** Synchronous call, default tier, no region: list price. */
    public static final PricingOptions LIST = new PricingOptions(false, null, null);

    public static PricingOptions of(UsageEvent event) {
        return new PricingOptions(event.getBatch(),
                event.getServiceTier() == null ? null : event.getServiceTier().toString(),
                event.getRegion() == null ? null : event.getRegion().toString());
    }

    public PricingOptions withBatch(boolean b) {
        return new PricingOptions(b, serviceTier, region);
    }

    public PricingOptions withServiceTier(String tier) {
        return new PricingOptions(batch, tier, region);
    }

    public PricingOptions withRegion(String r) {
        return new PricingOptions(batch, serviceTier, r);
    }
}
