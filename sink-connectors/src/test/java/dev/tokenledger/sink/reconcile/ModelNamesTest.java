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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.TestWarehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one model-name rule, in Java and as the SQL the reconciliation views run on DuckDB and PostgreSQL. */
class ModelNamesTest {
    /** Id as a ledger or a report spells it -> the family both are compared under. */
    static final Map<String, String> CASES = new LinkedHashMap<>();

    static {
        CASES.put("claude-sonnet-4-5-20250929", "claude-sonnet-4-5");
        CASES.put("claude-sonnet-4-5", "claude-sonnet-4-5");
        CASES.put("Claude-Opus-4-5 ", "claude-opus-4-5");
        CASES.put("anthropic/claude-haiku-4-5-20251001", "claude-haiku-4-5");
        CASES.put("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet");
        CASES.put("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku");
        CASES.put("claude-sonnet-4-5@20250929", "claude-sonnet-4-5");
        CASES.put("claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet-v2");
        CASES.put("gpt-4o-2024-08-06", "gpt-4o");
        CASES.put("gpt-4o", "gpt-4o");
        CASES.put("openai/gpt-4o-mini-2024-07-18", "gpt-4o-mini");
        CASES.put("o3-2025-04-16", "o3");
        CASES.put("gpt-4.1", "gpt-4.1");
        CASES.put("models/gemini-2.5-flash", "gemini-2.5-flash");
        CASES.put("publishers/google/models/gemini-2.0-flash-001", "gemini-2.0-flash");
        CASES.put("gemini-2.0-flash-lite-001", "gemini-2.0-flash-lite");
        CASES.put("gemini-1.5-pro-latest", "gemini-1.5-pro");
        // preview dates are other models, not versions of one: kept
        CASES.put("gemini-2.5-flash-preview-05-20", "gemini-2.5-flash-preview-05-20");
        CASES.put("(no model)", "(no model)");
        CASES.put("Image models", "image models");
    }

    @Test
    void datedPrefixedAndVersionedIdsNameTheirFamily() {
        CASES.forEach((id, family) -> assertThat(ModelNames.normalise(id)).as(id).isEqualTo(family));
        assertThat(ModelNames.normalise(null)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theSqlFormIsTheSameRule(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); Connection c = w.connect();
             PreparedStatement ps = c.prepareStatement("SELECT " + ModelNames.sql("CAST(? AS VARCHAR)"))) {
            for (Map.Entry<String, String> e : CASES.entrySet()) {
                ps.setString(1, e.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as(dialect + " " + e.getKey()).isEqualTo(e.getValue());
                }
            }
        }
    }
}
