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

import dev.tokenledger.avro.SpendWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Where an instant falls in each {@link SpendWindow}, in one time zone.
 *
 * <ul>
 *   <li>MINUTE and HOUR: tumbling, aligned to the epoch (so identical in every zone whose offset is
 *       a whole number of hours).</li>
 *   <li>DAY and MONTH: calendar day / calendar month in the configured zone; a DST day is 23 or 25 h
 *       long, a month 28 to 31 days.</li>
 *   <li>ROLLING_24H: hopping windows of 24 h advancing by 1 h; the hop that ends with the hour holding
 *       the reference instant, i.e. [hour - 23 h, hour + 1 h).</li>
 *   <li>ROLLING_30D: hopping windows of 30 calendar days advancing by 1 day; the hop that ends with the
 *       day holding the reference instant, i.e. [day - 29 days, day + 1 day).</li>
 * </ul>
 * Only the newest hop of a rolling window is maintained: it is recomputed from the HOUR (or DAY)
 * windows whenever the dimension value changes, so one event costs one rolling update, not 24 or 30.
 */
public final class SpendWindows {
    private static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    private final ZoneId zone;

    public SpendWindows(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    /** Start (inclusive) of the window of the given kind holding {@code epochMs}. */
    public long start(SpendWindow window, long epochMs) {
        switch (window) {
            case MINUTE:
                return Math.floorDiv(epochMs, MINUTE_MS) * MINUTE_MS;
            case HOUR:
                return hourStart(epochMs);
            case DAY:
                return dayStart(epochMs);
            case MONTH:
                return localDate(epochMs).withDayOfMonth(1).atStartOfDay(zone).toInstant().toEpochMilli();
            case ROLLING_24H:
                return hourStart(epochMs) - 23 * HOUR_MS;
            case ROLLING_30D:
                return localDate(epochMs).minusDays(29).atStartOfDay(zone).toInstant().toEpochMilli();
            default:
                throw new IllegalArgumentException("Unknown window " + window);
        }
    }

    /** End (exclusive) of the window of the given kind holding {@code epochMs}. */
    public long end(SpendWindow window, long epochMs) {
        switch (window) {
            case MINUTE:
                return start(window, epochMs) + MINUTE_MS;
            case HOUR:
            case ROLLING_24H:
                return hourStart(epochMs) + HOUR_MS;
            case DAY:
            case ROLLING_30D:
                return localDate(epochMs).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
            case MONTH:
                return localDate(epochMs).withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant().toEpochMilli();
            default:
                throw new IllegalArgumentException("Unknown window " + window);
        }
    }

    /** Longest span a window of this kind can cover (for store retention). */
    public static Duration maxSize(SpendWindow window) {
        switch (window) {
            case MINUTE:
                return Duration.ofMinutes(1);
            case HOUR:
                return Duration.ofHours(1);
            case DAY:
                return Duration.ofHours(25);
            case MONTH:
                return Duration.ofDays(31).plusHours(1);
            case ROLLING_24H:
                return Duration.ofHours(24);
            case ROLLING_30D:
                return Duration.ofDays(30).plusHours(2);
            default:
                throw new IllegalArgumentException("Unknown window " + window);
        }
    }

    private long hourStart(long epochMs) {
        return Math.floorDiv(epochMs, HOUR_MS) * HOUR_MS;
    }

    private long dayStart(long epochMs) {
        return localDate(epochMs).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private LocalDate localDate(long epochMs) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMs), zone).toLocalDate();
    }
}
