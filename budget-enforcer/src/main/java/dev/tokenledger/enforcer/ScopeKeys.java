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

import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetScope;

/**
 * Scope keys: the key of every budget state ({@code tokenledger.budget-state.v1}) and, by
 * convention enforced here, the {@code budget_id} of the budget that governs the scope.
 * <ul>
 *   <li>{@code global}</li>
 *   <li>{@code feature:F}</li>
 *   <li>{@code tenant:T}</li>
 *   <li>{@code feature_tenant:F|T} (an explicit FEATURE_TENANT budget, or a tenant carve-out of the
 *       FEATURE budget {@code feature:F})</li>
 * </ul>
 */
public final class ScopeKeys {
    public static final String GLOBAL = "global";
    public static final String FEATURE_PREFIX = "feature:";
    public static final String TENANT_PREFIX = "tenant:";
    public static final String FEATURE_TENANT_PREFIX = "feature_tenant:";

    private ScopeKeys() {
    }

    public static String feature(String featureId) {
        return FEATURE_PREFIX + featureId;
    }

    public static String tenant(String tenantId) {
        return TENANT_PREFIX + tenantId;
    }

    public static String featureTenant(String featureId, String tenantId) {
        return FEATURE_TENANT_PREFIX + featureId + "|" + tenantId;
    }

    /** The scope key a budget governs (its own scope, carve-outs aside). */
    public static String of(Budget budget) {
        return of(budget.getScope(), budget.getFeatureId(), budget.getTenantId());
    }

    /** The scope key for a scope kind and its ids; throws naming the missing field. */
    public static String of(BudgetScope scope, String featureId, String tenantId) {
        switch (scope) {
            case GLOBAL:
                return GLOBAL;
            case FEATURE:
                return feature(require("feature_id", featureId, scope));
            case TENANT:
                return tenant(require("tenant_id", tenantId, scope));
            case FEATURE_TENANT:
                return featureTenant(require("feature_id", featureId, scope), require("tenant_id", tenantId, scope));
            default:
                throw new IllegalArgumentException("Unknown budget scope " + scope);
        }
    }

    private static String require(String field, String value, BudgetScope scope) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Budget scope " + scope + " needs " + field + " (got '" + value + "')");
        }
        if (value.contains("|")) {
            throw new IllegalArgumentException(field + " must not contain '|' (got '" + value + "')");
        }
        return value;
    }

    /** For {@code feature_tenant:F|T}: F, else null. */
    public static String featureOf(String scopeKey) {
        if (scopeKey.startsWith(FEATURE_TENANT_PREFIX)) {
            final String rest = scopeKey.substring(FEATURE_TENANT_PREFIX.length());
            return rest.substring(0, rest.indexOf('|'));
        }
        return scopeKey.startsWith(FEATURE_PREFIX) ? scopeKey.substring(FEATURE_PREFIX.length()) : null;
    }

    /** For {@code feature_tenant:F|T}: T; for {@code tenant:T}: T; else null. */
    public static String tenantOf(String scopeKey) {
        if (scopeKey.startsWith(FEATURE_TENANT_PREFIX)) {
            return scopeKey.substring(scopeKey.indexOf('|') + 1);
        }
        return scopeKey.startsWith(TENANT_PREFIX) ? scopeKey.substring(TENANT_PREFIX.length()) : null;
    }
}
