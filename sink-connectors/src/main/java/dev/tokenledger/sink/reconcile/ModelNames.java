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
package dev.tokenledger.sink.reconcile;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which model does a line of a provider's report and a call in the ledger both mean? The ledger stores the model
 * as the provider answered it ({@code claude-sonnet-4-5-20250929}, {@code gpt-4o-2024-08-06}), reports may name
 * the undated alias ({@code claude-sonnet-4-5}, {@code gpt-4o}) or a prefixed id ({@code anthropic/...},
 * {@code models/gemini-2.5-flash}, Bedrock's {@code us.anthropic.claude-...-v1:0}, Vertex's {@code ...@20250929}).
 * Both sides are compared under one family name: lower case, then the rules below in order, each removing one
 * decoration when present.
 *
 * <p>The rule exists once, as {@link #RULES}; {@link #normalise} applies it in Java and {@link #sql} renders the
 * same regular expressions as nested {@code REGEXP_REPLACE} calls for the reconciliation views (the patterns use
 * only syntax PostgreSQL's and DuckDB's (RE2) engines read alike: classes, anchors, counted repeats). Calls of two
 * dated versions of one model on one day are compared together against the report's lines for that family.
 */
public final class ModelNames {
    /** One decoration the rule removes: its regular expression and an example of what it matches. */
    record Rule(String regex, String why) {
        Pattern pattern() {
            return Pattern.compile(regex);
        }
    }

    /** Applied in this order to the lower-cased, trimmed id; each replaces its match with nothing. */
    static final List<Rule> RULES = List.of(
            new Rule("^.*/", "a path or provider prefix: anthropic/, openai/, models/, publishers/google/models/"),
            new Rule("^([a-z]{2,4}[.])?anthropic[.]", "Bedrock's vendor prefix, with its cross-region one: us.anthropic."),
            new Rule("-v[0-9]+:[0-9]+$", "Bedrock's version suffix: -v1:0"),
            new Rule("@[^@]*$", "Vertex AI's version suffix: @20250929, @001"),
            new Rule("-[0-9]{8}$", "Anthropic's date suffix: -20250929"),
            new Rule("-[0-9]{4}-[0-9]{2}-[0-9]{2}$", "OpenAI's date suffix: -2024-08-06"),
            new Rule("-[0-9]{3}$", "Google's version suffix: -001"),
            new Rule("-latest$", "a moving alias: -latest"));

    private static final List<Pattern> PATTERNS = RULES.stream().map(Rule::pattern).toList();

    private ModelNames() {
    }

    /** The family name both sides are compared under; null stays null. */
    public static String normalise(String model) {
        if (model == null) {
            return null;
        }
        String m = model.trim().toLowerCase(Locale.ROOT);
        for (Pattern p : PATTERNS) {
            m = p.matcher(m).replaceFirst("");
        }
        return m;
    }

    /** The same rule as a SQL expression over {@code column} (PostgreSQL and DuckDB). */
    public static String sql(String column) {
        String expr = "LOWER(TRIM(" + column + "))";
        for (Rule r : RULES) {
            expr = "REGEXP_REPLACE(" + expr + ", '" + r.regex() + "', '')";
        }
        return expr;
    }
}
