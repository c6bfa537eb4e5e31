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
package dev.tokenledger.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token check of the query API, without a server. */
class BearerTokensTest {
    private final BearerTokens auth = new BearerTokens("s3cret", Map.of("acme-key", "acme", "globex-key", "globex"));

    @Test
    void theFullAccessTokenReadsEverything() {
        assertThat(auth.check("Bearer s3cret")).isEqualTo(BearerTokens.Access.FULL);
    }

    @Test
    void aWrongTokenOfTheSameLengthIsRefused() {
        assertThat(auth.check("Bearer s3creT")).isEqualTo(BearerTokens.Access.DENIED);
    }

    @Test
    void aTokenOfAnotherLengthIsRefused() {
        assertThat(auth.check("Bearer s3cret-and-more")).isEqualTo(BearerTokens.Access.DENIED);
        assertThat(auth.check("Bearer s3cre")).isEqualTo(BearerTokens.Access.DENIED);
        assertThat(auth.check("Bearer ")).isEqualTo(BearerTokens.Access.DENIED);
    }

    @Test
    void aMissingHeaderOrAnotherSchemeIsRefused() {
        assertThat(auth.check(null)).isEqualTo(BearerTokens.Access.DENIED);
        assertThat(auth.check("s3cret")).isEqualTo(BearerTokens.Access.DENIED);
        assertThat(auth.check("Basic s3cret")).isEqualTo(BearerTokens.Access.DENIED);
    }

    @Test
    void aTenantTokenReadsOnlyItsTenant() {
        assertThat(auth.check("Bearer acme-key")).isEqualTo(BearerTokens.Access.tenant("acme"));
        assertThat(auth.check("Bearer globex-key")).isEqualTo(BearerTokens.Access.tenant("globex"));
        assertThat(auth.check("Bearer acme-kez")).isEqualTo(BearerTokens.Access.DENIED);
    }

    @Test
    void tenantTokensAloneStillRefuseEveryOtherCaller() {
        BearerTokens tenantsOnly = new BearerTokens(null, Map.of("acme-key", "acme"));
        assertThat(tenantsOnly.check("Bearer acme-key")).isEqualTo(BearerTokens.Access.tenant("acme"));
        assertThat(tenantsOnly.check("Bearer anything")).isEqualTo(BearerTokens.Access.DENIED);
        assertThat(tenantsOnly.check(null)).isEqualTo(BearerTokens.Access.DENIED);
    }

    @Test
    void withoutTokensTheApiIsOpen() {
        assertThat(new BearerTokens(null, Map.of()).check(null)).isEqualTo(BearerTokens.Access.FULL);
    }
}
