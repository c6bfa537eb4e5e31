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
package dev.tokenledger.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (Confluent SR, Karapace, Redpanda, Apicurio
 * ccompat, TokenLedger's local registry). Ids and schemas are immutable, so they are cached for
 * ever: a serde makes one HTTP call per schema, never one per record. Several comma-separated
 * base URLs are tried in order when one cannot be reached.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baseUrls;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param urls comma-separated base URLs
     * @param basicAuthUserInfo {@code user:password}, or null for no authentication
     */
    public RestSchemaRegistryClient(String urls, String basicAuthUserInfo) {
        this(urls, basicAuthUserInfo, Duration.ofSeconds(30));
    }

    public RestSchemaRegistryClient(String urls, String basicAuthUserInfo, Duration requestTimeout) {
        List<String> parsed = new ArrayList<>();
        for (String url : urls.split(",")) {
            String trimmed = url.trim();
            if (!trimmed.isEmpty()) {
                parsed.add(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("schema.registry.url is empty: give at least one http(s):// URL");
        }
        this.baseUrls = List.copyOf(parsed);
        this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isBlank() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\u0000' + schema;
        Integer cached = idBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema));
        int id = answer.get("id").asInt();
        idBySubjectAndSchema.put(cacheKey, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int getId(String subject, Schema schema) {
        String cacheKey = subject + '\u0000' + schema;
        Integer cached = idBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + enc(subject), schemaBody(schema));
        int id = answer.get("id").asInt();
        idBySubjectAndSchema.put(cacheKey, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
        schemaById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return toRegistered(call("GET", "/subjects/" + enc(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return toRegistered(call("GET", "/subjects/" + enc(subject) + "/versions/" + version, null));
    }

    @Override
    public List<String> subjects() {
        List<String> result = new ArrayList<>();
        call("GET", "/subjects", null).forEach(node -> result.add(node.asText()));
        return result;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> result = new ArrayList<>();
        call("GET", "/subjects/" + enc(subject) + "/versions", null).forEach(node -> result.add(node.asInt()));
        return result;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", schemaBody(schema))
                    .path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public String getCompatibility(String subject) {
        JsonNode answer = call("GET", subject == null ? "/config" : "/config/" + enc(subject), null);
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        return level.asText();
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", subject == null ? "/config" : "/config/" + enc(subject), body.toString());
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        List<Integer> result = new ArrayList<>();
        call("DELETE", "/subjects/" + enc(subject), null).forEach(node -> result.add(node.asInt()));
        return result;
    }

    private RegisteredSchema toRegistered(JsonNode node) {
        int id = node.get("id").asInt();
        Schema schema = schemaById.computeIfAbsent(id, i -> new Schema.Parser().parse(node.get("schema").asText()));
        return new RegisteredSchema(node.get("subject").asText(), node.get("version").asInt(), id, schema);
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String enc(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, String body) {
        IOException lastFailure = null;
        for (String baseUrl : baseUrls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(requestTimeout)
                    .header("Accept", CONTENT_TYPE + ", application/json");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = response.body() == null || response.body().isBlank()
                        ? JSON.createObjectNode() : JSON.readTree(response.body());
                if (response.statusCode() >= 400) {
                    int code = json.path("error_code").asInt(response.statusCode());
                    String message = json.path("message").asText(response.body());
                    throw new SchemaRegistryException(response.statusCode(), code,
                            method + " " + baseUrl + path + " failed: " + message);
                }
                return json;
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(0, SchemaRegistryException.STORE_ERROR, "Interrupted calling " + baseUrl + path, e);
            }
        }
        throw new SchemaRegistryException(0, SchemaRegistryException.STORE_ERROR,
                "Cannot reach the schema registry at " + baseUrls + " (" + method + " " + path + "): " + lastFailure, lastFailure);
    }
}
