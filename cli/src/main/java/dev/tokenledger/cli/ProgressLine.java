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

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One live status line: on a terminal it rewrites itself in place with {@code \r}; anywhere else
 * (a pipe, a CI log) it prints a new line at most every {@code plainInterval}, so logs stay short.
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean terminal;
    private final long plainIntervalNanos;
    private long lastPlainNanos = Long.MIN_VALUE;
    private int lastWidth;

    public ProgressLine(PrintStream out, boolean terminal, Duration plainInterval) {
        this.out = out;
        this.terminal = terminal;
        this.plainIntervalNanos = plainInterval.toNanos();
    }

    /** A progress line on stdout; live when the JVM has a console. */
    public static ProgressLine forStdout() {
        return new ProgressLine(System.out, System.console() != null, Duration.ofSeconds(10));
    }

    public boolean terminal() {
        return terminal;
    }

    /** Shows {@code text} now (terminal) or when the plain interval has passed. */
    public synchronized void update(String text) {
        if (terminal) {
            final String padded = text.length() < lastWidth ? text + " ".repeat(lastWidth - text.length()) : text;
            out.print("\r" + padded);
            out.flush();
            lastWidth = text.length();
            return;
        }
        final long now = System.nanoTime();
        if (lastPlainNanos == Long.MIN_VALUE || now - lastPlainNanos >= plainIntervalNanos) {
            out.println(text);
            lastPlainNanos = now;
        }
    }

    /** Prints the final state and ends the line. */
    public synchronized void finish(String text) {
        if (terminal) {
            update(text);
            out.println();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Refreshes from {@code text} every {@code period} on a daemon thread until the returned handle is closed. */
    public AutoCloseable every(Duration period, Supplier<String> text) {
        final Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                update(text.get());
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tokenledger-progress");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            thread.interrupt();
            thread.join(2_000);
        };
    }
}
