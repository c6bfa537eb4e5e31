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

import dev.tokenledger.avro.PriceEntry;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * How old the prices are: the newest {@code source_read_on} of a catalog (when someone last checked a
 * provider's page for any entry) and its age in days. Providers change prices without notice, so a
 * catalog nobody has refreshed for months prices new calls at old rates; the Streams apps log
 * {@link #warning} at start when the catalog in force is older than their
 * {@code pricing.catalog.max.age.days}.
 *
 * @param newestSourceReadOn the latest {@code source_read_on} of any entry
 * @param days whole days from it to the day of the check (negative if it lies in the future)
 */
public record CatalogAge(LocalDate newestSourceReadOn, long days) {

    /** The age of {@code catalog} on {@code today}; empty for an empty catalog. */
    public static Optional<CatalogAge> of(PriceCatalog catalog, LocalDate today) {
        LocalDate newest = null;
        for (PriceEntry e : catalog.entries()) {
            if (newest == null || e.getSourceReadOn().isAfter(newest)) {
                newest = e.getSourceReadOn();
            }
        }
        return newest == null ? Optional.empty() : Optional.of(new CatalogAge(newest, ChronoUnit.DAYS.between(newest, today)));
    }

    /** True when the age is strictly more than {@code maxDays} (a catalog exactly that old is still fine). */
    public boolean olderThan(long maxDays) {
        return days > maxDays;
    }

    /**
     * The warning to log when {@code catalog} is older than {@code maxDays} on {@code today}: its age,
     * the date, and how to refresh it. Empty when it is recent enough, empty, or {@code maxDays} is 0
     * (the check is off).
     *
     * @param setting the config key that sets {@code maxDays}, named in the warning
     */
    public static Optional<String> warning(PriceCatalog catalog, LocalDate today, long maxDays, String setting) {
        if (maxDays <= 0) {
            return Optional.empty();
        }
        return of(catalog, today).filter(age -> age.olderThan(maxDays)).map(age -> "The price catalog in force is " + age.days()
                + " days old (newest source_read_on " + age.newestSourceReadOn() + ", more than " + setting + "=" + maxDays
                + "): providers may have changed prices since, and calls are priced at the old rates. Compare it with a current "
                + "LiteLLM price map (tokenledger prices check --litellm model_prices_and_context_window.json), then publish "
                + "corrected entries (tokenledger prices load FILE) or upgrade TokenLedger for a newer shipped catalog.");
    }

    /**
     * Logs {@link #warning} for the catalog in force in a Streams app: {@code base} (the shipped catalog, or
     * none) with the entries of its price store over it, built the way {@link PriceCatalogHolder} builds it.
     * Nothing when {@code maxDays} is 0; a store that cannot be read yet is logged at INFO, never thrown.
     */
    public static void warnIfOld(Supplier<PriceCatalog> base, Supplier<? extends Iterable<PriceEntry>> stored, long maxDays,
                                 String setting, Logger log) {
        if (maxDays <= 0) {
            return;
        }
        try {
            final PriceCatalog inForce = new PriceCatalogHolder(base).current(stored);
            warning(inForce, LocalDate.now(ZoneOffset.UTC), maxDays, setting).ifPresent(log::warn);
        } catch (RuntimeException e) {
            log.info("Could not check the age of the price catalog in force: {}", e.toString());
        }
    }
}
