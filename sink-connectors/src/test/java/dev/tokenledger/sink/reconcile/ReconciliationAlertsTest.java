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
package dev.tokenledger.sink.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.ReconciliationAlert;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rows raise an alert, under which key, and which open alerts a later check closes. */
class ReconciliationAlertsTest {
    static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    static final Instant NOW = Instant.parse("2027-01-02T08:00:00Z");

    private static Reconciliation.Row row(int day, String model, String ledger, String provider) {
        BigDecimal l = new BigDecimal(ledger);
        BigDecimal p = new BigDecimal(provider);
        BigDecimal drift = p.subtract(l);
        return new Reconciliation.Row(LocalDate.of(2026, 12, day), "anthropic", model, null, l, p, drift, Reconciliation.pct(drift, p, l), null);
    }

    @Test
    void everyRowOverTheThresholdEitherWayRaisesOneAlertKeyedByProviderModelAndDay() {
        List<Reconciliation.Row> rows = List.of(
                row(1, "claude-sonnet-4-5", "100.00", "101.00"), // +1 % of 101 = 0.99 %: within 1 %
                row(2, "claude-sonnet-4-5", "100.00", "98.00"),  // ledger above the invoice: -2.04 %
                row(3, "claude-opus-4-5", "4.00", "10.00"));     // +60 %
        List<ReconciliationAlert> alerts = ReconciliationAlerts.over(DECEMBER, rows, BigDecimal.ONE, NOW);
        assertThat(alerts).extracting(ReconciliationAlert::getAlertId)
                .containsExactly("anthropic|claude-sonnet-4-5|2026-12-02", "anthropic|claude-opus-4-5|2026-12-03");
        assertThat(alerts.get(0).getDriftPct()).isEqualByComparingTo("-2.04");
        assertThat(alerts.get(0).getMonth()).isEqualTo("2026-12");
        assertThat(alerts).allMatch(a -> !a.getResolved() && a.getRaisedAt().equals(NOW));
        // the same month checked later gives the same keys
        assertThat(ReconciliationAlerts.over(DECEMBER, rows, BigDecimal.ONE, NOW.plusSeconds(86_400))).extracting(ReconciliationAlert::getAlertId)
                .containsExactlyElementsOf(alerts.stream().map(ReconciliationAlert::getAlertId).toList());
    }

    @Test
    void aLaterCheckClosesTheOpenAlertsWhoseDayIsBackWithinTheThresholdOrGone() {
        List<ReconciliationAlert> open = ReconciliationAlerts.over(DECEMBER, List.of(row(2, "claude-sonnet-4-5", "100.00", "98.00"),
                row(3, "claude-opus-4-5", "4.00", "10.00"), row(4, "claude-haiku-4-5", "0", "1.00")), BigDecimal.ONE, NOW);
        ReconciliationAlert november = ReconciliationAlerts.over(YearMonth.of(2026, 11),
                List.of(new Reconciliation.Row(LocalDate.of(2026, 11, 30), "openai", "gpt-4o", null, BigDecimal.ZERO, BigDecimal.ONE,
                        BigDecimal.ONE, new BigDecimal("100.00"), null)), BigDecimal.ONE, NOW).get(0);
        // Dec 2 still drifts, Dec 3 re-priced to 10.00, Dec 4's report line re-imported away and no call either
        List<Reconciliation.Row> now = List.of(row(2, "claude-sonnet-4-5", "100.00", "98.00"), row(3, "claude-opus-4-5", "10.00", "10.00"));
        List<ReconciliationAlert> closed = ReconciliationAlerts.resolved(DECEMBER, now, BigDecimal.ONE,
                List.of(open.get(0), open.get(1), open.get(2), november), NOW.plusSeconds(60));
        assertThat(closed).extracting(ReconciliationAlert::getAlertId)
                .containsExactly("anthropic|claude-opus-4-5|2026-12-03", "anthropic|claude-haiku-4-5|2026-12-04");
        assertThat(closed).allMatch(ReconciliationAlert::getResolved);
        assertThat(closed.get(1).getProviderUsd()).isZero();
        assertThat(closed.get(0).getMessage()).startsWith("resolved: anthropic claude-opus-4-5 on 2026-12-03").contains("within 1 %");
        // a closed alert is not closed again
        assertThat(ReconciliationAlerts.resolved(DECEMBER, now, BigDecimal.ONE, closed, NOW)).isEmpty();
    }
}
