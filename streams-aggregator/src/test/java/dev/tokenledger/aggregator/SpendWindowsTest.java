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

import dev.tokenledger.avro.SpendWindow;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SpendWindowsTest {
    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void lastMillisecondOfADayAndTheFirstOfTheNextAreDifferentDays() {
        SpendWindows utc = new SpendWindows(ZoneId.of("UTC"));
        assertThat(utc.start(SpendWindow.DAY, ms("2026-11-22T23:59:59.999Z"))).isEqualTo(ms("2026-11-22T00:00:00Z"));
        assertThat(utc.end(SpendWindow.DAY, ms("2026-11-22T23:59:59.999Z"))).isEqualTo(ms("2026-11-23T00:00:00Z"));
        assertThat(utc.start(SpendWindow.DAY, ms("2026-11-23T00:00:00Z"))).isEqualTo(ms("2026-11-23T00:00:00Z"));
        assertThat(utc.start(SpendWindow.MINUTE, ms("2026-11-23T10:15:59.999Z"))).isEqualTo(ms("2026-11-23T10:15:00Z"));
        assertThat(utc.start(SpendWindow.HOUR, ms("2026-11-23T10:59:59.999Z"))).isEqualTo(ms("2026-11-23T10:00:00Z"));
    }

    @Test
    void calendarMonthFollowsTheConfiguredZone() {
        SpendWindows paris = new SpendWindows(ZoneId.of("Europe/Paris"));
        // 23:59:59.999 on 30 November in Paris is still November; one millisecond later is December
        long lastOfNov = ms("2026-11-30T22:59:59.999Z");
        long firstOfDec = ms("2026-11-30T23:00:00Z");
        assertThat(paris.start(SpendWindow.MONTH, lastOfNov)).isEqualTo(ms("2026-10-31T23:00:00Z"));
        assertThat(paris.end(SpendWindow.MONTH, lastOfNov)).isEqualTo(firstOfDec);
        assertThat(paris.start(SpendWindow.MONTH, firstOfDec)).isEqualTo(firstOfDec);
        assertThat(paris.end(SpendWindow.MONTH, firstOfDec)).isEqualTo(ms("2026-12-31T23:00:00Z"));
        // in UTC both instants are still November
        SpendWindows utc = new SpendWindows(ZoneId.of("UTC"));
        assertThat(utc.start(SpendWindow.MONTH, firstOfDec)).isEqualTo(ms("2026-11-01T00:00:00Z"));
    }

    @Test
    void daylightSavingDaysAreTwentyThreeOrTwentyFiveHoursLong() {
        SpendWindows ny = new SpendWindows(ZoneId.of("America/New_York"));
        long springDay = ms("2026-03-08T12:00:00Z");
        assertThat(ny.end(SpendWindow.DAY, springDay) - ny.start(SpendWindow.DAY, springDay)).isEqualTo(23 * 3_600_000L);
        long fallDay = ms("2026-11-01T12:00:00Z");
        assertThat(ny.end(SpendWindow.DAY, fallDay) - ny.start(SpendWindow.DAY, fallDay)).isEqualTo(25 * 3_600_000L);
    }

    @Test
    void rollingWindowsEndWithTheHourOrDayOfTheReference() {
        SpendWindows utc = new SpendWindows(ZoneId.of("UTC"));
        long ref = ms("2026-11-23T10:20:00Z");
        assertThat(utc.start(SpendWindow.ROLLING_24H, ref)).isEqualTo(ms("2026-11-22T11:00:00Z"));
        assertThat(utc.end(SpendWindow.ROLLING_24H, ref)).isEqualTo(ms("2026-11-23T11:00:00Z"));
        assertThat(utc.start(SpendWindow.ROLLING_30D, ref)).isEqualTo(ms("2026-10-25T00:00:00Z"));
        assertThat(utc.end(SpendWindow.ROLLING_30D, ref)).isEqualTo(ms("2026-11-24T00:00:00Z"));
    }
}
