package dev.tokenledger.enforcer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The state of one scope in its current period: spent, today's spend (burst tolerance), holds by
 * reservation_id, thresholds already alerted, last published status. Stored per scope key and
 * stamped with its period: spend always belongs to {@link #periodStart}, so moving to a new period
 * ({@link #rollTo}) starts from zero and no reset can leave stale spend behind. Holds are carried
 * over (the calls they cover are still in flight).
 */
public final class ScopeLedger {
    public String scopeKey;
    public String budgetId;
    public long periodStart;
    public long periodEnd;
    public BigDecimal spent = BigDecimal.ZERO;
    public long dayStart;
    public BigDecimal daySpent = BigDecimal.ZERO;
    public Map<String, Hold> holds = new LinkedHashMap<>();
    /**
     * Usage that named a reservation this scope has not seen HELD yet (the usage and reservation
     * topics are not ordered with each other): applied when the HELD arrives, forgotten after
     * {@link #EARLY_USAGE_TTL_MS}.
     */
    public Map<String, Hold> earlyUsage = new LinkedHashMap<>();
    public static final long EARLY_USAGE_TTL_MS = 10 * 60_000L;
    public TreeSet<Integer> fired = new TreeSet<>();
    public String status;
    public String reason;
    public BigDecimal lastLimit;
    public long version;
    public long updatedAt;
    public String auditedOverride;
    public String expiredOverride;

    public ScopeLedger() {
    }

    public ScopeLedger(String scopeKey, String budgetId, PeriodWindow period) {
        this.scopeKey = scopeKey;
        this.budgetId = budgetId;
        this.periodStart = period.startMs();
        this.periodEnd = period.endMs();
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

    /** Sum of the holds' contributions. */
    public BigDecimal reserved() {
        BigDecimal sum = BigDecimal.ZERO;
        for (Hold h : holds.values()) {
            sum = sum.add(h.contribution());
        }
        return sum;
    }

    /** Records a HELD reservation (idempotent: a repeated HELD keeps the first). */
    public Hold hold(String reservationId, BigDecimal amount, long createdAt, long expiresAt) {
        return holds.computeIfAbsent(reservationId, id -> {
            final Hold h = new Hold(id, amount, createdAt, expiresAt);
            final Hold early = earlyUsage.remove(id);
            if (early != null) {
                h.used = early.used;
            }
            return h;
        });
    }

    /** COMMITTED: the unused part is released now; the rest stays until its usage arrives. */
    public boolean commit(String reservationId, BigDecimal actual) {
        final Hold h = holds.get(reservationId);
        if (h == null) {
            return false;
        }
        h.actual = actual == null ? BigDecimal.ZERO : actual;
        if (h.settled()) {
            holds.remove(reservationId);
        }
        return true;
    }

    /** RELEASED (cancelled) or EXPIRED by someone else: the hold is gone. */
    public boolean release(String reservationId) {
        return holds.remove(reservationId) != null;
    }

    /** Costed usage that drew from a reservation: that part of the hold is now spend. */
    public void applyUsage(String reservationId, BigDecimal amount, long nowMs) {
        final Hold h = holds.get(reservationId);
        if (h != null) {
            h.used = h.used.add(amount);
            if (h.settled()) {
                holds.remove(reservationId);
            }
        } else {
            earlyUsage.computeIfAbsent(reservationId, id -> new Hold(id, BigDecimal.ZERO, nowMs, nowMs + EARLY_USAGE_TTL_MS))
                    .used = earlyUsage.get(reservationId).used.add(amount);
        }
    }

    /** Removes and returns the holds whose TTL has passed at {@code nowMs}. */
    public List<Hold> expire(long nowMs) {
        earlyUsage.values().removeIf(e -> e.expiresAt <= nowMs);
        final List<Hold> expired = new ArrayList<>();
        holds.values().removeIf(h -> {
            if (h.expiresAt <= nowMs) {
                expired.add(h);
                return true;
            }
            return false;
        });
        return expired;
    }
}
