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

import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which drifts raise an alert, and under which key: every day x provider x model row of a month whose drift in
 * percent exceeds the threshold (in absolute value: a ledger above the invoice is as wrong as one below) becomes one
 * {@link ReconciliationAlert}, keyed {@code provider|model|day}. The key carries no time of check, so re-checking a
 * month yields the same keys and the compacted topic (and the warehouse's upsert) keeps one alert per row. An open
 * alert whose row a later check finds within the threshold (after a price correction, a re-import) is re-published
 * with {@code resolved = true}, so the dashboard and the report stop showing it.
 */
public final class ReconciliationAlerts {
    private ReconciliationAlerts() {
    }

    /** The alert id of a row: provider|model|day. */
    public static String alertId(Reconciliation.Row row) {
        return row.provider() + "|" + row.model() + "|" + row.day();
    }

    /** An alert for every row over {@code thresholdPct}, in row order. */
    public static List<ReconciliationAlert> over(YearMonth month, List<Reconciliation.Row> rows, BigDecimal thresholdPct, Instant now) {
        return rows.stream().filter(r -> !r.within(thresholdPct)).map(r -> alert(month, r, thresholdPct, now, false)).toList();
    }

    /**
     * The closing record of every open (unresolved) alert of {@code month} whose row is now within the threshold, or
     * no longer on either side (then with zero amounts).
     */
    public static List<ReconciliationAlert> resolved(YearMonth month, List<Reconciliation.Row> rows, BigDecimal thresholdPct,
                                                     Collection<ReconciliationAlert> open, Instant now) {
        Map<String, Reconciliation.Row> byId = new HashMap<>();
        rows.forEach(r -> byId.put(alertId(r), r));
        List<ReconciliationAlert> out = new ArrayList<>();
        for (ReconciliationAlert a : open) {
            if (a.getResolved() || !month.toString().equals(a.getMonth())) {
                continue;
            }
            Reconciliation.Row row = byId.get(a.getAlertId());
            if (row == null) {
                row = new Reconciliation.Row(a.getDay(), a.getProvider(), a.getModel(), null, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                        BigDecimal.ZERO, null);
            }
            if (row.within(thresholdPct)) {
                out.add(alert(month, row, thresholdPct, now, true));
            }
        }
        return out;
    }

    private static ReconciliationAlert alert(YearMonth month, Reconciliation.Row r, BigDecimal thresholdPct, Instant now, boolean resolved) {
        return ReconciliationAlert.newBuilder()
                .setAlertId(alertId(r))
                .setMonth(month.toString())
                .setDay(r.day())
                .setProvider(r.provider())
                .setModel(r.model())
                .setLedgerUsd(Money.toScale(r.ledgerUsd()))
                .setProviderUsd(Money.toScale(r.providerUsd()))
                .setDriftUsd(Money.toScale(r.driftUsd()))
                .setDriftPct(Money.toScale(r.driftPct()))
                .setThresholdPct(Money.toScale(thresholdPct))
                .setLikelyCause(r.likelyCause())
                .setRaisedAt(now)
                .setMessage((resolved ? "resolved: " : "") + r.provider() + " " + r.model() + " on " + r.day() + ": the provider billed "
                        + Reconciliation.money(r.providerUsd()) + " USD, the ledger priced " + Reconciliation.money(r.ledgerUsd()) + " USD (drift "
                        + Reconciliation.money(r.driftUsd()) + " USD, " + r.driftPct().toPlainString() + " %, "
                        + (resolved ? "within " : "over ") + thresholdPct.toPlainString() + " %)"
                        + (r.likelyCause() == null ? "" : "; likely cause: " + r.likelyCause()))
                .setResolved(resolved)
                .build();
    }
}
