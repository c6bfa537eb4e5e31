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

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token check of the query API, without a server. */
class BearerAuthTest {
    private final BearerAuth auth = new BearerAuth("s3cret", Map.of("acme-key", "acme", "globex-key", "globex"));

    @Test
    void theFullAccessTokenReadsEverything() {
        assertThat(auth.check("Bearer s3cret")).isEqualTo(BearerAuth.Access.FULL);
    }

    @Test
    void aWrongTokenOfTheSameLengthIsRefused() {
        assertThat(auth.check("Bearer s3creT")).isEqualTo(BearerAuth.Access.DENIED);
    }

    @Test
    void aTokenOfAnotherLengthIsRefused() {
        assertThat(auth.check("Bearer s3cret-and-more")).isEqualTo(BearerAuth.Access.DENIED);
        assertThat(auth.check("Bearer s3cre")).isEqualTo(BearerAuth.Access.DENIED);
        assertThat(auth.check("Bearer ")).isEqualTo(BearerAuth.Access.DENIED);
    }

    @Test
    void aMissingHeaderOrAnotherSchemeIsRefused() {
        assertThat(auth.check(null)).isEqualTo(BearerAuth.Access.DENIED);
        assertThat(auth.check("s3cret")).isEqualTo(BearerAuth.Access.DENIED);
        assertThat(auth.check("Basic s3cret")).isEqualTo(BearerAuth.Access.DENIED);
    }

    @Test
    void aTenantTokenReadsOnlyItsTenant() {
        assertThat(auth.check("Bearer acme-key")).isEqualTo(BearerAuth.Access.tenant("acme"));
        assertThat(auth.check("Bearer globex-key")).isEqualTo(BearerAuth.Access.tenant("globex"));
        assertThat(auth.check("Bearer acme-kez")).isEqualTo(BearerAuth.Access.DENIED);
    }

    @Test
    void tenantTokensAloneStillRefuseEveryOtherCaller() {
        BearerAuth tenantsOnly = new BearerAuth(null, Map.of("acme-key", "acme"));
        assertThat(tenantsOnly.check("Bearer acme-key")).isEqualTo(BearerAuth.Access.tenant("acme"));
        assertThat(tenantsOnly.check("Bearer anything")).isEqualTo(BearerAuth.Access.DENIED);
        assertThat(tenantsOnly.check(null)).isEqualTo(BearerAuth.Access.DENIED);
    }

    @Test
    void withoutTokensTheApiIsOpen() {
        assertThat(new BearerAuth(null, Map.of()).check(null)).isEqualTo(BearerAuth.Access.FULL);
    }
}
