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

import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * "Which running totals will a re-pricing still move?" The warehouse takes every adjustment, but the aggregator adds a
 * delta only to the windows of occurred_at still open (a window closes {@code window.grace.ms} after its end and is
 * never reopened), and the enforcer only to a budget's current period (a past period is over). Counts, as of the run's
 * start, the adjustments (and their delta) whose HOUR, DAY and MONTH window has closed and whose HOUR, DAY and MONTH
 * budget period is over, with windows and periods aligned to one zone (the aggregator's {@code time.zone}, the budgets'
 * {@code time_zone}).
 */
public final class RepriceReach {
    /** The window and period lengths both the aggregator and the budgets have. */
    public static final List<ChronoUnit> UNITS = List.of(ChronoUnit.HOURS, ChronoUnit.DAYS, ChronoUnit.MONTHS);

    /** How many adjustments, and their summed delta. */
    public record Tally(long adjustments, BigDecimal deltaUsd) {
        static final Tally NONE = new Tally(0, Money.ZERO);

        Tally plus(BigDecimal delta) {
            return new Tally(adjustments + 1, Money.toScale(deltaUsd.add(delta)));
        }
    }

    private final Instant now;
    private final Duration grace;
    private final ZoneId zone;
    private final Map<ChronoUnit, Tally> windowClosed = new EnumMap<>(ChronoUnit.class);
    private final Map<ChronoUnit, Tally> periodOver = new EnumMap<>(ChronoUnit.class);

    public RepriceReach(Instant now, Duration grace, ZoneId zone) {
        this.now = now;
        this.grace = grace;
        this.zone = zone;
        for (ChronoUnit unit : UNITS) {
            windowClosed.put(unit, Tally.NONE);
            periodOver.put(unit, Tally.NONE);
        }
    }

    /** Counts one adjustment of an event that occurred at {@code occurred}. */
    void add(Instant occurred, BigDecimal delta) {
        for (ChronoUnit unit : UNITS) {
            final Instant end = end(occurred, unit);
            if (!end.plus(grace).isAfter(now)) {
                windowClosed.merge(unit, Tally.NONE, (t, none) -> t.plus(delta));
            }
            if (!end.isAfter(now)) {
                periodOver.merge(unit, Tally.NONE, (t, none) -> t.plus(delta));
            }
        }
    }

    /** The end of the {@code unit} (HOURS, DAYS, MONTHS) that holds {@code at}, in the zone. */
    private Instant end(Instant at, ChronoUnit unit) {
        final ZonedDateTime t = at.atZone(zone);
        final ZonedDateTime start = switch (unit) {
            case HOURS -> t.truncatedTo(ChronoUnit.HOURS);
            case DAYS -> t.truncatedTo(ChronoUnit.DAYS);
            case MONTHS -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            default -> throw new IllegalArgumentException("no window of " + unit);
        };
        return start.plus(1, unit).toInstant();
    }

    /** Adjustments whose aggregator window of {@code unit} closed (end + grace at or before the run): it keeps its old total. */
    public Map<ChronoUnit, Tally> windowClosed() {
        return Collections.unmodifiableMap(windowClosed);
    }

    /** Adjustments whose budget period of {@code unit} is over at the run: the enforcer does not move them. */
    public Map<ChronoUnit, Tally> periodOver() {
        return Collections.unmodifiableMap(periodOver);
    }

    public Instant now() {
        return now;
    }

    public Duration grace() {
        return grace;
    }

    public ZoneId zone() {
        return zone;
    }
}
