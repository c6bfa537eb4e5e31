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

/**
 * Validation rules for attribution tags. Identifiers (feature, tenant, plan, request ids) are short
 * machine keys: 1..128 characters of {@code [A-Za-z0-9._:@/-]}. User ids are opaque: 1..256 printable
 * ASCII characters (Anthropic's {@code metadata.user_id} limit); when sent as OpenAI's {@code user}
 * field they must also fit 64 characters (checked where that field is produced).
 */
public final class TagRules {
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_USER_LENGTH = 256;
    public static final int ANTHROPIC_USER_ID_MAX = 256;
    public static final int OPENAI_USER_MAX = 64;
    public static final int MAX_EXTRA_TAGS = 32;

    private TagRules() {
    }

    /** Checks an identifier-like tag; returns it unchanged. */
    public static String identifier(String tag, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidTagException(tag, value, "must not be empty");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidTagException(tag, value, "is " + value.length() + " characters, at most " + MAX_ID_LENGTH + " allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ':' || c == '@' || c == '/';
            if (!ok) {
                throw new InvalidTagException(tag, value, "character " + describe(c) + " at position " + i
                        + " is not allowed; use letters, digits and . _ - : @ /");
            }
        }
        return value;
    }

    /** Checks a user id (before any hashing); returns it unchanged. */
    public static String userId(String tag, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw new InvalidTagException(tag, value, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw new InvalidTagException(tag, value, "is " + value.length() + " characters, at most " + maxLength
                    + " allowed" + (maxLength == OPENAI_USER_MAX ? " for OpenAI's 'user' field (enable user-id hashing: an HMAC is 64 hex chars)" : ""));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidTagException(tag, value, "character " + describe(c) + " at position " + i
                        + " is not allowed; user ids are printable ASCII without spaces");
            }
        }
        return value;
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
