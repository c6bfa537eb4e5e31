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

import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.StalePolicy;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live budget panel's event stream: a change reaches an open stream, heartbeats do not, a tenant sees only its scopes. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LiveBudgetsStreamTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aChangedStateReachesAnOpenStreamAndATenantTokenSeesOnlyItsOwnScopes() throws Exception {
        LiveBudgets live = LiveBudgets.fedByCaller();
        live.accept("global", state("global", null, 1, BudgetStatus.ALLOW));
        try (DashboardServer server = DashboardServer.start(new DashboardServer.Options("127.0.0.1", 0, "jdbc:duckdb:", null, null, "ops",
                Map.of("k-acme", "acme")), live)) {
            BlockingQueue<String> all = open(server, "ops");
            BlockingQueue<String> acme = open(server, "k-acme");
            assertThat(next(all)).startsWith("event: snapshot").contains("\"scope_key\":\"global\"");
            assertThat(next(acme)).startsWith("event: snapshot").doesNotContain("\"scope_key\":\"global\"");

            live.accept("tenant:acme", state("tenant:acme", "acme", 1, BudgetStatus.ALLOW));
            live.accept("global", state("global", null, 1, BudgetStatus.ALLOW)); // a heartbeat: same version and status
            live.accept("global", state("global", null, 2, BudgetStatus.DENY));
            assertThat(next(all)).contains("\"scope_key\":\"tenant:acme\"");
            assertThat(next(all)).contains("\"scope_key\":\"global\"").contains("\"status\":\"DENY\"").contains("\"limit_usd\":\"1.000000000000\"");
            assertThat(next(acme)).contains("\"scope_key\":\"tenant:acme\"");
            assertThat(acme.poll(500, TimeUnit.MILLISECONDS)).as("another tenant's or a global scope").isNull();
            assertThat(all.poll(200, TimeUnit.MILLISECONDS)).as("the heartbeat was not passed on").isNull();
        }
    }

    private BlockingQueue<String> open(DashboardServer server, String token) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/budgets/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                StringBuilder event = new StringBuilder();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (event.indexOf("event:") >= 0) {
                            events.add(event.toString());
                        }
                        event.setLength(0);
                    } else {
                        event.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException e) {
                // closed with the server
            }
        });
        t.setDaemon(true);
        t.start();
        return events;
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    private static BudgetState state(String scopeKey, String tenant, long version, BudgetStatus status) {
        Instant now = Instant.now();
        return BudgetState.newBuilder().setScopeKey(scopeKey).setBudgetId(scopeKey)
                .setScope(tenant == null ? BudgetScope.GLOBAL : BudgetScope.TENANT).setFeatureId(null).setTenantId(tenant)
                .setStatus(status).setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.OPEN).setLimitUsd(new BigDecimal("1.000000000000"))
                .setSpentUsd(new BigDecimal("0.250000000000")).setReservedUsd(new BigDecimal("0.000000000000"))
                .setRemainingUsd(new BigDecimal("0.750000000000")).setPeriodStart(now.minusSeconds(3600)).setPeriodEnd(now.plusSeconds(3600))
                .setReasonCode("WITHIN_BUDGET").setVersion(version).setUpdatedAt(now).setHeartbeatAt(now).setLeasedUsd(null)
                .setSafeAllowanceUsd(null).setInputLagMs(null).build();
    }
}
