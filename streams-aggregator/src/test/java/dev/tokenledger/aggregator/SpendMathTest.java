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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpendMathTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    static CostedUsage costed(Random r, int i) {
        long in = r.nextInt(100_000);
        long out = r.nextInt(10_000);
        long cw5 = r.nextInt(5_000);
        long cw1 = r.nextInt(5_000);
        long cr = r.nextInt(50_000);
        long audio = r.nextInt(3) == 0 ? r.nextInt(1000) : 0;
        UsageKind kind = UsageKind.values()[r.nextInt(3)];
        boolean unpriced = r.nextInt(10) == 0;
        UsageEvent e = UsageEvent.newBuilder().setEventId("e" + i).setKind(kind).setOccurredAt(NOW)
                .setFeatureId("f").setRequestId("r" + i).setProvider("anthropic").setModel("m")
                .setInputTokens(in).setOutputTokens(out).setReasoningTokens(out / 3).setCacheWrite5mTokens(cw5)
                .setCacheWrite1hTokens(cw1).setCacheReadTokens(cr)
                .setOtherTokens(audio > 0 ? Map.of("audio_input", audio) : Map.of()).build();
        BigDecimal rate = unpriced ? BigDecimal.ZERO : new BigDecimal("3.000000");
        BigDecimal ci = Money.costOf(in, rate);
        BigDecimal co = Money.costOf(out, rate.multiply(BigDecimal.valueOf(5)));
        BigDecimal c5 = Money.costOf(cw5, rate.multiply(new BigDecimal("1.25")));
        BigDecimal c1 = Money.costOf(cw1, rate.multiply(BigDecimal.valueOf(2)));
        BigDecimal crd = Money.costOf(cr, rate.multiply(new BigDecimal("0.1")));
        BigDecimal cother = Money.costOf(audio, rate.multiply(new BigDecimal("7.123457")));
        return CostedUsage.newBuilder().setEvent(e)
                .setPricingStatus(unpriced ? PricingStatus.UNPRICED : PricingStatus.PRICED)
                .setCostInputUsd(ci).setCostOutputUsd(co).setCostCacheWrite5mUsd(c5).setCostCacheWrite1hUsd(c1)
                .setCostCacheReadUsd(crd).setCostOtherUsd(cother)
                .setTotalCostUsd(Money.toScale(ci.add(co).add(c5).add(c1).add(crd).add(cother)))
                .setCacheSavingsUsd(Money.toScale(Money.costOf(cr, rate).subtract(crd)))
                .setMultiplier(Money.ONE).setPricedAt(NOW).build();
    }

    private static SpendAggregate empty() {
        return SpendMath.empty(SpendDimension.FEATURE, "f", SpendWindow.DAY, 0, 86_400_000, "UTC");
    }

    private static SpendAggregate fold(List<CostedUsage> events) {
        SpendAggregate a = empty();
        for (CostedUsage c : events) {
            a = SpendMath.add(a, c, NOW);
        }
        return a;
    }

    @Test
    void mergeIsAssociativeAndMatchesFoldingEveryEvent() {
        Random r = new Random(42);
        List<CostedUsage> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(costed(r, i));
        }
        SpendAggregate a = fold(events.subList(0, 100));
        SpendAggregate b = fold(events.subList(100, 170));
        SpendAggregate c = fold(events.subList(170, 300));

        SpendAggregate left = SpendMath.merge(SpendMath.merge(a, b), c);
        SpendAggregate right = SpendMath.merge(a, SpendMath.merge(b, c));
        SpendAggregate swapped = SpendMath.merge(c, SpendMath.merge(b, a));
        SpendAggregate all = fold(events);

        assertThat(left).isEqualTo(right).isEqualTo(swapped).isEqualTo(all);
        assertThat(SpendMath.merge(all, empty())).isEqualTo(all);
        assertThat(all.getRequestCount()).isEqualTo(300);
    }

    @Test
    void cacheWritesOfOtherRetentionsAreKeptAsOtherClassesSoClassCostsStillAddUpToTheTotal() {
        // GPT-6.2 Sol-like rates: input $2, output $10, 30m write $2.50, 12h write $5 per MTok
        // 20,000 x 2 = 0.04; 2,000 x 10 = 0.02; 100,000 x 2.5 = 0.25; 40,000 x 5 = 0.20; total 0.51
        final UsageEvent e = UsageEvent.newBuilder().setEventId("w1").setKind(UsageKind.COMPLETED).setOccurredAt(NOW)
                .setFeatureId("f").setRequestId("rw1").setProvider("openai").setModel("gpt-6.2-sol")
                .setInputTokens(20_000).setOutputTokens(2_000).setCacheWriteTokens(Map.of("30m", 100_000L, "12h", 40_000L))
                .build();
        final CostedUsage c = CostedUsage.newBuilder().setEvent(e).setPricingStatus(PricingStatus.PRICED)
                .setCostInputUsd(new BigDecimal("0.04")).setCostOutputUsd(new BigDecimal("0.02"))
                .setCostCacheWrite5mUsd(BigDecimal.ZERO).setCostCacheWrite1hUsd(BigDecimal.ZERO).setCostCacheReadUsd(BigDecimal.ZERO)
                .setCostOtherUsd(BigDecimal.ZERO).setCostCacheWriteOtherUsd(new BigDecimal("0.45"))
                .setCacheWriteCosts(Map.of("30m", new BigDecimal("0.25"), "12h", new BigDecimal("0.20")))
                .setTotalCostUsd(new BigDecimal("0.51")).setCacheSavingsUsd(BigDecimal.ZERO)
                .setMultiplier(Money.ONE).setPricedAt(NOW).build();
        final SpendAggregate a = SpendMath.add(SpendMath.add(empty(), c, NOW), c, NOW);

        assertThat(a.getTotalCostUsd()).isEqualByComparingTo("1.02");
        assertThat(SpendMath.classCostSum(a)).isEqualByComparingTo("1.02");
        assertThat(a.getCostOtherUsd()).isEqualByComparingTo("0.90");
        assertThat(a.getOtherTokens()).containsEntry("cache_write_30m", 200_000L).containsEntry("cache_write_12h", 80_000L);
    }

    @Test
    void perClassCostsAddUpToTheTotalAndCountersFollowTheKinds() {
        Random r = new Random(7);
        List<CostedUsage> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(costed(r, i));
        }
        SpendAggregate all = fold(events);

        assertThat(SpendMath.classCostSum(all)).isEqualByComparingTo(all.getTotalCostUsd());
        assertThat(all.getTotalCostUsd().scale()).isEqualTo(Money.SCALE);
        BigDecimal independent = events.stream().map(CostedUsage::getTotalCostUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(all.getTotalCostUsd()).isEqualByComparingTo(independent);
        assertThat(all.getInputTokens()).isEqualTo(events.stream().mapToLong(c -> c.getEvent().getInputTokens()).sum());
        assertThat(all.getOtherTokens().getOrDefault("audio_input", 0L))
                .isEqualTo(events.stream().mapToLong(c -> c.getEvent().getOtherTokens().getOrDefault("audio_input", 0L)).sum());
        assertThat(all.getErrorCount()).isEqualTo(events.stream().filter(c -> c.getEvent().getKind() == UsageKind.FAILED).count());
        assertThat(all.getStreamTerminatedCount())
                .isEqualTo(events.stream().filter(c -> c.getEvent().getKind() == UsageKind.STREAM_TERMINATED).count());
        assertThat(all.getUnpricedCount())
                .isEqualTo(events.stream().filter(c -> c.getPricingStatus() == PricingStatus.UNPRICED).count());
    }
}
