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

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * "Must the open re-pricing transaction commit now?" Yes when it holds {@code size} adjustments, or when it has been
 * open for {@code maxOpen}: the broker aborts a transaction left open longer than the producer's
 * {@code transaction.timeout.ms} (60 s by default), and when few events change, a full batch can take far longer than
 * that to collect. Asked after every record read, changed or not, so a quiet stretch of the read cannot keep a
 * transaction open.
 */
final class BatchDeadline {
    /** How long a re-pricing transaction may stay open: well inside the producer's default transaction.timeout.ms (60 s). */
    static final Duration MAX_OPEN = Duration.ofSeconds(10);

    private final int size;
    private final long maxOpenNanos;
    private final LongSupplier nanoClock;
    private int records;
    private long openedAt;

    BatchDeadline(int size, Duration maxOpen, LongSupplier nanoClock) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        this.size = size;
        this.maxOpenNanos = maxOpen.toNanos();
        this.nanoClock = nanoClock;
    }

    BatchDeadline(int size) {
        this(size, MAX_OPEN, System::nanoTime);
    }

    /** One more adjustment in the open transaction (the first one opens it). */
    void added() {
        if (records == 0) {
            openedAt = nanoClock.getAsLong();
        }
        records++;
    }

    /** True when the open transaction is full or has been open for the maximum time; false when none is open. */
    boolean due() {
        return records > 0 && (records >= size || nanoClock.getAsLong() - openedAt >= maxOpenNanos);
    }

    /** The open transaction committed: the next adjustment opens a new one. */
    void committed() {
        records = 0;
    }
}
