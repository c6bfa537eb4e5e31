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
package dev.tokenledger.agent.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Shared Jackson reader and strict field accessors whose errors name the API, field and value. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode parse(String api, String json) {
        if (json == null || json.isBlank()) {
            throw new UsageExtractionException(api + ": empty response body, expected a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new UsageExtractionException(api + ": expected a JSON object, got " + snippet(json));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UsageExtractionException(api + ": response is not valid JSON (" + e.getOriginalMessage()
                    + "): " + snippet(json), e);
        }
    }

    /** A non-negative integer field; 0 when absent or null. */
    static long count(String api, JsonNode parent, String field) {
        if (parent == null) {
            return 0;
        }
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return 0;
        }
        if (!v.canConvertToExactIntegral() && !v.isIntegralNumber()) {
            throw new UsageExtractionException(api + ": usage field '" + field + "' must be a whole number, got " + v);
        }
        long value = v.asLong();
        if (value < 0) {
            throw new UsageExtractionException(api + ": usage field '" + field + "' must not be negative, got " + value);
        }
        return value;
    }

    /** Whether the field is present with a value. */
    static boolean has(JsonNode parent, String field) {
        if (parent == null) {
            return false;
        }
        JsonNode v = parent.get(field);
        return v != null && !v.isNull() && !v.isMissingNode();
    }

    static String text(JsonNode parent, String field) {
        if (parent == null) {
            return null;
        }
        JsonNode v = parent.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    static JsonNode object(String api, JsonNode parent, String field, boolean required) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new UsageExtractionException(api + ": response has no '" + field + "' block; the provider"
                        + " always returns one on success, so this is not a successful response: " + snippet(String.valueOf(parent)));
            }
            return null;
        }
        if (!v.isObject()) {
            throw new UsageExtractionException(api + ": '" + field + "' must be an object, got " + snippet(v.toString()));
        }
        return v;
    }

    /** Subtracts a subset from its total, refusing an inconsistent response. */
    static long minus(String api, String totalField, long total, String partField, long part) {
        if (part > total) {
            throw new UsageExtractionException(api + ": '" + partField + "' = " + part + " is larger than '" + totalField
                    + "' = " + total + ", but it is documented as a subset of it");
        }
        return total - part;
    }

    static String snippet(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
