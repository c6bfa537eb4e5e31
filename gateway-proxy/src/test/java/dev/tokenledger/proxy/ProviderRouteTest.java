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

import dev.tokenledger.agent.usage.ProviderApi;
import org.junit.jupiter.api.Test;

class ProviderRouteTest {

    @Test
    void theMeteredPathsMapToTheirApis() {
        assertThat(ProviderRoute.match("POST", "/v1/messages")).contains(new ProviderRoute.Match(ProviderRoute.ANTHROPIC_MESSAGES, null));
        assertThat(ProviderRoute.match("POST", "/v1/chat/completions"))
                .contains(new ProviderRoute.Match(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null));
        assertThat(ProviderRoute.match("POST", "/v1/responses")).contains(new ProviderRoute.Match(ProviderRoute.OPENAI_RESPONSES, null));
        assertThat(ProviderRoute.match("POST", "/v1beta/models/gemini-2.5-flash:generateContent"))
                .contains(new ProviderRoute.Match(ProviderRoute.GEMINI_GENERATE_CONTENT, "gemini-2.5-flash"));
        assertThat(ProviderRoute.match("POST", "/v1/models/gemini-3.5-flash:streamGenerateContent"))
                .contains(new ProviderRoute.Match(ProviderRoute.GEMINI_STREAM_GENERATE_CONTENT, "gemini-3.5-flash"));
        assertThat(ProviderRoute.GEMINI_STREAM_GENERATE_CONTENT.api()).isEqualTo(ProviderApi.GEMINI_GENERATE_CONTENT);
        assertThat(ProviderRoute.OPENAI_RESPONSES.provider()).isEqualTo("openai");
        assertThat(ProviderRoute.GEMINI_GENERATE_CONTENT.upstreamKey()).isEqualTo(ProxyConfig.UPSTREAM_GOOGLE_CONFIG);
    }

    @Test
    void anythingElseIsNotARoute() {
        assertThat(ProviderRoute.match("GET", "/v1/messages")).isEmpty();
        assertThat(ProviderRoute.match("POST", "/v1/messages/batches")).isEmpty();
        assertThat(ProviderRoute.match("POST", "/v1/embeddings")).isEmpty();
        assertThat(ProviderRoute.match("POST", "/v1beta/models/gemini-2.5-flash:countTokens")).isEmpty();
        assertThat(ProviderRoute.match("POST", "/v1beta/models/a/b:generateContent")).isEmpty();
        assertThat(ProviderRoute.match("POST", "/v1beta/models/:generateContent")).isEmpty();
    }

    @Test
    void aCutStreamEndsWithAnErrorEventInEachApisFormat() {
        assertThat(ProviderRoute.ANTHROPIC_MESSAGES.streamErrorEvent("tokenledger_stream_timeout", "cut \"now\""))
                .isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"tokenledger_stream_timeout\",\"message\":\"cut \\\"now\\\"\"}}\n\n");
        assertThat(ProviderRoute.OPENAI_CHAT_COMPLETIONS.streamErrorEvent("c", "m"))
                .isEqualTo("data: {\"error\":{\"message\":\"m\",\"type\":\"c\",\"code\":\"c\",\"param\":null}}\n\n");
        assertThat(ProviderRoute.OPENAI_RESPONSES.streamErrorEvent("c", "m"))
                .isEqualTo("event: error\ndata: {\"type\":\"error\",\"code\":\"c\",\"message\":\"m\",\"param\":null}\n\n");
        assertThat(ProviderRoute.GEMINI_STREAM_GENERATE_CONTENT.streamErrorEvent("c", "m"))
                .isEqualTo("data: {\"error\":{\"code\":500,\"message\":\"m\",\"status\":\"c\"}}\n\n");
    }
}
