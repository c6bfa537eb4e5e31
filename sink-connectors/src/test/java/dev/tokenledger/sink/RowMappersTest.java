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
package dev.tokenledger.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMappersTest {

    private static OffsetDateTime utc(String instant) {
        return OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void usageLogRowCarriesEveryFieldOfTheEventAndItsCost() {
        Map<String, Object> row = RowMappers.usageLog(TestData.everyField(), "tokenledger.usage-costed.v1", 3, 42L);

        assertThat(row.keySet()).containsExactlyInAnyOrderElementsOf(WarehouseTables.USAGE_LOG_TABLE.columnNames());
        assertThat(row).containsEntry("event_id", "evt-1")
                .containsEntry("timestamp", utc("2026-03-05T10:15:30.123Z"))
                .containsEntry("kind", "STREAM_TERMINATED")
                .containsEntry("feature_id", "summarize_email_v2")
                .containsEntry("tenant_id", "tenant_acme")
                .containsEntry("user_id", "user_42")
                .containsEntry("plan_tier", "pro")
                .containsEntry("request_id", "req-1")
                .containsEntry("root_request_id", "root-1")
                .containsEntry("parent_request_id", "parent-1")
                .containsEntry("attempt", 2)
                .containsEntry("environment", "staging")
                .containsEntry("provider", "anthropic")
                .containsEntry("model", "claude-sonnet-4-6-20260101")
                .containsEntry("model_requested", "claude-sonnet-4-6")
                .containsEntry("cached_input_tokens", 12000L)
                .containsEntry("input_tokens", 1000L)
                .containsEntry("output_tokens", 300L)
                .containsEntry("reasoning_tokens", 120L)
                .containsEntry("cache_write_5m_tokens", 2000L)
                .containsEntry("cache_write_1h_tokens", 500L)
                .containsEntry("cache_read_tokens", 12000L)
                .containsEntry("other_tokens", 42L)
                .containsEntry("other_tokens_json", "{\"audio_input\":40,\"image_input\":2}")
                .containsEntry("service_tier", "priority")
                .containsEntry("batch", true)
                .containsEntry("region", "eu")
                .containsEntry("latency_ms", 1234L)
                .containsEntry("error", "timeout")
                .containsEntry("reservation_id", "res-9")
                .containsEntry("termination_reason", "BUDGET_CEILING")
                .containsEntry("generated_output_tokens", 300L)
                .containsEntry("usage_source", "COUNTED")
                .containsEntry("tags_json", "{\"exp\":\"b\",\"step\":\"draft\"}")
                .containsEntry("pricing_status", "PRICED")
                .containsEntry("cost_input_usd", Money.of("0.003"))
                .containsEntry("cost_output_usd", Money.of("0.0045"))
                .containsEntry("cost_cache_write_5m_usd", Money.of("0.0075"))
                .containsEntry("cost_cache_write_1h_usd", Money.of("0.003"))
                .containsEntry("cost_cache_read_usd", Money.of("0.0036"))
                .containsEntry("cost_other_usd", Money.of("0.000000123456"))
                .containsEntry("total_cost_usd", Money.of("0.021600123456"))
                .containsEntry("cache_savings_usd", Money.of("0.0324"))
                .containsEntry("other_costs_json",
                        "[{\"token_class\":\"audio_input\",\"tokens\":40,\"rate_per_mtok\":3.086400000000,\"cost_usd\":0.000123456000}]")
                .containsEntry("long_context_applied", true)
                .containsEntry("multiplier", Money.of("1.1"))
                .containsEntry("price_entry_id", "anthropic/claude-sonnet-4-6@2026-01-01")
                .containsEntry("price_effective_from", utc("2026-01-01T00:00:00Z"))
                .containsEntry("price_source_url", "https://www.anthropic.com/pricing")
                .containsEntry("priced_at", utc("2026-03-05T10:15:31Z"))
                .containsEntry("kafka_topic", "tokenledger.usage-costed.v1")
                .containsEntry("kafka_partition", 3)
                .containsEntry("kafka_offset", 42L);
    }

    @Test
    void usageLogRowKeepsNullsForAbsentOptionalTags() {
        Map<String, Object> row = RowMappers.usageLog(TestData.costed("e", Instant.parse("2026-03-01T00:00:00Z"), "f", "t", "free",
                "m", 1, 1, 0, "1", "1", "0.1"), "topic", 0, 0L);
        assertThat(row.get("parent_request_id")).isNull();
        assertThat(row.get("termination_reason")).isNull();
        assertThat(row.get("latency_ms")).isNull();
        assertThat(row.get("error")).isNull();
        assertThat(row.get("price_effective_from")).isNull();
        assertThat(row).containsEntry("other_tokens", 0L).containsEntry("other_tokens_json", "{}").containsEntry("tags_json", "{}")
                .containsEntry("other_costs_json", "[]").containsEntry("environment", "production").containsEntry("attempt", 1);
    }

    @Test
    void spendRollupRowCarriesTheWindowKeyAndEveryTotal() {
        Map<String, Object> row = RowMappers.spendRollup(TestData.spend(SpendDimension.FEATURE_TENANT, "draft_email|acme",
                SpendWindow.DAY, Instant.parse("2026-03-05T00:00:00Z"), Instant.parse("2026-03-06T00:00:00Z"), 10, "1.25",
                Instant.parse("2026-03-05T12:00:00Z")));
        assertThat(row.keySet()).containsExactlyInAnyOrderElementsOf(WarehouseTables.SPEND_ROLLUP_TABLE.columnNames());
        assertThat(row).containsEntry("dimension", "FEATURE_TENANT").containsEntry("dimension_key", "draft_email|acme")
                .containsEntry("window_kind", "DAY").containsEntry("window_start", utc("2026-03-05T00:00:00Z"))
                .containsEntry("window_end", utc("2026-03-06T00:00:00Z")).containsEntry("time_zone", "UTC")
                .containsEntry("input_tokens", 100L).containsEntry("output_tokens", 30L).containsEntry("reasoning_tokens", 10L)
                .containsEntry("cache_write_5m_tokens", 20L).containsEntry("cache_write_1h_tokens", 10L)
                .containsEntry("cache_read_tokens", 70L).containsEntry("other_tokens", 10L)
                .containsEntry("other_tokens_json", "{\"audio_input\":10}")
                .containsEntry("cost_input_usd", Money.of("1.25")).containsEntry("cost_output_usd", Money.ZERO)
                .containsEntry("cost_cache_write_5m_usd", Money.ZERO).containsEntry("cost_cache_write_1h_usd", Money.ZERO)
                .containsEntry("cost_cache_read_usd", Money.ZERO).containsEntry("cost_other_usd", Money.ZERO)
                .containsEntry("total_cost_usd", Money.of("1.25")).containsEntry("cache_savings_usd", Money.of("0.5"))
                .containsEntry("request_count", 10L).containsEntry("error_count", 1L)
                .containsEntry("stream_terminated_count", 2L).containsEntry("unpriced_count", 3L)
                .containsEntry("updated_at", utc("2026-03-05T12:00:00Z"));
    }

    @Test
    void budgetDecisionRowCarriesEveryField() {
        Map<String, Object> row = RowMappers.budgetDecision(TestData.decision("d1", Instant.parse("2026-03-20T08:00:00Z"),
                "FEATURE:draft_email", BudgetStatus.DENY, true, "GENUINE_BREACH", "0.25"));
        assertThat(row.keySet()).containsExactlyInAnyOrderElementsOf(WarehouseTables.BUDGET_DECISIONS_TABLE.columnNames());
        assertThat(row).containsEntry("decision_id", "d1").containsEntry("decided_at", utc("2026-03-20T08:00:00Z"))
                .containsEntry("scope_key", "FEATURE:draft_email").containsEntry("budget_id", "budget-FEATURE:draft_email")
                .containsEntry("feature_id", "draft_email").containsEntry("tenant_id", "tenant_acme")
                .containsEntry("model", "claude-opus-4-5").containsEntry("model_tier", "flagship")
                .containsEntry("decision", "DENY").containsEntry("enforced", true).containsEntry("reason_code", "GENUINE_BREACH")
                .containsEntry("period_start", utc("2026-03-01T00:00:00Z")).containsEntry("period_end", utc("2026-04-01T00:00:00Z"))
                .containsEntry("limit_usd", Money.of("100")).containsEntry("spent_usd", Money.of("99.5"))
                .containsEntry("reserved_usd", Money.of("0.4")).containsEntry("reserve_delta_usd", Money.of("0.25"))
                .containsEntry("request_id", "req-d1").containsEntry("parent_request_id", "parent-d1")
                .containsEntry("root_request_id", "root-d1").containsEntry("reservation_id", "res-d1")
                .containsEntry("source", "gate:g1").containsEntry("message", "Budget FEATURE:draft_email exhausted");
    }

    @Test
    void budgetAlertRowCarriesEveryField() {
        Map<String, Object> row = RowMappers.budgetAlert(TestData.alert("FEATURE:draft_email", 80, Instant.parse("2026-03-18T09:00:00Z")));
        assertThat(row.keySet()).containsExactlyInAnyOrderElementsOf(WarehouseTables.BUDGET_ALERTS_TABLE.columnNames());
        assertThat(row).containsEntry("alert_id", "FEATURE:draft_email|2026-03-01T00:00:00Z|80")
                .containsEntry("raised_at", utc("2026-03-18T09:00:00Z")).containsEntry("scope_key", "FEATURE:draft_email")
                .containsEntry("budget_id", "budget-FEATURE:draft_email").containsEntry("scope", "FEATURE")
                .containsEntry("feature_id", "draft_email").containsEntry("tenant_id", null).containsEntry("threshold_pct", 80)
                .containsEntry("limit_usd", Money.of("100")).containsEntry("spent_usd", new BigDecimal("80").setScale(12))
                .containsEntry("status", "WARN").containsEntry("mode", "ENFORCE")
                .containsEntry("period_start", utc("2026-03-01T00:00:00Z")).containsEntry("period_end", utc("2026-04-01T00:00:00Z"))
                .containsEntry("message", "FEATURE:draft_email crossed 80 %");
    }
}
