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
