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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.SpendDimension;
import org.junit.jupiter.api.Test;

class TenantScopeTest {

    @Test
    void theTenantOfEachTenantDimensionKey() {
        assertThat(TenantScope.tenantOf(SpendDimension.TENANT, "acme")).isEqualTo("acme");
        assertThat(TenantScope.tenantOf(SpendDimension.FEATURE_TENANT, "draft_email|acme")).isEqualTo("acme");
        assertThat(TenantScope.tenantOf(SpendDimension.TENANT_USER, "acme|u-17")).isEqualTo("acme");
        assertThat(TenantScope.tenantOf(SpendDimension.FEATURE, "draft_email")).isNull();
    }

    @Test
    void aTenantReadsItsOwnKeysAndNothingThatMixesTenants() {
        assertThat(TenantScope.refusal("acme", SpendDimension.TENANT, "acme")).isNull();
        assertThat(TenantScope.refusal("acme", SpendDimension.FEATURE_TENANT, "draft_email|acme")).isNull();
        assertThat(TenantScope.refusal("acme", SpendDimension.TENANT_USER, "acme|u-17")).isNull();
        assertThat(TenantScope.refusal("acme", SpendDimension.TENANT, "acme2")).contains("of tenant 'acme2'");
        assertThat(TenantScope.refusal("acme", SpendDimension.TENANT_USER, "globex|u-1")).contains("of tenant 'globex'");
        for (SpendDimension d : new SpendDimension[] {SpendDimension.GLOBAL, SpendDimension.FEATURE,
                SpendDimension.FEATURE_MODEL, SpendDimension.PLAN_FEATURE, SpendDimension.ROOT_REQUEST}) {
            assertThat(TenantScope.refusal("acme", d, "acme")).as(d.name()).contains("mix every tenant's spend");
            assertThat(TenantScope.refusalOf("acme", d)).as(d.name()).isNotNull();
        }
    }

    @Test
    void aTenantListsOnlyItsOwnTenantDimensions() {
        assertThat(TenantScope.refusalOfList("acme", SpendDimension.TENANT_USER, null)).isNull();
        assertThat(TenantScope.refusalOfList("acme", SpendDimension.TENANT_USER, "acme")).isNull();
        assertThat(TenantScope.refusalOfList("acme", SpendDimension.TENANT_USER, "globex")).contains("cannot list tenant 'globex'");
        assertThat(TenantScope.refusalOfList("acme", SpendDimension.FEATURE, null)).contains("mix every tenant's spend");
    }

    @Test
    void tokensParseAndBadEntriesAreNamedWithoutEchoingTheSecret() {
        assertThat(TenantScope.parseTokens(null)).isEmpty();
        assertThat(TenantScope.parseTokens(" k1=acme, k2=globex ")).containsExactly(
                java.util.Map.entry("k1", "acme"), java.util.Map.entry("k2", "globex"));
        assertThatThrownBy(() -> TenantScope.parseTokens("k1=acme,secret"))
                .hasMessage("entry 2 is not token=tenant (tokens are not echoed)");
        assertThatThrownBy(() -> TenantScope.parseTokens("k1=acme,k1=globex"))
                .hasMessage("entry 2 repeats a token given before");
    }
}
