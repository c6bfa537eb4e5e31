package dev.tokenledger.enforcer;

import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;

/** The {@code reason_code} values of BudgetState and BudgetDecision. */
public final class ReasonCodes {
    /** Below the WARN threshold. */
    public static final String WITHIN_BUDGET = "WITHIN_BUDGET";
    /** spent + reserved at or above the WARN threshold (highest threshold below 100 %). */
    public static final String THRESHOLD_WARN = "THRESHOLD_WARN";
    /** MONTH budget: today's spend is above its on-track daily share but below the burst cap. */
    public static final String BURST_WARN = "BURST_WARN";
    /** MONTH budget: today's spend reached the burst cap; DENY for the rest of the day. */
    public static final String BURST_LIMIT = "BURST_LIMIT";
    /** spent + reserved reached the limit. */
    public static final String GENUINE_BREACH = "GENUINE_BREACH";
    /** ALERT_ONLY: the budget would deny (see the decision's reason) but does not. */
    public static final String SHADOW_DENY = "SHADOW_DENY";
    /** An override replaces the limit. */
    public static final String OVERRIDE_ACTIVE = "OVERRIDE_ACTIVE";
    /** Decision: an override was applied. */
    public static final String OVERRIDE_APPLIED = "OVERRIDE_APPLIED";
    /** The first decision/state after an override's {@code until}. */
    public static final String OVERRIDE_EXPIRED = "OVERRIDE_EXPIRED";
    /** A hold outlived its TTL and was freed. */
    public static final String STALE_RESERVATION = "STALE_RESERVATION";
    /** A gate's state was older than its staleness bound. */
    public static final String STALE_STATE = "STALE_STATE";
    /** Mode OFF. */
    public static final String MODE_OFF = "MODE_OFF";

    /**
     * limit_usd published for an unlimited override (limit_usd is not nullable on the wire): any
     * limit at or above this value means "no limit".
     */
    public static final BigDecimal UNLIMITED = Money.of("1000000000000000");

    private ReasonCodes() {
    }
}
