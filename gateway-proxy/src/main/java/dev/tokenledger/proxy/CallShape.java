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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What the proxy needs to know of a request body before it dispatches it: the model asked for, whether the
 * answer is a stream, the output cap the caller set, and an upper bound of its input tokens. The input
 * bound is the body's size in bytes: every token a provider counts decodes to at least one byte of the
 * text, image data or JSON that carried it, so no request has more input tokens than body bytes. It sizes
 * the budget hold only (generously: about 4x the real count for English text) and is never billed; usage
 * always comes from the provider's answer. An image or file passed by URL (not inline) is not in the body,
 * so such a call can cost more input than the bound, and the hold is then too small by that much.
 *
 * @param model            the model the caller asked for (the body's {@code model}, or the Gemini path's)
 * @param stream           the answer is an SSE stream
 * @param maxOutputTokens  the caller's output cap (or the configured default when it set none) times the choices asked
 *                         for (OpenAI {@code n}, Gemini {@code generationConfig.candidateCount}; 1 when unset): each
 *                         choice may use the whole cap and every one is billed
 * @param inputTokensBound upper bound of the input tokens (the body's byte length)
 */
public record CallShape(String model, boolean stream, long maxOutputTokens, long inputTokensBound) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A body the proxy cannot size: answered 400 naming the field. */
    public static final class BadBodyException extends IllegalArgumentException {
        private final String field;

        BadBodyException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * Reads {@code body} of a call on {@code route}.
     *
     * @param pathModel        the model in a Gemini path, else null
     * @param defaultMaxOutput output tokens assumed when the body sets no cap
     * @throws BadBodyException not a JSON object, no model, or a cap or choice count that is not a positive integer
     */
    public static CallShape of(ProviderRoute route, String pathModel, byte[] body, long defaultMaxOutput) {
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadBodyException("body", "The request body is not JSON: the proxy reads the model and the output cap from it.");
        }
        if (root == null || !root.isObject()) {
            throw new BadBodyException("body", "The request body must be a JSON object.");
        }
        final String model = pathModel != null ? pathModel : text(root, "model");
        if (model == null || model.isBlank()) {
            throw new BadBodyException("model", "The request names no model: 'model' is missing from the body.");
        }
        final Long cap = switch (route) {
            case ANTHROPIC_MESSAGES -> cap(root, "max_tokens");
            case OPENAI_CHAT_COMPLETIONS -> first(cap(root, "max_completion_tokens"), cap(root, "max_tokens"));
            case OPENAI_RESPONSES -> cap(root, "max_output_tokens");
            case GEMINI_GENERATE_CONTENT, GEMINI_STREAM_GENERATE_CONTENT -> capAt(root.path("generationConfig"), "maxOutputTokens",
                    "generationConfig.maxOutputTokens");
        };
        // each of n choices (OpenAI chat) / candidateCount candidates (Gemini) may use the whole cap, and all are billed
        final Long choices = switch (route) {
            case OPENAI_CHAT_COMPLETIONS -> cap(root, "n");
            case GEMINI_GENERATE_CONTENT, GEMINI_STREAM_GENERATE_CONTENT -> capAt(root.path("generationConfig"), "candidateCount",
                    "generationConfig.candidateCount");
            case ANTHROPIC_MESSAGES, OPENAI_RESPONSES -> null;
        };
        final boolean stream = route == ProviderRoute.GEMINI_STREAM_GENERATE_CONTENT || root.path("stream").asBoolean(false);
        final long perChoice = cap != null ? cap : defaultMaxOutput;
        final long maxOutput;
        try {
            maxOutput = Math.multiplyExact(perChoice, choices != null ? choices : 1L);
        } catch (ArithmeticException e) {
            throw new BadBodyException(route == ProviderRoute.OPENAI_CHAT_COMPLETIONS ? "n" : "generationConfig.candidateCount",
                    "The output cap (" + perChoice + ") times the number of choices (" + choices + ") does not fit a 64-bit count.");
        }
        return new CallShape(model, stream, maxOutput, body.length);
    }

    private static String text(JsonNode root, String field) {
        final JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadBodyException(field, "'" + field + "' must be a string, got " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ".");
        }
        return n.asText();
    }

    private static Long cap(JsonNode root, String field) {
        return capAt(root, field, field);
    }

    private static Long capAt(JsonNode parent, String field, String name) {
        final JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToExactIntegral() || n.asLong() <= 0) {
            throw new BadBodyException(name, "'" + name + "' must be a positive integer, got " + n + ".");
        }
        return n.asLong();
    }

    private static Long first(Long a, Long b) {
        return a != null ? a : b;
    }
}
