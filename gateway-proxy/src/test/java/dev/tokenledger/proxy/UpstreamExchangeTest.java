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

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/**
 * What reaches the provider of the caller's headers (never a TokenLedger tag, in a header or in baggage), and what of a
 * stream reaches the client before a cut (whole events only).
 */
class UpstreamExchangeTest {

    @Test
    void theTagMembersOfBaggageAreRemovedAndTheOthersKeptInOrder() {
        final MultiMap in = HttpHeaders.headers().add("Authorization", "Bearer sk-caller")
                .add("baggage", "tokenledger-feature=draft_email, trace.team=search,tokenledger-user=alice%40example.com;p=1,"
                        + "TokenLedger.Tenant=acme,tokenledger_root_request_id=r-1,region=eu;prop=x");
        final MultiMap out = UpstreamExchange.upstreamHeaders(in);
        assertThat(out.getAll("baggage")).containsExactly("trace.team=search,region=eu;prop=x");
        assertThat(out.get("Authorization")).isEqualTo("Bearer sk-caller");
    }

    @Test
    void aBaggageHeaderOfTagsOnlyIsDroppedWithTheTagHeaders() {
        final MultiMap in = HttpHeaders.headers().add("baggage", "tokenledger-user=alice,tokenledger-tenant=acme")
                .add("x-tokenledger-feature", "draft_email").add("X-TokenLedger-User", "alice").add("Accept-Encoding", "gzip")
                .add("Connection", "keep-alive").add("anthropic-version", "2023-06-01");
        final MultiMap out = UpstreamExchange.upstreamHeaders(in);
        assertThat(out.names()).containsExactlyInAnyOrder("anthropic-version", "accept-encoding");
        assertThat(out.get("accept-encoding")).isEqualTo("identity");
        assertThat(out.toString()).doesNotContain("alice").doesNotContain("acme").doesNotContain("draft_email");
    }

    @Test
    void onlyWholeStreamEventsArePassedOnSoACutsErrorEventStartsOnItsOwn() {
        assertThat(UpstreamExchange.wholeEvents(Buffer.buffer("event: ping\ndata: {}\n\nevent: content_block_del"))).isEqualTo(22);
        assertThat(UpstreamExchange.wholeEvents(Buffer.buffer("data: {}\r\n\r\n"))).isEqualTo(12);
        assertThat(UpstreamExchange.wholeEvents(Buffer.buffer("data: {\"type\":\"content_block_delta\"}\n"))).isZero();
        assertThat(UpstreamExchange.wholeEvents(Buffer.buffer(""))).isZero();
    }
}
