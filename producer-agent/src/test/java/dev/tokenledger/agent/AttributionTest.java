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
package dev.tokenledger.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributionTest {

    @Test
    void featureIsMandatory() {
        assertThatThrownBy(() -> Attribution.feature(null)).isInstanceOf(MissingFeatureTagException.class)
                .hasMessageContaining("'feature'").hasMessageContaining("needs a feature tag");
        assertThatThrownBy(() -> Attribution.feature("  ")).isInstanceOf(MissingFeatureTagException.class);
        assertThatThrownBy(Attribution::inherit).isInstanceOf(MissingFeatureTagException.class);
    }

    @Test
    void invalidTagsNameTheTagAndTheValue() {
        assertThatThrownBy(() -> Attribution.feature("summarize email"))
                .isInstanceOf(InvalidTagException.class)
                .hasMessageContaining("'feature'").hasMessageContaining("'summarize email'").hasMessageContaining("' '");
        assertThatThrownBy(() -> Attribution.feature("f").tenant("acme\ncorp"))
                .hasMessageContaining("'tenant'").hasMessageContaining("U+000A");
        assertThatThrownBy(() -> Attribution.feature("f").plan("p".repeat(129)))
                .hasMessageContaining("'plan'").hasMessageContaining("129 characters");
        assertThatThrownBy(() -> Attribution.feature("f").user("u".repeat(257)))
                .hasMessageContaining("'user'").hasMessageContaining("at most 256");
        assertThatThrownBy(() -> Attribution.feature("f").user("jane doe"))
                .hasMessageContaining("'user'").hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> Attribution.feature("f").attempt(0)).hasMessageContaining("'attempt'");
    }

    @Test
    void fluentCopiesLeaveTheOriginalUnchanged() {
        Attribution base = Attribution.feature("summarize_email_v2").tenant("acme");
        Attribution pro = base.plan("pro").user("u-17").tag("step", "outline");
        assertThat(base.planTier()).isNull();
        assertThat(pro.featureId()).isEqualTo("summarize_email_v2");
        assertThat(pro.tenantId()).isEqualTo("acme");
        assertThat(pro.userId()).isEqualTo("u-17");
        assertThat(pro.tags()).containsEntry("step", "outline");
    }

    @Test
    void userIdHmacIsStableKeyedAnd64Hex() {
        UserIdHasher h1 = new UserIdHasher("0123456789abcdef-key-one".getBytes());
        UserIdHasher h2 = new UserIdHasher("0123456789abcdef-key-two".getBytes());
        assertThat(h1.hash("u-17")).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(h1.hash("u-17"));
        assertThat(h1.hash("u-17")).isNotEqualTo(h1.hash("u-18")).isNotEqualTo(h2.hash("u-17"));
        assertThatThrownBy(() -> new UserIdHasher("short".getBytes())).hasMessageContaining("at least 16 bytes");
    }

    @Test
    void headersRoundTripAndBaggageIsAccepted() {
        LedgerContext ctx = new LedgerContext("summarize_email_v2", "acme", "u-17", "pro", "req_root", "req_parent", Map.of());
        Map<String, String> headers = new HashMap<>();
        LedgerHeaders.write(ctx, headers::put);
        assertThat(headers).containsEntry("tokenledger-feature", "summarize_email_v2")
                .containsEntry("tokenledger-root-request", "req_root")
                .containsEntry("tokenledger-parent-request", "req_parent");

        Map<String, String> upper = new HashMap<>();
        headers.forEach((k, v) -> upper.put(k.toUpperCase(), v));
        LedgerContext read = LedgerHeaders.read(upper);
        assertThat(read.featureId()).isEqualTo("summarize_email_v2");
        assertThat(read.tenantId()).isEqualTo("acme");
        assertThat(read.userId()).isEqualTo("u-17");
        assertThat(read.planTier()).isEqualTo("pro");
        assertThat(read.rootRequestId()).isEqualTo("req_root");
        assertThat(read.requestId()).isEqualTo("req_parent");

        LedgerContext fromBaggage = LedgerHeaders.read(Map.of("baggage",
                "userId=alice, tokenledger.feature=classify_ticket,tokenledger.tenant=acme%2Deu;prop=1,tokenledger.root-request-id=req_9"));
        assertThat(fromBaggage.featureId()).isEqualTo("classify_ticket");
        assertThat(fromBaggage.tenantId()).isEqualTo("acme-eu");
        assertThat(fromBaggage.rootRequestId()).isEqualTo("req_9");
        assertThat(LedgerHeaders.read(Map.of("baggage", LedgerHeaders.toBaggage(ctx))).rootRequestId()).isEqualTo("req_root");

        // explicit header wins over baggage; a bad value is ignored, not fatal
        LedgerContext mixed = LedgerHeaders.read(Map.of("tokenledger-feature", "a", "baggage", "tokenledger-feature=b", "tokenledger-tenant", "bad tenant"));
        assertThat(mixed.featureId()).isEqualTo("a");
        assertThat(mixed.tenantId()).isNull();
        assertThat(LedgerHeaders.read(Map.of("x-other", "1"))).isNull();
    }
}
