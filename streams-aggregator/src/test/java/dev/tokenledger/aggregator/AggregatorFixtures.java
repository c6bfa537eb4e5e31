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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import java.time.Instant;
import java.time.LocalDate;

/** Events and price entries for the aggregator tests. */
final class AggregatorFixtures {
    static final String PROVIDER = "anthropic";
    static final String MODEL = "claude-sonnet-4-5";

    private AggregatorFixtures() {
    }

    /** A plain entry: no tier, no multipliers; cache rates given explicitly. */
    static PriceEntry price(String entryId, String model, Instant from, Instant to, String input, String output,
                            String cacheWrite5m, String cacheWrite1h, String cacheRead) {
        return PriceEntry.newBuilder()
                .setEntryId(entryId).setProvider(PROVIDER).setModel(model)
                .setEffectiveFrom(from).setEffectiveTo(to)
                .setInputPerMtok(Money.of(input)).setOutputPerMtok(Money.of(output))
                .setCacheWrite5mPerMtok(Money.of(cacheWrite5m)).setCacheWrite1hPerMtok(Money.of(cacheWrite1h))
                .setCacheReadPerMtok(Money.of(cacheRead))
                .setSourceUrl("https://example.test/pricing").setSourceReadOn(LocalDate.of(2026, 11, 1))
                .build();
    }

    static UsageEvent.Builder event(String id, String feature, String tenant, Instant at) {
        return UsageEvent.newBuilder().setEventId(id).setKind(UsageKind.COMPLETED).setOccurredAt(at)
                .setFeatureId(feature).setTenantId(tenant).setUserId("u-" + tenant).setPlanTier("pro")
                .setRequestId("req-" + id).setRootRequestId("root-" + id)
                .setProvider(PROVIDER).setModel(MODEL)
                .setInputTokens(1000).setOutputTokens(200);
    }
}
