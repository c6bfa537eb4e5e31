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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Which totals a re-pricing still moves, as of 2026-12-05T12:30Z with the aggregator's default 72 h grace. The README's
 * example (re-pricing November) moves only the warehouse: no budget period of November is current, and even
 * November's MONTH window, which ended Dec 1 00:00, closed at the end of its grace (Dec 4 00:00).
 */
class RepriceReachTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:30:00Z");
    private static final BigDecimal ONE = new BigDecimal("1.00");

    private final RepriceReach reach = new RepriceReach(NOW, Duration.ofHours(72), ZoneOffset.UTC);

    @Test
    void anEventOfThisHourMovesEveryTotal() {
        reach.add(Instant.parse("2026-12-05T12:10:00Z"), ONE);
        for (ChronoUnit unit : RepriceReach.UNITS) {
            assertThat(reach.windowClosed().get(unit).adjustments()).as(unit + " window").isZero();
            assertThat(reach.periodOver().get(unit).adjustments()).as(unit + " period").isZero();
        }
    }

    @Test
    void anEventOfLastMonthMovesOnlyTheWarehouse() {
        reach.add(Instant.parse("2026-11-15T10:00:00Z"), ONE);
        reach.add(Instant.parse("2026-11-30T23:59:00Z"), new BigDecimal("-0.25"));
        for (ChronoUnit unit : RepriceReach.UNITS) {
            assertThat(reach.windowClosed().get(unit)).as(unit + " window").isEqualTo(new RepriceReach.Tally(2, new BigDecimal("0.750000000000")));
            assertThat(reach.periodOver().get(unit).adjustments()).as(unit + " period").isEqualTo(2);
        }
    }

    @Test
    void withinGraceTheWindowStillMovesThoughThePeriodIsOver() {
        // Dec 3 10:00: its HOUR window ended Dec 3 11:00, open until Dec 6 11:00; its DAY until Dec 7 00:00.
        reach.add(Instant.parse("2026-12-03T10:00:00Z"), ONE);
        assertThat(reach.windowClosed().get(ChronoUnit.HOURS).adjustments()).isZero();
        assertThat(reach.windowClosed().get(ChronoUnit.DAYS).adjustments()).isZero();
        assertThat(reach.periodOver().get(ChronoUnit.HOURS).adjustments()).isEqualTo(1);
        assertThat(reach.periodOver().get(ChronoUnit.DAYS).adjustments()).isEqualTo(1);
        assertThat(reach.periodOver().get(ChronoUnit.MONTHS).adjustments()).as("December is current").isZero();

        // Dec 1 08:00: its HOUR window closed Dec 4 09:00, its DAY window (ends Dec 2 00:00) closed Dec 5 00:00.
        reach.add(Instant.parse("2026-12-01T08:00:00Z"), ONE);
        assertThat(reach.windowClosed().get(ChronoUnit.HOURS).adjustments()).isEqualTo(1);
        assertThat(reach.windowClosed().get(ChronoUnit.DAYS).adjustments()).isEqualTo(1);
        assertThat(reach.windowClosed().get(ChronoUnit.MONTHS).adjustments()).isZero();
    }

    @Test
    void periodsFollowTheZone() {
        // 2026-11-30T20:00Z is already December 1 in Tokyo: its MONTH is Tokyo's current one.
        final RepriceReach tokyo = new RepriceReach(NOW, Duration.ofHours(72), ZoneId.of("Asia/Tokyo"));
        tokyo.add(Instant.parse("2026-11-30T20:00:00Z"), ONE);
        assertThat(tokyo.periodOver().get(ChronoUnit.MONTHS).adjustments()).isZero();
        reach.add(Instant.parse("2026-11-30T20:00:00Z"), ONE);
        assertThat(reach.periodOver().get(ChronoUnit.MONTHS).adjustments()).isEqualTo(1);
    }
}
