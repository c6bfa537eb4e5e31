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

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.avro.ReservationStatus;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test records. */
final class Fixtures {
    private Fixtures() {
    }

    static Budget.Builder featureBudget(String feature, String limit, BudgetPeriod period) {
        return Budget.newBuilder()
                .setBudgetId(ScopeKeys.feature(feature))
                .setScope(BudgetScope.FEATURE)
                .setFeatureId(feature)
                .setLimitUsd(Money.of(limit))
                .setPeriod(period)
                .setTimeZone("UTC")
                .setThresholdsPct(List.of(50, 80, 100))
                .setBurstTolerancePct(0)
                .setMode(BudgetMode.ENFORCE)
                .setUpdatedAt(Instant.parse("2026-11-01T00:00:00Z"));
    }

    /** A price of exactly $0.000001 per output token (and per input token), for raw usage of known cost. */
    static final PriceEntry TEST_PRICE = PriceEntry.newBuilder()
            .setEntryId("test/per-token@2020-01-01").setProvider("test").setModel("per-token")
            .setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z"))
            .setInputPerMtok(Money.of("1")).setOutputPerMtok(Money.of("1"))
            .setSourceUrl("https://example.test/pricing").setSourceReadOn(java.time.LocalDate.of(2026, 1, 1)).build();

    /** A raw usage event that {@link #TEST_PRICE} prices at exactly {@code cost} USD (cost x 10^6 output tokens). */
    static UsageEvent event(String feature, String tenant, String cost, Instant at, String reservationId) {
        return UsageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setKind(UsageKind.COMPLETED)
                .setOccurredAt(at)
                .setFeatureId(feature)
                .setTenantId(tenant)
                .setRequestId("req-" + UUID.randomUUID())
                .setParentRequestId("parent-1")
                .setRootRequestId("root-1")
                .setProvider("test")
                .setModel("per-token")
                .setOutputTokens(new java.math.BigDecimal(cost).movePointRight(6).setScale(0, java.math.RoundingMode.DOWN).longValueExact())
                .setReservationId(reservationId)
                .build();
    }

    static UsageEvent event(String feature, String tenant, String cost, Instant at) {
        return event(feature, tenant, cost, at, null);
    }

    static CostedUsage usage(String feature, String tenant, String cost, Instant at) {
        return usage(feature, tenant, cost, at, null);
    }

    static CostedUsage usage(String feature, String tenant, String cost, Instant at, String reservationId) {
        final UsageEvent e = event(feature, tenant, cost, at, reservationId);
        return CostedUsage.newBuilder()
                .setEvent(e)
                .setPricingStatus(PricingStatus.PRICED)
                .setCostInputUsd(Money.ZERO)
                .setCostOutputUsd(Money.of(cost))
                .setCostCacheWrite5mUsd(Money.ZERO)
                .setCostCacheWrite1hUsd(Money.ZERO)
                .setCostCacheReadUsd(Money.ZERO)
                .setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.of(cost))
                .setCacheSavingsUsd(Money.ZERO)
                .setMultiplier(Money.ONE)
                .setPricedAt(at)
                .build();
    }

    static Reservation reservation(String id, ReservationStatus status, String amount, String actual, Instant at, long ttlMs,
                                   List<String> scopeKeys) {
        return Reservation.newBuilder()
                .setReservationId(id)
                .setRootRequestId("root-" + id)
                .setRequestId("req-" + id)
                .setFeatureId("draft_email")
                .setTenantId("acme")
                .setScopeKeys(scopeKeys)
                .setAmountUsd(Money.of(amount))
                .setActualUsd(actual == null ? null : Money.of(actual))
                .setTtlMs(ttlMs)
                .setStatus(status)
                .setGateId("test")
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .build();
    }
}
