package dev.tokenledger.cli.simulator;

import java.math.BigDecimal;

/** A tenant's plan, with what the tenant pays per month (for margin views). */
public enum PlanTier {
    FREE("free", new BigDecimal("0.00")),
    PRO("pro", new BigDecimal("49.00")),
    ENTERPRISE("enterprise", new BigDecimal("1500.00"));

    private final String id;
    private final BigDecimal monthlyPrice;

    PlanTier(String id, BigDecimal monthlyPrice) {
        this.id = id;
        this.monthlyPrice = monthlyPrice;
    }

    /** The plan id as tagged on events and stored in {@code plan_prices}. */
    public String id() {
        return id;
    }

    /** USD per tenant per month. */
    public BigDecimal monthlyPrice() {
        return monthlyPrice;
    }
}
