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
 * A tag given to {@link Attribution} (or to a provider field derived from it) is missing, too long or
 * uses characters that are not allowed. The message names the tag, the offending value and the rule.
 */
public class InvalidTagException extends IllegalArgumentException {
    private final String tag;
    private final String value;
    private final String rule;

    public InvalidTagException(String tag, String value, String rule) {
        super("Invalid tag '" + tag + "' = " + quote(value) + ": " + rule);
        this.tag = tag;
        this.value = value;
        this.rule = rule;
    }

    public String tag() {
        return tag;
    }

    public String value() {
        return value;
    }

    /** The rule the value broke, e.g. "is 300 characters, at most 128 allowed". */
    public String rule() {
        return rule;
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "...(" + value.length() + " chars)" : value;
        return "'" + shown + "'";
    }
}
