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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchDeadlineTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final BatchDeadline deadline = new BatchDeadline(1000, Duration.ofSeconds(10), clock::get);

    @Test
    void nothingIsDueWhileNoTransactionIsOpen() {
        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(deadline.due()).isFalse();
    }

    @Test
    void aFullBatchIsDueAtOnce() {
        final BatchDeadline small = new BatchDeadline(3, Duration.ofSeconds(10), clock::get);
        small.added();
        small.added();
        assertThat(small.due()).isFalse();
        small.added();
        assertThat(small.due()).isTrue();
    }

    @Test
    void aFewChangesSpreadOverALongReadCommitWithinTenSecondsOfTheFirst() {
        deadline.added();
        clock.addAndGet(Duration.ofSeconds(9).toNanos());
        deadline.added();
        assertThat(deadline.due()).as("9 s open, 2 of 1000").isFalse();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(deadline.due()).as("10 s after the first change, with no new change: well before the broker's 60 s").isTrue();
    }

    @Test
    void theClockRestartsWithTheNextTransaction() {
        deadline.added();
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(deadline.due()).isTrue();
        deadline.committed();
        assertThat(deadline.due()).isFalse();
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        deadline.added();
        assertThat(deadline.due()).as("opened just now, though the previous one opened 40 s ago").isFalse();
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(deadline.due()).isTrue();
    }

    @Test
    void theDefaultStaysWellInsideTheProducersTransactionTimeout() {
        assertThat(BatchDeadline.MAX_OPEN).isLessThanOrEqualTo(Duration.ofSeconds(60).dividedBy(4));
    }
}
