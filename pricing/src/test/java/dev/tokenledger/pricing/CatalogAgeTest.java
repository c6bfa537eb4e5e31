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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PriceEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogAgeTest {

    private static final String KEY = "pricing.catalog.max.age.days";

    private static final PriceCatalog CATALOG = PriceCatalog.of(List.of(entry("a", "2026-08-01"), entry("b", "2026-09-06"),
            entry("c", "2026-03-01")));

    private static PriceEntry entry(String model, String readOn) {
        return PriceEntry.newBuilder()
                .setEntryId("openai/" + model)
                .setProvider("openai")
                .setModel(model)
                .setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z"))
                .setInputPerMtok(BigDecimal.ONE)
                .setOutputPerMtok(BigDecimal.TEN)
                .setSourceUrl("https://example.test/pricing")
                .setSourceReadOn(LocalDate.parse(readOn))
                .build();
    }

    @Test
    void ageIsCountedFromTheNewestSourceReadOn() {
        // newest is 2026-09-06; to 2026-12-05: 24 (rest of Sept) + 31 (Oct) + 30 (Nov) + 5 = 90 days
        final CatalogAge age = CatalogAge.of(CATALOG, LocalDate.parse("2026-12-05")).orElseThrow();
        assertThat(age.newestSourceReadOn()).isEqualTo(LocalDate.parse("2026-09-06"));
        assertThat(age.days()).isEqualTo(90);
        assertThat(age.olderThan(90)).isFalse();
        assertThat(age.olderThan(89)).isTrue();
    }

    @Test
    void warnsOnlyPastTheLimitAndSaysHowToRefresh() {
        // 90 days old on 2026-12-05: at the limit, no warning; on 2026-12-06 it is 91 days old
        assertThat(CatalogAge.warning(CATALOG, LocalDate.parse("2026-12-05"), 90, KEY)).isEmpty();
        assertThat(CatalogAge.warning(CATALOG, LocalDate.parse("2026-12-06"), 90, KEY)).hasValueSatisfying(w -> assertThat(w)
                .contains("91 days old").contains("2026-09-06").contains(KEY + "=90")
                .contains("tokenledger prices check --litellm").contains("tokenledger prices load"));
    }

    @Test
    void zeroTurnsTheCheckOffAndAnEmptyCatalogHasNoAge() {
        assertThat(CatalogAge.warning(CATALOG, LocalDate.parse("2030-01-01"), 0, KEY)).isEmpty();
        assertThat(CatalogAge.of(PriceCatalog.empty(), LocalDate.parse("2026-12-05"))).isEmpty();
        assertThat(CatalogAge.warning(PriceCatalog.empty(), LocalDate.parse("2026-12-05"), 1, KEY)).isEmpty();
    }
}
