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
package dev.tokenledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.registry.RestSchemaRegistryClient;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry server against the real broker, spoken to over HTTP as Confluent clients do. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SchemaRegistryServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Call\",\"namespace\":\"t\",\"fields\":["
            + "{\"name\":\"model\",\"type\":\"string\"}]}";
    private static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"Call\",\"namespace\":\"t\",\"fields\":["
            + "{\"name\":\"model\",\"type\":\"string\"},{\"name\":\"tokens\",\"type\":\"long\",\"default\":0}]}";
    private static final String V3_NO_DEFAULT = "{\"type\":\"record\",\"name\":\"Call\",\"namespace\":\"t\",\"fields\":["
            + "{\"name\":\"model\",\"type\":\"string\"},{\"name\":\"tokens\",\"type\":\"long\",\"default\":0},"
            + "{\"name\":\"tenant\",\"type\":\"string\"}]}";

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.builder().start();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void registersLooksUpAndFetchesByIdThenRejectsAnIncompatibleChangeWith409() throws Exception {
        String subject = "calls-value";
        int id1 = register(subject, V1).path("id").asInt();
        assertThat(id1).isPositive();
        assertThat(register(subject, V1).path("id").asInt()).as("registering again is idempotent").isEqualTo(id1);

        JsonNode found = post("/subjects/" + subject, body(V1));
        assertThat(found.path("subject").asText()).isEqualTo(subject);
        assertThat(found.path("version").asInt()).isEqualTo(1);
        assertThat(found.path("id").asInt()).isEqualTo(id1);
        assertThat(parse(get("/schemas/ids/" + id1).path("schema").asText())).isEqualTo(parse(V1));
        assertThat(parse(getText("/schemas/ids/" + id1 + "/schema"))).isEqualTo(parse(V1));

        int id2 = register(subject, V2_WITH_DEFAULT).path("id").asInt();
        assertThat(id2).isNotEqualTo(id1);
        assertThat(get("/subjects/" + subject + "/versions")).hasSize(2);
        JsonNode latest = get("/subjects/" + subject + "/versions/latest");
        assertThat(latest.path("version").asInt()).isEqualTo(2);
        assertThat(latest.path("id").asInt()).isEqualTo(id2);
        assertThat(get("/subjects/" + subject + "/versions/1").path("id").asInt()).isEqualTo(id1);
        assertThat(get("/subjects")).extracting(JsonNode::asText).contains(subject);

        assertThat(post("/compatibility/subjects/" + subject + "/versions/latest", body(V3_NO_DEFAULT))
                .path("is_compatible").asBoolean()).isFalse();
        HttpResponse<String> incompatible = send("POST", "/subjects/" + subject + "/versions", body(V3_NO_DEFAULT));
        assertThat(incompatible.statusCode()).isEqualTo(409);
        assertThat(errorCode(incompatible)).isEqualTo(409);
        assertThat(JSON.readTree(incompatible.body()).path("message").asText()).contains("incompatible").contains("tenant");
        assertThat(get("/subjects/" + subject + "/versions")).as("nothing registered on 409").hasSize(2);

        // With NONE on this subject the same change is accepted.
        assertThat(put("/config/" + subject, "{\"compatibility\":\"NONE\"}").path("compatibility").asText()).isEqualTo("NONE");
        assertThat(get("/config/" + subject).path("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(get("/config").path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(register(subject, V3_NO_DEFAULT).path("id").asInt()).isGreaterThan(id2);

        // The project's own client reads the same answers.
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(stack.registryUrl(), null);
        assertThat(client.getById(id1)).isEqualTo(parse(V1));
        assertThat(client.getVersion(subject, 2).id()).isEqualTo(id2);
        assertThat(client.versions(subject)).containsExactly(1, 2, 3);
    }

    @Test
    void idsSurviveARegistryRestartAndNewIdsDoNotReuseOldOnes() throws Exception {
        String subject = "restart-value";
        int usageId = register(subject, UsageEvent.getClassSchema().toString()).path("id").asInt();
        int otherSubjectSameSchema = register("restart-copy-value", UsageEvent.getClassSchema().toString()).path("id").asInt();
        assertThat(otherSubjectSameSchema).as("one schema, one id, across subjects").isEqualTo(usageId);

        stack.restartRegistry();

        assertThat(parse(get("/schemas/ids/" + usageId).path("schema").asText())).isEqualTo(UsageEvent.getClassSchema());
        assertThat(post("/subjects/" + subject, body(UsageEvent.getClassSchema().toString())).path("id").asInt()).isEqualTo(usageId);
        assertThat(register(subject, UsageEvent.getClassSchema().toString()).path("id").asInt()).isEqualTo(usageId);
        int fresh = register("restart-other-value", V1.replace("Call", "Other")).path("id").asInt();
        assertThat(fresh).isGreaterThan(usageId);
        assertThat(get("/subjects")).extracting(JsonNode::asText).contains(subject, "restart-copy-value");
    }

    @Test
    void answersConfluentErrorCodes() throws Exception {
        HttpResponse<String> badJson = send("POST", "/subjects/x-value/versions", "{\"schema\": ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(errorCode(badJson)).isEqualTo(400);
        assertThat(badJson.headers().firstValue("Content-Type")).contains("application/vnd.schemaregistry.v1+json");

        HttpResponse<String> unknownSubject = send("GET", "/subjects/no-such-subject/versions", null);
        assertThat(unknownSubject.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknownSubject)).isEqualTo(40401);
        assertThat(errorCode(send("POST", "/subjects/no-such-subject", body(V1)))).isEqualTo(40401);

        register("errors-value", V1);
        assertThat(errorCode(send("GET", "/subjects/errors-value/versions/7", null))).isEqualTo(40402);
        assertThat(errorCode(send("GET", "/subjects/errors-value/versions/zero", null))).isEqualTo(42202);
        assertThat(errorCode(send("POST", "/subjects/errors-value", body(V2_WITH_DEFAULT)))).isEqualTo(40403);
        assertThat(errorCode(send("GET", "/schemas/ids/999999", null))).isEqualTo(40403);

        HttpResponse<String> invalid = send("POST", "/subjects/errors-value/versions", body("{\"type\":\"record\",\"name\":\"X\"}"));
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(errorCode(invalid)).isEqualTo(42201);
        HttpResponse<String> protobuf = send("POST", "/subjects/errors-value/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
        assertThat(errorCode(protobuf)).isEqualTo(42201);
        assertThat(JSON.readTree(protobuf.body()).path("message").asText()).contains("PROTOBUF").contains("AVRO");
        assertThat(errorCode(send("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"))).isEqualTo(42203);

        assertThatThrownBy(() -> new RestSchemaRegistryClient(stack.registryUrl(), null).getLatest("nope-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void deletingASubjectHidesItsVersions() throws Exception {
        register("doomed-value", V1);
        register("doomed-value", V2_WITH_DEFAULT);
        assertThat(JSON.readTree(send("DELETE", "/subjects/doomed-value", null).body())).extracting(JsonNode::asInt).containsExactly(1, 2);
        assertThat(errorCode(send("GET", "/subjects/doomed-value/versions", null))).isEqualTo(40401);
        assertThat(get("/subjects")).extracting(JsonNode::asText).doesNotContain("doomed-value");
        assertThat(errorCode(send("DELETE", "/subjects/doomed-value", null))).isEqualTo(40401);
    }

    @Test
    void concurrentRegistrationsOfOneSchemaGetOneIdAndOneVersion() throws Exception {
        String schema = V1.replace("Call", "Racer");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> ids = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                Callable<Integer> call = () -> {
                    go.await();
                    return register("race-value", schema).path("id").asInt();
                };
                ids.add(pool.submit(call));
            }
            go.countDown();
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> id : ids) {
                distinct.add(id.get(60, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            assertThat(get("/subjects/race-value/versions")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void basicAuthIsEnforcedWhenConfigured() throws Exception {
        try (SchemaRegistryServer secured = SchemaRegistryServer.start(stack.bootstrapServers(), 0, "alice:s3cret")) {
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(secured.url() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(new RestSchemaRegistryClient(secured.url(), "alice:s3cret").subjects()).isNotNull();
            assertThatThrownBy(() -> new RestSchemaRegistryClient(secured.url(), "alice:wrong").subjects())
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
        }
    }

    // ---------------------------------------------------------------- HTTP helpers

    private static String body(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }

    private static JsonNode register(String subject, String schema) throws Exception {
        return post("/subjects/" + subject + "/versions", body(schema));
    }

    private static JsonNode get(String path) throws Exception {
        return ok(send("GET", path, null));
    }

    private static String getText(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode post(String path, String body) throws Exception {
        return ok(send("POST", path, body));
    }

    private static JsonNode put(String path, String body) throws Exception {
        return ok(send("PUT", path, body));
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int errorCode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error_code").asInt();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.registryUrl() + path))
                .header("Accept", "application/vnd.schemaregistry.v1+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
