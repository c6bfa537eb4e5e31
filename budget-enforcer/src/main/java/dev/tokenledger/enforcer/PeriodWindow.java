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
package dev.tokenledger.enforcer;

import dev.tokenledger.avro.BudgetPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * One budget period [start, end) computed in the budget's zone: an hour, a calendar day or a
 * calendar month of local time (so a MONTH budget in {@code America/New_York} resets at local
 * midnight on the 1st, and a DST day is 23 or 25 hours long).
 */
public record PeriodWindow(Instant start, Instant end) {

    public static PeriodWindow of(BudgetPeriod period, ZoneId zone, Instant at) {
        final ZonedDateTime local = at.atZone(zone);
        switch (period) {
            case HOUR: {
                final ZonedDateTime start = local.truncatedTo(ChronoUnit.HOURS);
                return new PeriodWindow(start.toInstant(), start.plusHours(1).toInstant());
            }
            case DAY:
                return day(zone, at);
            case MONTH: {
                final LocalDate first = local.toLocalDate().withDayOfMonth(1);
                return new PeriodWindow(first.atStartOfDay(zone).toInstant(), first.plusMonths(1).atStartOfDay(zone).toInstant());
            }
            default:
                throw new IllegalArgumentException("Unknown budget period " + period);
        }
    }

    /** The local calendar day containing {@code at}. */
    public static PeriodWindow day(ZoneId zone, Instant at) {
        final LocalDate date = at.atZone(zone).toLocalDate();
        return new PeriodWindow(date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    public long startMs() {
        return start.toEpochMilli();
    }

    public long endMs() {
        return end.toEpochMilli();
    }
}
