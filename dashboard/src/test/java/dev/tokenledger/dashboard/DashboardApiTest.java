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

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.sink.Dialect;
import dev.tokenledger.sink.TestWarehouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dashboard's API against a real DuckDB file and a real PostgreSQL schema holding
 * {@link DashboardFixture}: every figure below was worked out by hand from the fixture's rows.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DashboardApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String AT = "at=" + DashboardFixture.AT;
    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void answersEachFigureAsTheWarehouseHasIt(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); DashboardServer server = start(w, null, Map.of())) {
            String base = server.url() + "/api/v1/query/";
            JsonNode summary = get(base + "summary?" + AT, null).body;
            // today = e1 + e2 + e5 (unpriced, 0); yesterday = e3; month = those + e3; last month Nov 1-5 = e6
            assertThat(row(summary, 0, "today_usd")).isEqualTo("0.133456789012");
            assertThat(row(summary, 0, "yesterday_usd")).isEqualTo("1.005000000000");
            assertThat(row(summary, 0, "today_trend")).isEqualTo("-0.8672");
            assertThat(row(summary, 0, "month_usd")).isEqualTo("1.138456789012");
            assertThat(row(summary, 0, "last_month_same_days_usd")).isEqualTo("0.500000000000");
            assertThat(row(summary, 0, "month_trend")).isEqualTo("1.2769");
            assertThat(summary.at("/rows/0/6").asLong()).isEqualTo(3);

            // the default range is the 30 days to 'at' (Nov 6 - Dec 5): e6 is outside
            JsonNode top = get(base + "top_features?" + AT, null).body;
            assertThat(row(top, 0, "feature_id")).isEqualTo("summarize");
            assertThat(row(top, 0, "cost_usd")).isEqualTo("3.005000000000");
            assertThat(row(top, 0, "share_of_spend")).isEqualTo("0.9575");
            assertThat(row(top, 1, "cost_usd")).isEqualTo("0.133456789012");

            JsonNode prod = get(base + "top_features?env=production&" + AT, null).body;
            assertThat(row(prod, 0, "cost_usd")).isEqualTo("1.005000000000");
            JsonNode acme = get(base + "top_features?tenant=acme&from=2026-11-01&to=2026-12-05&" + AT, null).body;
            assertThat(row(acme, 0, "feature_id")).isEqualTo("summarize");
            assertThat(row(acme, 0, "cost_usd")).isEqualTo("2.000000000000");

            JsonNode daily = get(base + "daily_feature?feature=draft_email&from=2026-11-01&" + AT, null).body;
            assertThat(daily.get("rows")).hasSize(2);
            assertThat(row(daily, 0, "day")).isEqualTo("2026-11-04");
            assertThat(row(daily, 1, "cost_usd")).isEqualTo("0.133456789012");

            JsonNode workflow = get(base + "workflow?root=r1&" + AT, null).body;
            assertThat(workflow.get("rows")).hasSize(2);
            assertThat(row(workflow, 1, "parent_request_id")).isEqualTo("r1");
            assertThat(row(workflow, 0, "workflow_cost_usd")).isEqualTo("0.133456789012");

            JsonNode unpriced = get(base + "unpriced?" + AT, null).body;
            assertThat(row(unpriced, 0, "model")).isEqualTo("mystery-1");
            assertThat(unpriced.at("/rows/0/2").asLong()).isEqualTo(1);

            JsonNode denials = get(base + "denials?" + AT, null).body;
            assertThat(row(denials, 0, "reason_code")).isEqualTo("GENUINE_BREACH");
            assertThat(denials.at("/rows/0/3").asLong()).isEqualTo(2);
            assertThat(row(denials, 0, "asked_usd")).isEqualTo("0.030000000000");
            JsonNode overrides = get(base + "overrides?" + AT, null).body;
            assertThat(row(overrides, 0, "message")).contains("maria").contains("launch day");
            assertThat(get(base + "alerts?" + AT, null).body.get("rows")).hasSize(1);

            // 0.133456789012 / 10 users, rounded half-up at the pico-dollar
            JsonNode cpu = get(base + "cost_per_active_user?feature=draft_email&" + AT, null).body;
            assertThat(row(cpu, 0, "cost_per_active_user_usd")).isEqualTo("0.013345678901");
            assertThat(row(cpu, 0, "median_tenant_cost_per_active_user_usd")).isEqualTo("0.013345678901");
            JsonNode margin = get(base + "tenant_margin?tenant=acme&" + AT, null).body;
            // November: $19 - e4's $2; December: $19 - e1 - e2
            assertThat(row(margin, 0, "margin_usd")).isEqualTo("17.000000000000");
            assertThat(row(margin, 1, "margin_usd")).isEqualTo("18.866543210988");
            JsonNode cache = get(base + "cache_savings?feature=draft_email&" + AT, null).body;
            // 3000 read / (1100 input + 3000 read)
            assertThat(row(cache, 0, "cache_hit_rate")).isEqualTo("0.7317");
            assertThat(row(cache, 0, "cache_savings_usd")).isEqualTo("0.002000000000");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyChartDownloadsAsCsvWithTheSameNumbers(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); DashboardServer server = start(w, null, Map.of())) {
            HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/query/top_features?format=csv&"
                    + AT)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
            assertThat(csv.body()).isEqualTo("feature_id,calls,cost_usd,share_of_spend\r\nsummarize,3,3.005000000000,0.9575\r\n"
                    + "draft_email,2,0.133456789012,0.0425\r\n");
            for (String name : DashboardQueries.ALL.keySet()) {
                String extra = name.equals("workflow") ? "&root=r1" : "";
                int status = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/query/" + name + "?format=csv&" + AT + extra))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                assertThat(status).as(name).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTenantTokenSeesOnlyItsTenantAndIsRefusedAnother(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect);
             DashboardServer server = start(w, "ops-secret", Map.of("k-acme", "acme"))) {
            String base = server.url() + "/api/v1/query/";
            assertThat(get(base + "top_tenants?" + AT, null).status).isEqualTo(401);
            assertThat(get(base + "top_tenants?" + AT, "wrong").status).isEqualTo(401);
            JsonNode all = get(base + "top_tenants?from=2026-11-01&" + AT, "ops-secret").body;
            assertThat(all.get("rows")).hasSize(2);

            Answer mine = get(base + "top_tenants?from=2026-11-01&" + AT, "k-acme");
            assertThat(mine.body.get("rows")).hasSize(1);
            assertThat(row(mine.body, 0, "tenant_id")).isEqualTo("acme");
            assertThat(row(mine.body, 0, "cost_usd")).isEqualTo("2.133456789012");
            Answer other = get(base + "top_features?tenant=globex&" + AT, "k-acme");
            assertThat(other.status).isEqualTo(403);
            assertThat(other.body.get("error").asText()).contains("'acme'").contains("'globex'");
            assertThat(get(server.url() + "/api/v1/meta", "k-acme").body.get("tenant").asText()).isEqualTo("acme");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void badFiltersAreRefusedNamingTheFieldAndTheValue(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); DashboardServer server = start(w, null, Map.of())) {
            String base = server.url() + "/api/v1/query/";
            Answer bad = get(base + "summary?from=2026-13-01", null);
            assertThat(bad.status).isEqualTo(400);
            assertThat(bad.body.get("error").asText()).contains("'from'").contains("2026-13-01");
            assertThat(get(base + "summary?feature=a%27b", null).body.get("error").asText()).contains("'feature'").contains("a'b");
            assertThat(get(base + "workflow", null).body.get("error").asText()).contains("'root'");
            assertThat(get(base + "nope", null).body.get("error").asText()).contains("'nope'");
            assertThat(get(base + "summary?from=2026-12-05&to=2026-12-01", null).status).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withoutABrokerTheBudgetPanelSaysSoAndThePagesAreServedFromTheJar(Dialect dialect) throws Exception {
        try (TestWarehouse w = TestWarehouse.create(dialect); DashboardServer server = start(w, null, Map.of())) {
            JsonNode budgets = get(server.url() + "/api/v1/budgets", null).body;
            assertThat(budgets.get("live").asBoolean()).isFalse();
            assertThat(budgets.get("message").asText()).contains("--bootstrap");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
            HttpResponse<String> lib = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/vendor/echarts/echarts.esm.min.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(lib.statusCode()).isEqualTo(200);
            assertThat(lib.body()).contains("export");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/../pom.xml")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private static DashboardServer start(TestWarehouse w, String token, Map<String, String> tenantTokens) throws Exception {
        DashboardFixture.fill(w);
        return DashboardServer.start(new DashboardServer.Options("127.0.0.1", 0, w.url(), w.user(), "", token, tenantTokens),
                null, null, Map.of());
    }

    private Answer get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), MAPPER.readTree(r.body()));
    }

    private static String row(JsonNode table, int row, String column) {
        int i = 0;
        for (JsonNode c : table.get("columns")) {
            if (c.asText().equals(column)) {
                JsonNode v = table.get("rows").get(row).get(i);
                return v.isNull() ? null : v.asText();
            }
            i++;
        }
        throw new AssertionError("no column " + column + " in " + table.get("columns"));
    }
}
