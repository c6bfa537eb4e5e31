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

import dev.tokenledger.agent.usage.ProviderApi;
import java.util.Optional;

/**
 * Which provider API a request is for, from its method and path: the routes the proxy meters, each with
 * the upstream it goes to, the API whose usage blocks the agent reads, and how that API asks for a stream
 * and reports an error inside one. Anything else is answered 404 without going upstream, so no call can
 * bypass the tags and the budget by using a path the proxy does not know.
 */
public enum ProviderRoute {
    /** Anthropic Messages, {@code POST /v1/messages} ({@code "stream": true} for SSE). */
    ANTHROPIC_MESSAGES(ProviderApi.ANTHROPIC_MESSAGES, ProxyConfig.UPSTREAM_ANTHROPIC_CONFIG),
    /** OpenAI Chat Completions, {@code POST /v1/chat/completions}. */
    OPENAI_CHAT_COMPLETIONS(ProviderApi.OPENAI_CHAT_COMPLETIONS, ProxyConfig.UPSTREAM_OPENAI_CONFIG),
    /** OpenAI Responses, {@code POST /v1/responses}. */
    OPENAI_RESPONSES(ProviderApi.OPENAI_RESPONSES, ProxyConfig.UPSTREAM_OPENAI_CONFIG),
    /** Gemini {@code POST /v1beta/models/{model}:generateContent} (also under {@code /v1/}). */
    GEMINI_GENERATE_CONTENT(ProviderApi.GEMINI_GENERATE_CONTENT, ProxyConfig.UPSTREAM_GOOGLE_CONFIG),
    /** Gemini {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse}: always a stream. */
    GEMINI_STREAM_GENERATE_CONTENT(ProviderApi.GEMINI_GENERATE_CONTENT, ProxyConfig.UPSTREAM_GOOGLE_CONFIG);

    private static final String GEMINI_MODELS_V1BETA = "/v1beta/models/";
    private static final String GEMINI_MODELS_V1 = "/v1/models/";

    private final ProviderApi api;
    private final String upstreamKey;

    ProviderRoute(ProviderApi api, String upstreamKey) {
        this.api = api;
        this.upstreamKey = upstreamKey;
    }

    /** A matched request: the route and, for Gemini, the model named in the path. */
    public record Match(ProviderRoute route, String pathModel) {
    }

    /** The route of {@code method} {@code path} (no query string), if the proxy meters it. */
    public static Optional<Match> match(String method, String path) {
        if (!"POST".equals(method) || path == null) {
            return Optional.empty();
        }
        switch (path) {
            case "/v1/messages":
                return Optional.of(new Match(ANTHROPIC_MESSAGES, null));
            case "/v1/chat/completions":
                return Optional.of(new Match(OPENAI_CHAT_COMPLETIONS, null));
            case "/v1/responses":
                return Optional.of(new Match(OPENAI_RESPONSES, null));
            default:
                break;
        }
        final String rest = path.startsWith(GEMINI_MODELS_V1BETA) ? path.substring(GEMINI_MODELS_V1BETA.length())
                : path.startsWith(GEMINI_MODELS_V1) ? path.substring(GEMINI_MODELS_V1.length()) : null;
        if (rest == null) {
            return Optional.empty();
        }
        final int colon = rest.lastIndexOf(':');
        if (colon <= 0 || rest.substring(0, colon).contains("/")) {
            return Optional.empty();
        }
        final String model = rest.substring(0, colon);
        return switch (rest.substring(colon + 1)) {
            case "generateContent" -> Optional.of(new Match(GEMINI_GENERATE_CONTENT, model));
            case "streamGenerateContent" -> Optional.of(new Match(GEMINI_STREAM_GENERATE_CONTENT, model));
            default -> Optional.empty();
        };
    }

    public ProviderApi api() {
        return api;
    }

    /** The provider name of usage events and of the price catalog (anthropic, openai, google). */
    public String provider() {
        return api.provider();
    }

    /** The {@link ProxyConfig} key of this route's upstream base URL. */
    public String upstreamKey() {
        return upstreamKey;
    }

    /**
     * A well-formed error event in this API's stream format, which the official SDKs raise as an error
     * when they read it: how a cut stream ends for the client.
     */
    public String streamErrorEvent(String code, String message) {
        final String msg = ProxyJson.quote(message);
        final String c = ProxyJson.quote(code);
        return switch (this) {
            case ANTHROPIC_MESSAGES -> "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":" + c + ",\"message\":" + msg + "}}\n\n";
            case OPENAI_CHAT_COMPLETIONS -> "data: {\"error\":{\"message\":" + msg + ",\"type\":" + c + ",\"code\":" + c + ",\"param\":null}}\n\n";
            case OPENAI_RESPONSES -> "event: error\ndata: {\"type\":\"error\",\"code\":" + c + ",\"message\":" + msg + ",\"param\":null}\n\n";
            case GEMINI_GENERATE_CONTENT, GEMINI_STREAM_GENERATE_CONTENT ->
                    "data: {\"error\":{\"code\":500,\"message\":" + msg + ",\"status\":" + c + "}}\n\n";
        };
    }
}
