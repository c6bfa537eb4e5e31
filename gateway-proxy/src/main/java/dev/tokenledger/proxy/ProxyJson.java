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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proxy's own answers (a refused tag, a body it cannot size, an unreachable upstream), in the shape
 * both official SDK families read: {@code {"type":"error","error":{"type":...,"message":...}}} is an
 * Anthropic error and carries OpenAI's {@code error.message} / {@code error.type} too. Never carries a
 * prompt, a key or an exception's text.
 */
final class ProxyJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProxyJson() {
    }

    /** An error body; {@code extra} adds fields beside type and message (the header, the rule, an error id). */
    static String error(String type, String message, Map<String, Object> extra) {
        final Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        error.putAll(extra);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "error");
        body.put("error", error);
        return write(body);
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string literal. */
    static String quote(String s) {
        return write(s);
    }
}
