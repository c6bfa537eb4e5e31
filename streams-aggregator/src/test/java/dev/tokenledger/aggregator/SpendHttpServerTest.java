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
package dev.tokenledger.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendWindow;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.Test;

/** Routing, auth and error answers of the query server (store reads are covered with the topology tests and the IT). */
class SpendHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConfiguredBearerTokenIsRequired() throws Exception {
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, "s3cret",
                new SpendWindows(ZoneId.of("UTC")))) {
            assertThat(get(server.port(), "/health", null).statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "/health", "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(server.port(), "/health", "s3cret");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"state\":\"STARTING\"");
        }
    }

    @Test
    void badQueriesSayWhatWasWrong() throws Exception {
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, null,
                new SpendWindows(ZoneId.of("UTC")))) {
            HttpResponse<String> dim = get(server.port(), "/v1/spend/planet/mars?window=DAY", null);
            assertThat(dim.statusCode()).isEqualTo(400);
            assertThat(dim.body()).contains("unknown dimension 'planet'");
            HttpResponse<String> window = get(server.port(), "/v1/spend/feature/chat?window=WEEK", null);
            assertThat(window.statusCode()).isEqualTo(400);
            assertThat(window.body()).contains("unknown window 'WEEK'");
            HttpResponse<String> starting = get(server.port(), "/v1/spend/feature/chat?window=DAY", null);
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(get(server.port(), "/nope", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTenantTokenReadsOnlyItsOwnTenantsFigures() throws Exception {
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, "admin",
                Map.of("acme-key", "acme"), new SpendWindows(ZoneId.of("UTC")))) {
            int port = server.port();
            // allowed: the request passes the scope check and reaches the (still starting) stores
            assertThat(get(port, "/v1/spend/tenant/acme?window=DAY", "acme-key").statusCode()).isEqualTo(503);
            assertThat(get(port, "/v1/spend/feature_tenant/draft_email/acme", "acme-key").statusCode()).isEqualTo(503);
            assertThat(get(port, "/v1/spend/tenant_user/acme/u-17", "acme-key").statusCode()).isEqualTo(503);
            assertThat(get(port, "/v1/top/tenant_user?n=5", "acme-key").statusCode()).isEqualTo(503);
            // refused: another tenant, or figures that mix every tenant's spend
            HttpResponse<String> other = get(port, "/v1/spend/tenant/globex", "acme-key");
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(other.body()).contains("scoped to tenant 'acme'").contains("of tenant 'globex'");
            assertThat(get(port, "/v1/spend/feature_tenant/draft_email/globex", "acme-key").statusCode()).isEqualTo(403);
            HttpResponse<String> feature = get(port, "/v1/spend/feature/draft_email", "acme-key");
            assertThat(feature.statusCode()).isEqualTo(403);
            assertThat(feature.body()).contains("not feature figures");
            assertThat(get(port, "/v1/top/feature", "acme-key").statusCode()).isEqualTo(403);
            assertThat(get(port, "/v1/top/tenant_user?tenant=globex", "acme-key").statusCode()).isEqualTo(403);
            assertThat(get(port, "/v1/workflows/root-1", "acme-key").statusCode()).isEqualTo(403);
            // the full-access token still reads everything; an unknown token reads nothing
            assertThat(get(port, "/v1/spend/feature/draft_email", "admin").statusCode()).isEqualTo(503);
            assertThat(get(port, "/v1/spend/tenant/acme", "globex-key").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aTenantFilterOnlyAppliesToTenantDimensions() throws Exception {
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, null,
                new SpendWindows(ZoneId.of("UTC")))) {
            HttpResponse<String> bad = get(server.port(), "/v1/top/feature?tenant=acme", null);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("tenant = 'acme' filters only the tenant dimensions");
        }
    }

    @Test
    void withoutTheTailDimensionsTheirQueriesNameTheWarehouse() throws Exception {
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, null,
                new SpendWindows(ZoneId.of("UTC"))).keepsTailDimensions(false)) {
            for (String path : new String[] {"/v1/workflows/root-1", "/v1/spend/root_request/root-1", "/v1/top/tenant_user"}) {
                HttpResponse<String> answer = get(server.port(), path, null);
                assertThat(answer.statusCode()).as(path).isEqualTo(404);
                assertThat(answer.body()).as(path).contains("spend.tail.dimensions=false").contains("warehouse");
            }
            assertThat(get(server.port(), "/v1/workflows/root-1", null).body()).contains("v_workflow_cost");
        }
    }

    @Test
    void anInternalErrorAnswersAnIdAndNeverTheExceptionText() throws Exception {
        Function<SpendWindow, ReadOnlyWindowStore<String, SpendAggregate>> broken = window -> {
            throw new IllegalStateException("disk /var/secret/rocksdb is on fire");
        };
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, null, Map.of(),
                new SpendWindows(ZoneId.of("UTC")), broken)) {
            for (String path : new String[] {"/v1/spend/feature/chat?local=true", "/v1/top/feature?local=true",
                    "/v1/workflows/root-1?local=true"}) {
                HttpResponse<String> failed = get(server.port(), path, null);
                assertThat(failed.statusCode()).as(path).isEqualTo(500);
                assertThat(failed.body()).as(path).matches("\\{\"error\":\"internal error\",\"error_id\":\"[0-9a-f]{8}\"}")
                        .doesNotContain("fire").doesNotContain("IllegalStateException");
            }
        }
    }

    @Test
    void closeFreesThePortAndTheThreads() throws Exception {
        int port;
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, null,
                new SpendWindows(ZoneId.of("UTC")))) {
            port = server.port();
            assertThat(get(port, "/health", null).statusCode()).isEqualTo(200);
        }
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("vert.x-")));
    }

    @Test
    void onlyGetIsAnsweredAndOnlyAfterTheTokenCheck() throws Exception {
        try (SpendHttpServer server = new SpendHttpServer("127.0.0.1", "127.0.0.1", 0, "s3cret",
                new SpendWindows(ZoneId.of("UTC")))) {
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            assertThat(http.send(post.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> refused = http.send(post.header("Authorization", "Bearer s3cret").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(405);
            assertThat(refused.body()).isEqualTo("{\"error\":\"only GET is supported\"}");
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/json");
        }
    }
}
