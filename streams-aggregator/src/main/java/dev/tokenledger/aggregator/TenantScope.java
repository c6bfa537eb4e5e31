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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.schemas.config.BearerTokens;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What a tenant-scoped API token may read: only figures that belong to its own tenant, that is the
 * dimensions whose key names the tenant (TENANT {@code T}, FEATURE_TENANT {@code F|T}, TENANT_USER
 * {@code T|U}). Global, per-feature, per-model, per-plan and workflow figures mix every tenant's
 * spend, so a tenant token is refused them. Plain rules, tested without a server.
 */
final class TenantScope {
    /** Dimensions whose keys carry the tenant. */
    static final Set<SpendDimension> TENANT_DIMENSIONS = EnumSet.of(SpendDimension.TENANT, SpendDimension.FEATURE_TENANT,
            SpendDimension.TENANT_USER);

    private TenantScope() {
    }

    /** The tenant a dimension key belongs to, or null when the dimension is not a tenant one. */
    static String tenantOf(SpendDimension dimension, String key) {
        switch (dimension) {
            case TENANT:
                return key;
            case FEATURE_TENANT:
                return key.substring(key.lastIndexOf('|') + 1);
            case TENANT_USER:
                int bar = key.indexOf('|');
                return bar < 0 ? key : key.substring(0, bar);
            default:
                return null;
        }
    }

    /** Null when {@code tenant} may read that key; otherwise the reason it may not. */
    static String refusal(String tenant, SpendDimension dimension, String key) {
        if (!TENANT_DIMENSIONS.contains(dimension)) {
            return refusalOf(tenant, dimension);
        }
        String owner = tenantOf(dimension, key);
        return tenant.equals(owner) ? null : "this token is scoped to tenant '" + tenant + "' and cannot read "
                + dimension.name().toLowerCase(java.util.Locale.ROOT) + " '" + key + "' of tenant '" + owner + "'";
    }

    /** Why a tenant token cannot read a whole dimension (null when it can, filtered to its tenant). */
    static String refusalOf(String tenant, SpendDimension dimension) {
        return TENANT_DIMENSIONS.contains(dimension) ? null : "this token is scoped to tenant '" + tenant
                + "': it can read the tenant, feature_tenant and tenant_user figures of that tenant, not "
                + dimension.name().toLowerCase(java.util.Locale.ROOT) + " figures, which mix every tenant's spend";
    }

    /** Why a tenant token cannot list {@code dimension} filtered to {@code requestedTenant} (null: unfiltered), or null when it can. */
    static String refusalOfList(String tenant, SpendDimension dimension, String requestedTenant) {
        String refused = refusalOf(tenant, dimension);
        if (refused == null && requestedTenant != null && !tenant.equals(requestedTenant)) {
            refused = "this token is scoped to tenant '" + tenant + "' and cannot list tenant '" + requestedTenant + "'";
        }
        return refused;
    }

    /**
     * Parses {@code token=tenant,token=tenant}; an empty or null text is no tenant token. Throws
     * IllegalArgumentException naming the entry that is not {@code token=tenant} or repeats a token.
     */
    static Map<String, String> parseTokens(String text) {
        return BearerTokens.parseTenantTokens(text);
    }
}
