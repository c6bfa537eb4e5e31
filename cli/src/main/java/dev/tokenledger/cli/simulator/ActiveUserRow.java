package dev.tokenledger.cli.simulator;

import java.time.YearMonth;

/**
 * One {@code product_active_users} row: how many distinct users of a tenant used a feature in a
 * month, as product analytics would report it.
 */
public record ActiveUserRow(YearMonth month, String featureId, String tenantId, String planTier, long activeUsers) {
}
