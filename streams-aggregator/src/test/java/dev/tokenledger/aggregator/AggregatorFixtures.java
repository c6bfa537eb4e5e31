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
