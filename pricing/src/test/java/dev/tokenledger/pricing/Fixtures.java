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

import dev.tokenledger.avro.NamedMultiplier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Small builders shared by the pricing tests. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    private Fixtures() {
    }

    static PriceEntry.Builder entry(String provider, String model, String from, String input, String output) {
        return PriceEntry.newBuilder()
                .setEntryId(provider + "/" + model + "@" + from)
                .setProvider(provider)
                .setModel(model)
                .setEffectiveFrom(Instant.parse(from + "T00:00:00Z"))
                .setInputPerMtok(new BigDecimal(input))
                .setOutputPerMtok(new BigDecimal(output))
                .setSourceUrl("https://example.test/pricing")
                .setSourceReadOn(LocalDate.parse("2026-11-23"));
    }

    static NamedMultiplier named(String name, String multiplier) {
        return NamedMultiplier.newBuilder().setName(name).setMultiplier(new BigDecimal(multiplier)).build();
    }

    static TokenCounts counts(long input, long output, long reasoning, long cw5m, long cw1h, long cacheRead) {
        return new TokenCounts(input, output, reasoning, cw5m, cw1h, cacheRead, Map.of());
    }

    static UsageEvent.Builder event(String provider, String model, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId("evt-" + model + "-" + at.toEpochMilli())
                .setKind(UsageKind.COMPLETED)
                .setOccurredAt(at)
                .setFeatureId("summarize")
                .setRequestId("req-1")
                .setProvider(provider)
                .setModel(model)
                .setOtherTokens(Map.of())
                .setTags(Map.of());
    }

    static List<PriceEntry> list(PriceEntry... e) {
        return List.of(e);
    }
}
