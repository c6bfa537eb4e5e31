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
package dev.tokenledger.dashboard;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one page asks the warehouse about: a UTC date range (both days included), and optionally one
 * feature, tenant, plan tier, environment and root request; {@code at} is "now" for the today / this
 * month figures (a parameter so a page and a test can pin it). Parsed from the query string, refused
 * with the field and the value when malformed.
 */
public record DashboardFilters(LocalDate from, LocalDate to, String feature, String tenant, String plan, String environment,
                               String root, Instant at) {
    /** Longest date range one page may ask for: a year and a day (a leap year plus the day before). */
    static final int MAX_DAYS = 367;
    static final int DEFAULT_DAYS = 30;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:@/|+\\-]{1,256}");

    public DashboardFilters {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("filter 'from' (" + from + ") is after 'to' (" + to + ")");
        }
        if (to.toEpochDay() - from.toEpochDay() >= MAX_DAYS) {
            throw new IllegalArgumentException("filter 'from'..'to' spans " + (to.toEpochDay() - from.toEpochDay() + 1)
                    + " days; at most " + MAX_DAYS);
        }
    }

    /** The last {@value #DEFAULT_DAYS} UTC days up to {@code at}, nothing else filtered. */
    public static DashboardFilters lastDays(Instant at) {
        LocalDate today = at.atZone(ZoneOffset.UTC).toLocalDate();
        return new DashboardFilters(today.minusDays(DEFAULT_DAYS - 1L), today, null, null, null, null, null, at);
    }

    /** Parses {@code from}, {@code to}, {@code feature}, {@code tenant}, {@code plan}, {@code env}, {@code root}, {@code at}. */
    public static DashboardFilters parse(Map<String, String> query, Instant now) {
        Instant at = query.containsKey("at") && !query.get("at").isBlank() ? instant(query.get("at")) : now;
        DashboardFilters defaults = lastDays(at);
        LocalDate to = date(query, "to", defaults.to());
        LocalDate from = date(query, "from", to.minusDays(DEFAULT_DAYS - 1L));
        return new DashboardFilters(from, to, tag(query, "feature"), tag(query, "tenant"), tag(query, "plan"), tag(query, "env"),
                tag(query, "root"), at);
    }

    /** The same filters restricted to {@code scopedTenant}. */
    public DashboardFilters withTenant(String scopedTenant) {
        return new DashboardFilters(from, to, feature, scopedTenant, plan, environment, root, at);
    }

    /** The range's first instant (inclusive). */
    public Instant fromInstant() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The instant after the range (exclusive): midnight UTC after {@code to}. */
    public Instant toExclusive() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The UTC day of {@code at}. */
    public LocalDate today() {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static LocalDate date(Map<String, String> query, String field, LocalDate fallback) {
        String v = query.get(field);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("filter '" + field + "': '" + v + "' is not a date (YYYY-MM-DD)");
        }
    }

    private static Instant instant(String v) {
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("filter 'at': '" + v + "' is not an instant (e.g. 2026-12-05T10:00:00Z)");
        }
    }

    private static String tag(Map<String, String> query, String field) {
        String v = query.get(field);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (!TAG.matcher(v).matches()) {
            throw new IllegalArgumentException("filter '" + field + "': '" + v + "' is not a tag (1-256 letters, digits and _.:@/|+-)");
        }
        return v;
    }
}
