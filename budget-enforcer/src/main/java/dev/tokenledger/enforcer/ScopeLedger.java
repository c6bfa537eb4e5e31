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

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of one scope in its current period: spent, today's spend (burst tolerance), the running
 * sum of its holds' contributions ({@link Hold#contribution()}), thresholds already alerted, last
 * published status. Stored per scope key and stamped with its period: spend always belongs to
 * {@link #periodStart}, so moving to a new period ({@link #rollTo}) starts from zero and no reset can
 * leave stale spend behind. Holds live in a {@link HoldBook} (carried over a rollover: the calls
 * they cover are still in flight); the ledger keeps only their sum, so its size does not grow with
 * the number of calls in flight.
 */
public final class ScopeLedger {
    /** How long usage that named a reservation not yet HELD here is remembered. */
    public static final long EARLY_USAGE_TTL_MS = 10 * 60_000L;

    public String scopeKey;
    public String budgetId;
    public long periodStart;
    public long periodEnd;
    public BigDecimal spent = BigDecimal.ZERO;
    public long dayStart;
    public BigDecimal daySpent = BigDecimal.ZERO;
    /** Sum of the contributions of the holds in the book. */
    public BigDecimal reservedSum = BigDecimal.ZERO;
    public int holdCount;
    public TreeSet<Integer> fired = new TreeSet<>();
    public String status;
    public String reason;
    public BigDecimal lastLimit;
    public long version;
    public long updatedAt;
    public String auditedOverride;
    public String expiredOverride;

    /** Leases of this period, by gate instance id (a handful of gates per scope, so kept in the ledger itself). */
    public TreeMap<String, GateLease> leases = new TreeMap<>();

    @JsonIgnore
    private HoldBook book = HoldBook.inMemory();

    public ScopeLedger() {
    }

    public ScopeLedger(String scopeKey, String budgetId, PeriodWindow period) {
        this.scopeKey = scopeKey;
        this.budgetId = budgetId;
        this.periodStart = period.startMs();
        this.periodEnd = period.endMs();
    }

    /** Uses {@code book} for this scope's holds (the enforcer's store-backed book). */
    public ScopeLedger attach(HoldBook holdBook) {
        this.book = holdBook;
        return this;
    }

    /** Moves forward to {@code period} if it is a later one (never back): spend, day spend and fired thresholds restart at zero. */
    public boolean rollTo(PeriodWindow period) {
        if (period.startMs() <= periodStart) {
            return false;
        }
        periodStart = period.startMs();
        periodEnd = period.endMs();
        spent = BigDecimal.ZERO;
        daySpent = BigDecimal.ZERO;
        dayStart = 0;
        fired.clear();
        // A lease belongs to its period: what a gate held of the old one is void now.
        leases.clear();
        return true;
    }

    /** Adds spend that belongs to the current period; {@code day} is the local day it occurred in. */
    public void addSpend(BigDecimal amount, PeriodWindow day) {
        spent = spent.add(amount);
        if (day.startMs() > dayStart) {
            dayStart = day.startMs();
            daySpent = BigDecimal.ZERO;
        }
        if (day.startMs() == dayStart) {
            daySpent = daySpent.add(amount);
        }
    }

    /** Today's spend given today's window (zero if nothing was spent today yet). */
    public BigDecimal spentOn(PeriodWindow day) {
        return day.startMs() == dayStart ? daySpent : BigDecimal.ZERO;
    }

    /** Sum over gates of what they hold outstanding ({@link GateLease#outstanding()}). */
    public BigDecimal leased() {
        BigDecimal sum = BigDecimal.ZERO;
        for (GateLease l : leases.values()) {
            sum = sum.add(l.outstanding());
        }
        return sum;
    }

    /** The lease book entry of a gate (created empty on first use). */
    public GateLease lease(String gateId) {
        return leases.computeIfAbsent(gateId, g -> new GateLease());
    }

    /** Sum of the holds' contributions. */
    public BigDecimal reserved() {
        return reservedSum;
    }

    /** Number of holds (HELD or committed-not-yet-settled) in the book. */
    public int holdCount() {
        return holdCount;
    }

    /** The hold of a reservation as the scope sees it, or null. */
    public Hold holdOf(String reservationId) {
        final Hold h = book.get(reservationId);
        return h == null || h.early ? null : h;
    }

    private void store(Hold before, Hold after) {
        if (before != null) {
            reservedSum = reservedSum.subtract(before.contribution());
            if (!before.early) {
                holdCount--;
            }
        }
        if (after != null) {
            reservedSum = reservedSum.add(after.contribution());
            if (!after.early) {
                holdCount++;
            }
            book.put(after);
        }
    }

    private static Hold copy(Hold h) {
        final Hold c = new Hold(h.reservationId, h.amount, h.createdAt, h.expiresAt);
        c.used = h.used;
        c.actual = h.actual;
        c.early = h.early;
        return c;
    }

    /** Records a HELD reservation (idempotent: a repeated HELD keeps the first). */
    public Hold hold(String reservationId, BigDecimal amount, long createdAt, long expiresAt) {
        final Hold existing = book.get(reservationId);
        if (existing != null && !existing.early) {
            return existing;
        }
        final Hold h = new Hold(reservationId, amount, createdAt, expiresAt);
        if (existing != null) {
            h.used = existing.used;
        }
        store(existing, h);
        return h;
    }

    /** Stores a hold after its descriptive fields changed (no amount change). */
    public void update(Hold h) {
        book.put(h);
    }

    /** COMMITTED: the unused part is released now; the rest stays until its usage arrives. */
    public boolean commit(String reservationId, BigDecimal actual) {
        final Hold h = book.get(reservationId);
        if (h == null || h.early) {
            return false;
        }
        final Hold before = copy(h);
        h.actual = actual == null ? BigDecimal.ZERO : actual;
        if (h.settled()) {
            store(before, null);
            book.remove(reservationId);
        } else {
            store(before, h);
        }
        return true;
    }

    /** RELEASED (cancelled) or EXPIRED by someone else: the hold is gone. */
    public boolean release(String reservationId) {
        final Hold h = book.get(reservationId);
        if (h == null) {
            return false;
        }
        store(h, null);
        book.remove(reservationId);
        return !h.early;
    }

    /** Costed usage that drew from a reservation: that part of the hold is now spend. */
    public void applyUsage(String reservationId, BigDecimal amount, long nowMs) {
        final Hold h = book.get(reservationId);
        if (h == null) {
            final Hold early = new Hold(reservationId, BigDecimal.ZERO, nowMs, nowMs + EARLY_USAGE_TTL_MS);
            early.early = true;
            early.used = amount;
            store(null, early);
            return;
        }
        final Hold before = copy(h);
        h.used = h.used.add(amount);
        if (h.settled()) {
            store(before, null);
            book.remove(reservationId);
        } else {
            store(before, h);
        }
    }

    /** Removes and returns the holds whose TTL has passed at {@code nowMs} (early usage is dropped silently). */
    public List<Hold> expire(long nowMs) {
        final List<Hold> expired = new ArrayList<>();
        for (Hold h : book.all()) {
            if (h.expiresAt <= nowMs) {
                store(h, null);
                book.remove(h.reservationId);
                if (!h.early) {
                    expired.add(h);
                }
            }
        }
        return expired;
    }

    /** Early-usage entries waiting for their HELD (diagnostics, tests). */
    public int earlyCount() {
        int n = 0;
        for (Hold h : book.all()) {
            n += h.early ? 1 : 0;
        }
        return n;
    }
}
