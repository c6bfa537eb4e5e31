package dev.tokenledger.cli.simulator;

/**
 * A customer account.
 *
 * @param id          the tenant tag ({@code tenant_id})
 * @param plan        what it pays for
 * @param users       seats that use the AI features
 * @param weight      relative share of traffic (Zipf over the tenant's rank)
 * @param powerUserId the one user who sends half this tenant's traffic, or null
 */
public record Tenant(String id, PlanTier plan, int users, double weight, String powerUserId) {

    /** The user id of seat {@code n} (1-based) of this tenant. */
    public String userId(int n) {
        return id + "-u" + n;
    }
}
