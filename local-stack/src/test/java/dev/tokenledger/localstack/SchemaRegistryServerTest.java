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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.schemas.registry.AvroCompatibility;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The registry's answers to a store that fails, without a broker (the rest is SchemaRegistryServerIT). */
class SchemaRegistryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "sasl password hunter2 rejected by broker-7";

    /** A store whose every call fails: reads unexpectedly, writes as a store error whose text names the cause. */
    private static final class FailingStore implements SchemaStore {
        private static RuntimeException unexpected() {
            return new IllegalStateException(SECRET);
        }

        private static RuntimeException storeError() {
            return new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                    "Error while registering schema: cannot write to _schemas: " + SECRET);
        }

        @Override
        public String schemaById(int id) {
            throw unexpected();
        }

        @Override
        public List<String> subjects() {
            throw unexpected();
        }

        @Override
        public List<Version> versions(String subject) {
            throw unexpected();
        }

        @Override
        public Version version(String subject, int version) {
            throw unexpected();
        }

        @Override
        public Version lookup(String subject, Schema schema) {
            throw unexpected();
        }

        @Override
        public AvroCompatibility compatibility(String subject) {
            throw unexpected();
        }

        @Override
        public List<String> incompatibilities(String subject, Schema schema, Integer againstVersion) {
            throw unexpected();
        }

        @Override
        public int register(String subject, Schema schema) {
            throw storeError();
        }

        @Override
        public List<Integer> deleteSubject(String subject) {
            throw storeError();
        }

        @Override
        public void setCompatibility(String subject, AvroCompatibility level) {
            throw storeError();
        }

        @Override
        public void close() {
        }
    }

    private static HttpResponse<String> send(SchemaRegistryServer server, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInternalErrorAnswersConfluentsShapeWithAnIdAndNeverTheExceptionText() throws Exception {
        String schema = JSON.createObjectNode().put("schema", "\"string\"").toString();
        try (SchemaRegistryServer server = SchemaRegistryServer.start(new FailingStore(), 0, null)) {
            for (String[] call : new String[][] {{"GET", "/subjects", null}, {"GET", "/schemas/ids/1", null},
                    {"POST", "/subjects/s-value/versions", schema}, {"DELETE", "/subjects/s-value", null}}) {
                HttpResponse<String> failed = send(server, call[0], call[1], call[2]);
                String what = call[0] + " " + call[1];
                assertThat(failed.statusCode()).as(what).isEqualTo(500);
                assertThat(failed.headers().firstValue("Content-Type")).as(what).contains("application/vnd.schemaregistry.v1+json");
                JsonNode body = JSON.readTree(failed.body());
                assertThat(body.path("error_code").asInt()).as(what).isEqualTo(50001);
                assertThat(body.path("message").asText()).as(what).matches("internal error, id [0-9a-f]{8}");
                assertThat(failed.body()).as(what).doesNotContain("hunter2").doesNotContain("Exception");
            }
        }
    }

    @Test
    void unknownPathsAndMethodsAnswer404InConfluentsShape() throws Exception {
        try (SchemaRegistryServer server = SchemaRegistryServer.start(new FailingStore(), 0, null)) {
            HttpResponse<String> unknown = send(server, "GET", "/nope", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).path("message").asText()).isEqualTo("HTTP 404 Not Found: no route for GET /nope");
            HttpResponse<String> wrongMethod = send(server, "PATCH", "/subjects", null);
            assertThat(wrongMethod.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(wrongMethod.body()).path("error_code").asInt()).isEqualTo(404);
            assertThat(send(server, "GET", "/", null).body()).isEqualTo("{}");
        }
    }
}
