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
package dev.tokenledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry rule shared by the connector and the task, with the waits recorded instead of slept. */
class RetryTest {
    private final List<Duration> waits = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    private Retry retry(int maxRetries) {
        return new Retry("Creating table usage_log", "max.retries=" + maxRetries, maxRetries, Retry.Backoff.linear(Duration.ofMillis(100)),
                e -> e instanceof SQLTransientConnectionException, waits::add);
    }

    /** Fails with a transient error {@code failures} times, then returns "done". */
    private String failingTimes(int failures) throws SQLException {
        if (calls.incrementAndGet() <= failures) {
            throw new SQLTransientConnectionException("connection reset #" + calls.get(), "08006");
        }
        return "done";
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void retriesATransientFailureThenReturns() throws Exception {
        assertThat(retry(3).call(() -> failingTimes(2))).isEqualTo("done");
        assertThat(calls).hasValue(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void givesUpAfterTheLastRetryNamingTheOperationAndTheAttempts() {
        assertThatThrownBy(() -> retry(2).call(() -> failingTimes(10)))
                .isInstanceOf(Retry.GaveUpException.class)
                .hasMessage("Creating table usage_log failed 3 times in a row (max.retries=2); last error: connection reset #3")
                .hasCauseInstanceOf(SQLTransientConnectionException.class)
                .satisfies(e -> assertThat(((Retry.GaveUpException) e).attempts()).isEqualTo(3));
        assertThat(calls).hasValue(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aFailureThatIsNotRetriableIsThrownAtOnce() {
        SQLException constraint = new SQLException("duplicate key", "23505");
        assertThatThrownBy(() -> retry(5).call(() -> {
            calls.incrementAndGet();
            throw constraint;
        })).isSameAs(constraint);
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void zeroRetriesMeansOneAttempt() {
        assertThatThrownBy(() -> retry(0).call(() -> failingTimes(1)))
                .hasMessage("Creating table usage_log failed on its only attempt (max.retries=0); last error: connection reset #1");
        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptWhileWaitingStopsRetryingAndKeepsTheInterrupt() {
        Retry interrupted = new Retry("Creating table usage_log", "", 5, Retry.Backoff.fixed(Duration.ofSeconds(1)),
                e -> true, wait -> {
                    throw new InterruptedException("stopping");
                });
        assertThatThrownBy(() -> interrupted.call(() -> failingTimes(10)))
                .isInstanceOf(Retry.GaveUpException.class)
                .hasMessage("Creating table usage_log was interrupted after 1 failed attempt; last error: connection reset #1");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void aStreakCountsFailuresInARowForSomeoneElseToRetry() {
        Retry.Streak streak = retry(2).streak();
        SQLException lost = new SQLTransientConnectionException("connection lost", "08006");
        assertThat(streak.failed(lost)).isEqualTo(Duration.ofMillis(100));
        streak.succeeded();
        assertThat(streak.failed(lost)).isEqualTo(Duration.ofMillis(100));
        assertThat(streak.failed(lost)).isEqualTo(Duration.ofMillis(200));
        assertThat(streak.failures()).isEqualTo(2);
        assertThatThrownBy(() -> streak.failed(lost))
                .isInstanceOf(Retry.GaveUpException.class)
                .hasMessage("Creating table usage_log failed 3 times in a row (max.retries=2); last error: connection lost")
                .hasCause(lost);
        assertThat(waits).isEmpty();
    }
}
