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
package dev.tokenledger.cli.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The long tail of customers: tenant traffic follows a Zipf law over rank (a handful of tenants
 * make most of the calls), the biggest accounts are enterprise, a middle band is pro and the tail
 * is free. The largest enterprise tenant has one power user who sends half its traffic ("one power
 * user can consume more than the other nine hundred users combined").
 */
public final class TenantPopulation {
    /** Zipf exponent: with 1.1 the top 5 of 60 tenants send roughly half the traffic. */
    public static final double ZIPF_EXPONENT = 1.1;
    /** Share of the power user in its tenant's traffic. */
    public static final double POWER_USER_SHARE = 0.5;

    private final List<Tenant> tenants;
    private final double[] cumulative;

    private TenantPopulation(List<Tenant> tenants) {
        this.tenants = List.copyOf(tenants);
        this.cumulative = new double[tenants.size()];
        double sum = 0;
        for (int i = 0; i < tenants.size(); i++) {
            sum += tenants.get(i).weight();
            cumulative[i] = sum;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
    }

    /**
     * Builds {@code count} tenants from {@code seed}: rank 1..3 enterprise (hundreds of seats),
     * up to rank 15 pro (tens of seats), the rest free (a few seats).
     */
    public static TenantPopulation generate(int count, long seed) {
        if (count < 4) {
            throw new IllegalArgumentException("tenant count must be >= 4 (3 enterprise + the tail): " + count);
        }
        final SplittableRandom random = new SplittableRandom(seed ^ 0x7E4A47L);
        final List<Tenant> tenants = new ArrayList<>(count);
        for (int rank = 1; rank <= count; rank++) {
            final PlanTier plan = rank <= 3 ? PlanTier.ENTERPRISE : rank <= 15 ? PlanTier.PRO : PlanTier.FREE;
            final int users = switch (plan) {
                case ENTERPRISE -> 300 + random.nextInt(700);
                case PRO -> 10 + random.nextInt(70);
                case FREE -> 1 + random.nextInt(5);
            };
            final String id = String.format("tenant_%s_%03d", plan.id(), rank);
            final double weight = 1.0 / Math.pow(rank, ZIPF_EXPONENT);
            final String powerUser = rank == 1 ? id + "-u1" : null;
            tenants.add(new Tenant(id, plan, users, weight, powerUser));
        }
        return new TenantPopulation(tenants);
    }

    public List<Tenant> tenants() {
        return tenants;
    }

    /** Draws a tenant by traffic share. */
    public Tenant pick(SplittableRandom random) {
        final double u = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return tenants.get(i);
            }
        }
        return tenants.get(tenants.size() - 1);
    }

    /** Draws the user of {@code tenant} who makes the next call. */
    public static String pickUser(Tenant tenant, SplittableRandom random) {
        if (tenant.powerUserId() != null && random.nextDouble() < POWER_USER_SHARE) {
            return tenant.powerUserId();
        }
        return tenant.userId(1 + random.nextInt(tenant.users()));
    }
}
