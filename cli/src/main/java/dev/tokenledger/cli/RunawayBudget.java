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
package dev.tokenledger.cli;

import dev.tokenledger.cli.simulator.CompanyWorkload;
import dev.tokenledger.cli.simulator.PlannedCall;
import dev.tokenledger.cli.simulator.RecordPricer;
import dev.tokenledger.cli.simulator.UserAction;
import dev.tokenledger.cli.simulator.WorkloadGenerator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Sizes the runaway feature's daily budget so a quickstart run crosses it about {@value #CROSSING_PCT} %
 * of the way through: the workload is deterministic, so the run's actions are replayed ahead of time
 * and the runaway feature's calls priced with the shipped catalog.
 */
final class RunawayBudget {
    /** Where in the run (percent of the runaway feature's would-be spend) its budget is exhausted. */
    static final int CROSSING_PCT = 45;
    static final BigDecimal MINIMUM = new BigDecimal("0.10");

    private RunawayBudget() {
    }

    static BigDecimal dailyLimit(Quickstart.Options options) {
        final Duration d = options.duration().isZero() ? Duration.ofMinutes(2) : options.duration();
        final long actions = Math.max(1, (long) Math.floor(options.rate() * d.toMillis() / 1000.0));
        final WorkloadGenerator generator = new WorkloadGenerator(
                CompanyWorkload.standard(options.tenants(), options.seed()), options.seed());
        final RecordPricer pricer = RecordPricer.withDefaultCatalog();
        final Instant now = Instant.now();
        BigDecimal total = BigDecimal.ZERO;
        for (long i = 0; i < actions; i++) {
            final UserAction a = generator.next();
            if (a.feature().runaway()) {
                for (PlannedCall c : a.calls()) {
                    total = total.add(pricer.cost(a.feature().id(), c, now));
                }
            }
        }
        final BigDecimal limit = total.multiply(BigDecimal.valueOf(CROSSING_PCT)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_EVEN);
        return limit.max(MINIMUM);
    }
}
