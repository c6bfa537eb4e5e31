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

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BurnRateTest {
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant END = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void projectsTheRemainderAtThePeriodsRate() {
        // $40 in 4 days is $10 a day: $60 left lasts 6 more days
        assertThat(BurnRate.runsOutAt(new BigDecimal("40"), new BigDecimal("60"), START, END, Instant.parse("2026-12-05T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-11T00:00:00Z"));
    }

    @Test
    void noProjectionWhenTheMoneyOutlastsThePeriodOrNothingWasSpent() {
        assertThat(BurnRate.runsOutAt(new BigDecimal("1"), new BigDecimal("99"), START, END, Instant.parse("2026-12-05T00:00:00Z"))).isNull();
        assertThat(BurnRate.runsOutAt(BigDecimal.ZERO, new BigDecimal("99"), START, END, Instant.parse("2026-12-05T00:00:00Z"))).isNull();
    }

    @Test
    void anExhaustedBudgetRunsOutNow() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        assertThat(BurnRate.runsOutAt(new BigDecimal("100"), new BigDecimal("-0.01"), START, END, now)).isEqualTo(now);
    }
}
