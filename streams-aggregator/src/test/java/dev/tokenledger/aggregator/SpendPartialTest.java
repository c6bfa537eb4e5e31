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

import static dev.tokenledger.aggregator.AggregatorFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendPartialTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:15:00Z");

    private static CostedUsage costed(UsageEvent e, String each) {
        BigDecimal v = new BigDecimal(each);
        return CostedUsage.newBuilder().setEvent(e).setPricingStatus(PricingStatus.PRICED)
                .setCostInputUsd(v).setCostOutputUsd(v).setCostCacheWrite5mUsd(v).setCostCacheWrite1hUsd(v)
                .setCostCacheReadUsd(v).setCostOtherUsd(v).setCostCacheWriteOtherUsd(Money.ZERO)
                .setTotalCostUsd(v.multiply(BigDecimal.valueOf(6))).setCacheSavingsUsd(v).setOtherCosts(List.of())
                .setMultiplier(BigDecimal.ONE).setPricedAt(T0).build();
    }

    /** The same events folded the old way: one immutable SpendAggregate per add, BigDecimal all through. */
    private static SpendAggregate reference(List<CostedUsage> events) {
        SpendAggregate agg = SpendPartialProcessor.emptyMinute("UTC", SpendDimension.FEATURE, "f", 0);
        for (CostedUsage c : events) {
            agg = SpendMath.add(agg, c, Instant.ofEpochMilli(5));
        }
        return agg;
    }

    @Test
    void sumsPastTheLongRangeStayExactAndEqualTheDecimalSum() {
        UsageEvent e = event("e1", "f", "t", T0).setOtherTokens(Map.of("audio_input", 7L)).build();
        // 4.6 million USD per class per event: the second event leaves the range of a long of 10^-12 USD (9.2 million):
        // 2 x 4611686.018427387904 + 0.000000000001 - 3.5 = 9223368.536854775809.
        List<CostedUsage> events = List.of(costed(e, "4611686.018427387904"), costed(e, "4611686.018427387904"),
                costed(e, "0.000000000001"), costed(e, "-3.5"));
        SpendPartial p = new SpendPartial(SpendDimension.FEATURE, "f", 0);
        for (CostedUsage c : events) {
            p.add(c, SpendPartial.Amounts.of(c), SpendMath.otherClasses(c.getEvent()), 5);
        }
        SpendAggregate want = reference(events);
        SpendAggregate got = p.toAggregate("UTC");
        assertThat(got.getCostInputUsd()).isEqualByComparingTo("9223368.536854775809").isEqualTo(want.getCostInputUsd());
        assertThat(got.getTotalCostUsd()).isEqualTo(want.getTotalCostUsd());
        assertThat(got.getCacheSavingsUsd()).isEqualTo(want.getCacheSavingsUsd());
        assertThat(got.getOtherTokens()).isEqualTo(Map.of("audio_input", 28L));
        assertThat(got.getRequestCount()).isEqualTo(4);
        assertThat(SpendMath.classCostSum(got)).isEqualByComparingTo(got.getTotalCostUsd());

        SpendPartial back = SpendPartial.serde().deserializer().deserialize("t", SpendPartial.serde().serializer().serialize("t", p));
        assertThat(back.toAggregate("UTC")).isEqualTo(got);
    }

    @Test
    void anEventPricedAtMoreThanTheLongRangeIsKeptAsADecimal() {
        UsageEvent e = event("e1", "f", "t", T0).build();
        List<CostedUsage> events = List.of(costed(e, "0.5"), costed(e, "123456789012.000000000001"), costed(e, "0.25"));
        SpendPartial p = new SpendPartial(SpendDimension.FEATURE, "f", 0);
        for (CostedUsage c : events) {
            p.add(c, SpendPartial.Amounts.of(c), SpendMath.otherClasses(c.getEvent()), 5);
        }
        assertThat(p.amount(SpendPartial.OUTPUT)).isEqualByComparingTo("123456789012.750000000001");
        assertThat(p.toAggregate("UTC").getTotalCostUsd()).isEqualTo(reference(events).getTotalCostUsd());
    }
}
