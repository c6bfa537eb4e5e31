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

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the sink retries a warehouse operation: the first try and at most {@code maxRetries} more, a
 * {@link Backoff} between them, and a rule for which failures are worth another try (a lost connection, a
 * serialization conflict); any other failure is thrown at once. When the attempts run out,
 * {@link GaveUpException} names the operation, the attempts and the last error.
 *
 * <p>Two ways to use it: {@link #call} retries in this thread (the connector preparing the tables at
 * start), and {@link #streak()} only counts failures in a row for an operation someone else re-runs
 * (a sink task throws {@code RetriableException} after {@code context.timeout(...)} and Connect
 * redelivers the batch, the way kafka-connect-jdbc's {@code JdbcSinkTask} does).
 */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    private final String operation;
    private final String limits;
    private final int maxRetries;
    private final Backoff backoff;
    private final Predicate<? super Exception> retriable;
    private final Sleeper sleeper;

    /** The wait before the next attempt, given how many attempts have failed so far (1 after the first). */
    @FunctionalInterface
    public interface Backoff {
        Duration after(int failedAttempts);

        /** The same wait every time. */
        static Backoff fixed(Duration wait) {
            return failed -> wait;
        }

        /** {@code step}, then twice {@code step}, three times... */
        static Backoff linear(Duration step) {
            return failed -> step.multipliedBy(failed);
        }
    }

    /** Waits between attempts; tests pass one that records the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper THREAD = wait -> Thread.sleep(wait.toMillis());

        void sleep(Duration wait) throws InterruptedException;
    }

    /** One attempt of the operation. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * @param operation what is tried, for messages ("Warehouse write")
     * @param limits the settings that bound the retries, for the final message ("max.retries=2"), or empty
     * @param maxRetries tries after the first, 0 or more
     */
    public Retry(String operation, String limits, int maxRetries, Backoff backoff, Predicate<? super Exception> retriable,
            Sleeper sleeper) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException(operation + ": maxRetries must be 0 or more, was " + maxRetries);
        }
        this.operation = Objects.requireNonNull(operation, "operation");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxRetries = maxRetries;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.retriable = Objects.requireNonNull(retriable, "retriable");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Whether {@code failure} is worth another attempt. */
    public boolean retriable(Exception failure) {
        return retriable.test(failure);
    }

    /**
     * Runs {@code attempt} until it returns; a retriable failure waits the backoff and tries again.
     *
     * @throws E a failure that is not retriable, at once
     * @throws GaveUpException after {@code maxRetries + 1} retriable failures, or if interrupted while waiting
     */
    public <T, E extends Exception> T call(Attempt<T, E> attempt) throws E {
        int failed = 0;
        while (true) {
            try {
                return attempt.run();
            } catch (Exception e) {
                if (!retriable.test(e)) {
                    throw e;
                }
                failed++;
                if (failed > maxRetries) {
                    throw gaveUp(failed, e);
                }
                Duration wait = backoff.after(failed);
                LOG.warn("{} failed (attempt {}/{}), trying again in {} ms: {}", operation, failed, maxRetries + 1L, wait.toMillis(),
                        e.getMessage());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    GaveUpException stopped = new GaveUpException(operation + " was interrupted after " + failed + " failed "
                            + (failed == 1 ? "attempt" : "attempts") + "; last error: " + e.getMessage(), failed, e);
                    stopped.addSuppressed(interrupted);
                    throw stopped;
                }
            }
        }
    }

    /** A counter of failures in a row, for an operation that someone else re-runs. */
    public Streak streak() {
        return new Streak();
    }

    private GaveUpException gaveUp(int attempts, Exception last) {
        final String how = attempts == 1 ? "on its only attempt" : attempts + " times in a row";
        final String within = limits.isEmpty() ? "" : " (" + limits + ")";
        return new GaveUpException(operation + " failed " + how + within + "; last error: " + last.getMessage(), attempts, last);
    }

    /** Failures in a row of one operation; {@link #succeeded()} starts the count again. */
    public final class Streak {
        private int failures;

        private Streak() {
        }

        /**
         * Counts a retriable failure and returns how long to wait before the next attempt.
         *
         * @throws GaveUpException when this is failure number {@code maxRetries + 1} in a row
         */
        public Duration failed(Exception failure) {
            failures++;
            if (failures > maxRetries) {
                throw gaveUp(failures, failure);
            }
            return backoff.after(failures);
        }

        public void succeeded() {
            failures = 0;
        }

        /** Failures since the last success. */
        public int failures() {
            return failures;
        }
    }

    /** The operation failed on every attempt; the cause is the last failure. */
    public static final class GaveUpException extends RuntimeException {
        private final int attempts;

        GaveUpException(String message, int attempts, Exception last) {
            super(message, last);
            this.attempts = attempts;
        }

        public int attempts() {
            return attempts;
        }
    }
}
