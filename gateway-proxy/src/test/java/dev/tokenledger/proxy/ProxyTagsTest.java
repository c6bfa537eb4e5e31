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
package dev.tokenledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.agent.Attribution;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyTagsTest {
    private static final ProxyTags NO_DEFAULTS = new ProxyTags("", "", "");

    private static Attribution read(ProxyTags tags, Map<String, String> headers) {
        return tags.read(headers::get);
    }

    @Test
    void everyTagComesFromItsHeader() {
        final Attribution a = read(NO_DEFAULTS, Map.of("x-tokenledger-feature", "draft_email", "x-tokenledger-tenant", "acme",
                "x-tokenledger-user", "u-17", "x-tokenledger-plan", "pro", "x-tokenledger-root-request", "root-1",
                "x-tokenledger-parent-request", "req-0"));
        assertThat(a.featureId()).isEqualTo("draft_email");
        assertThat(a.tenantId()).isEqualTo("acme");
        assertThat(a.userId()).isEqualTo("u-17");
        assertThat(a.planTier()).isEqualTo("pro");
        assertThat(a.rootRequestId()).isEqualTo("root-1");
        assertThat(a.parentRequestId()).isEqualTo("req-0");
    }

    @Test
    void baggageFillsWhatTheHeadersLackAndAHeaderWinsOverBaggage() {
        final Attribution a = read(NO_DEFAULTS, Map.of("baggage", "tokenledger-feature=summarize,tokenledger-tenant=globex;prop=1,other=x",
                "x-tokenledger-tenant", "acme"));
        assertThat(a.featureId()).isEqualTo("summarize");
        assertThat(a.tenantId()).isEqualTo("acme");
    }

    @Test
    void routeDefaultsApplyOnlyToWhatTheCallLeftOut() {
        final ProxyTags defaults = new ProxyTags("legacy_batch", "internal", "enterprise");
        final Attribution untagged = read(defaults, Map.of());
        assertThat(untagged.featureId()).isEqualTo("legacy_batch");
        assertThat(untagged.tenantId()).isEqualTo("internal");
        assertThat(untagged.planTier()).isEqualTo("enterprise");
        final Attribution tagged = read(defaults, Map.of("x-tokenledger-feature", "search", "x-tokenledger-tenant", "acme"));
        assertThat(tagged.featureId()).isEqualTo("search");
        assertThat(tagged.tenantId()).isEqualTo("acme");
        assertThat(tagged.planTier()).isEqualTo("enterprise");
    }

    @Test
    void aRoutesOwnDefaultFeatureComesBeforeTheProxyWideOne() {
        final ProxyTags defaults = new ProxyTags("legacy_batch", Map.of(ProviderRoute.OPENAI_RESPONSES, "drafts"), "", "");
        assertThat(defaults.read(ProviderRoute.OPENAI_RESPONSES, Map.<String, String>of()::get).featureId()).isEqualTo("drafts");
        assertThat(defaults.read(ProviderRoute.ANTHROPIC_MESSAGES, Map.<String, String>of()::get).featureId()).isEqualTo("legacy_batch");
        assertThat(defaults.read(ProviderRoute.OPENAI_RESPONSES, Map.of("x-tokenledger-feature", "search")::get).featureId()).isEqualTo("search");
        final ProxyTags routeOnly = new ProxyTags("", Map.of(ProviderRoute.OPENAI_RESPONSES, "drafts"), "", "");
        assertThatThrownBy(() -> routeOnly.read(ProviderRoute.ANTHROPIC_MESSAGES, Map.<String, String>of()::get))
                .isInstanceOf(ProxyTags.RefusedException.class);
    }

    @Test
    void noFeatureAndNoDefaultIsRefusedNamingTheHeader() {
        assertThatThrownBy(() -> read(NO_DEFAULTS, Map.of("x-tokenledger-tenant", "acme")))
                .isInstanceOfSatisfying(ProxyTags.RefusedException.class, e -> {
                    assertThat(e.header()).isEqualTo("x-tokenledger-feature");
                    assertThat(e.getMessage()).startsWith("Missing header x-tokenledger-feature");
                });
    }

    @Test
    void aBadValueIsRefusedNamingTheHeaderAndTheRuleNotDropped() {
        assertThatThrownBy(() -> read(NO_DEFAULTS, Map.of("x-tokenledger-feature", "draft email")))
                .isInstanceOfSatisfying(ProxyTags.RefusedException.class, e -> {
                    assertThat(e.header()).isEqualTo("x-tokenledger-feature");
                    assertThat(e.rule()).isEqualTo("character ' ' at position 5 is not allowed; use letters, digits and . _ - : @ /");
                });
        assertThatThrownBy(() -> read(NO_DEFAULTS, Map.of("x-tokenledger-feature", "ok", "x-tokenledger-tenant", "t".repeat(129))))
                .isInstanceOfSatisfying(ProxyTags.RefusedException.class, e -> {
                    assertThat(e.header()).isEqualTo("x-tokenledger-tenant");
                    assertThat(e.rule()).isEqualTo("is 129 characters, at most 128 allowed");
                });
        assertThatThrownBy(() -> read(NO_DEFAULTS, Map.of("x-tokenledger-feature", "ok", "x-tokenledger-user", "u\u00e9")))
                .isInstanceOfSatisfying(ProxyTags.RefusedException.class, e -> assertThat(e.header()).isEqualTo("x-tokenledger-user"));
    }

    @Test
    void aBadBaggageMemberIsRefusedNamingTheMember() {
        assertThatThrownBy(() -> read(NO_DEFAULTS, Map.of("baggage", "tokenledger-feature=ok,tokenledger-plan=gold%20plus")))
                .isInstanceOfSatisfying(ProxyTags.RefusedException.class,
                        e -> assertThat(e.header()).isEqualTo("baggage member tokenledger-plan"));
    }
}
