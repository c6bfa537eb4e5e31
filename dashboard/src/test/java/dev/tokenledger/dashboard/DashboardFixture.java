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
package dev.tokenledger.dashboard;

import dev.tokenledger.sink.TestWarehouse;
import dev.tokenledger.sink.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A small warehouse whose every figure is worked out by hand in the tests: six calls over two months,
 * three tenants' worth of tags, an unpriced model, a workflow of a call and its sub-call, budget
 * alerts, denials and an override, active users and plan prices. "Now" is {@link #AT}.
 */
final class DashboardFixture {
    static final String AT = "2026-12-05T12:00:00Z";

    private DashboardFixture() {
    }

    static void fill(TestWarehouse w) throws SQLException {
        try (Connection c = w.connect()) {
            Warehouse.init(c, w.dialect(), true);
            try (Statement s = c.createStatement()) {
                String cols = "INSERT INTO usage_log (event_id, timestamp, kind, feature_id, tenant_id, user_id, plan_tier, request_id, "
                        + "root_request_id, parent_request_id, attempt, environment, provider, model, input_tokens, output_tokens, "
                        + "reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_cost_usd, "
                        + "cache_savings_usd, pricing_status) VALUES ";
                s.execute(cols + "('e1', TIMESTAMPTZ '2026-12-05 09:00:00+00', 'COMPLETED', 'draft_email', 'acme', 'u1', 'pro', 'r1', "
                        + "'r1', NULL, 1, 'production', 'anthropic', 'claude-sonnet-5-5', 1000, 200, 50, 0, 0, 0, 0.123456789012, 0, 'PRICED')");
                s.execute(cols + "('e2', TIMESTAMPTZ '2026-12-05 09:00:01+00', 'COMPLETED', 'draft_email', 'acme', 'u1', 'pro', 'r1.a', "
                        + "'r1', 'r1', 1, 'production', 'anthropic', 'claude-haiku-5-5', 100, 20, 0, 0, 0, 3000, 0.010000000000, "
                        + "0.002000000000, 'PRICED')");
                s.execute(cols + "('e3', TIMESTAMPTZ '2026-12-04 10:00:00+00', 'COMPLETED', 'summarize', 'globex', 'u2', 'free', 'r3', "
                        + "'r3', NULL, 1, 'production', 'openai', 'gpt-6.2-sol', 5000, 500, 0, 0, 0, 0, 1.005000000000, 0, 'PRICED')");
                s.execute(cols + "('e4', TIMESTAMPTZ '2026-11-20 10:00:00+00', 'COMPLETED', 'summarize', 'acme', 'u1', 'pro', 'r4', "
                        + "'r4', NULL, 1, 'staging', 'openai', 'gpt-6.2-sol', 9000, 900, 0, 0, 0, 0, 2.000000000000, 0, 'PRICED')");
                s.execute(cols + "('e5', TIMESTAMPTZ '2026-12-05 10:00:00+00', 'COMPLETED', 'summarize', 'globex', 'u3', 'free', 'r5', "
                        + "'r5', NULL, 1, 'production', 'openai', 'mystery-1', 700, 70, 0, 0, 0, 0, 0, 0, 'UNPRICED')");
                s.execute(cols + "('e6', TIMESTAMPTZ '2026-11-04 10:00:00+00', 'COMPLETED', 'draft_email', 'globex', 'u2', 'free', 'r6', "
                        + "'r6', NULL, 1, 'production', 'anthropic', 'claude-sonnet-5-5', 100, 10, 0, 0, 0, 0, 0.500000000000, 0, 'PRICED')");
                String decision = "INSERT INTO budget_decisions (decision_id, decided_at, scope_key, budget_id, feature_id, tenant_id, "
                        + "decision, enforced, reason_code, limit_usd, reserve_delta_usd, source, message) VALUES ";
                s.execute(decision + "('d1', TIMESTAMPTZ '2026-12-05 11:00:00+00', 'feature:draft_email', 'feature:draft_email', "
                        + "'draft_email', 'acme', 'DENY', TRUE, 'GENUINE_BREACH', 1, 0.010000000000, 'gate:g1', 'over')");
                s.execute(decision + "('d2', TIMESTAMPTZ '2026-12-05 11:00:01+00', 'feature:draft_email', 'feature:draft_email', "
                        + "'draft_email', 'globex', 'DENY', TRUE, 'GENUINE_BREACH', 1, 0.020000000000, 'gate:g1', 'over')");
                s.execute(decision + "('d3', TIMESTAMPTZ '2026-12-05 11:00:02+00', 'feature:draft_email', 'feature:draft_email', "
                        + "'draft_email', 'acme', 'DENY', TRUE, 'REMAINDER_TOO_SMALL', 1, 0.030000000000, 'gate:g1', 'small')");
                s.execute(decision + "('d4', TIMESTAMPTZ '2026-12-05 08:00:00+00', 'feature:draft_email', 'feature:draft_email', "
                        + "'draft_email', NULL, 'ALLOW', TRUE, 'OVERRIDE_APPLIED', 5, 0, 'enforcer', "
                        + "'Override by maria until 2026-12-05T18:00:00Z (launch day): limit $5.00')");
                s.execute("INSERT INTO budget_alerts (alert_id, raised_at, scope_key, budget_id, scope, feature_id, threshold_pct, "
                        + "limit_usd, spent_usd, status, mode, message) VALUES ('a1', TIMESTAMPTZ '2026-12-05 10:30:00+00', "
                        + "'feature:draft_email', 'feature:draft_email', 'FEATURE', 'draft_email', 80, 1, 0.800000000000, 'WARN', "
                        + "'ENFORCE', '80 %')");
                s.execute("INSERT INTO product_active_users (month, feature_id, tenant_id, plan_tier, active_users) VALUES "
                        + "(DATE '2026-12-01', 'draft_email', 'acme', 'pro', 10), (DATE '2026-12-01', 'summarize', 'globex', 'free', 4)");
                s.execute("INSERT INTO plan_prices (plan_tier, monthly_price_usd) VALUES ('pro', 19), ('free', 0)");
            }
            // the rows went in behind the sink's back: usage_daily is rebuilt from them as auto.create does on an existing warehouse
            Warehouse.init(c, w.dialect(), true);
        }
    }
}
