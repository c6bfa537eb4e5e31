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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenledger.schemas.registry.AvroCompatibility;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST subset, path by path, over a {@link SchemaStore} (see
 * {@link SchemaRegistryServer} for the list). Every store call runs on a Vert.x worker: a write waits
 * for Kafka. Errors answer Confluent's codes; an unexpected failure answers 500 with error code
 * 50001 and only the id it was logged under.
 */
final class RegistryRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final int BAD_REQUEST = 400;
    private static final int UNPROCESSABLE = 422;

    private final SchemaStore store;

    RegistryRoutes(SchemaStore store) {
        this.store = store;
    }

    /** Adds the registry's routes to {@code router}, after whatever authentication and body handling it already holds. */
    void mount(Router router) {
        router.route("/").handler(ctx -> RegistryJson.respond(ctx, 200, "{}"));
        on(router, HttpMethod.GET, "/subjects", ctx -> RegistryJson.strings(store.subjects()));
        on(router, HttpMethod.POST, "/subjects/:subject", ctx -> RegistryJson.version(store.lookup(subject(ctx), readSchema(ctx))));
        on(router, HttpMethod.DELETE, "/subjects/:subject", ctx -> RegistryJson.numbers(store.deleteSubject(subject(ctx))));
        on(router, HttpMethod.GET, "/subjects/:subject/versions", ctx -> RegistryJson.numbers(
                store.versions(subject(ctx)).stream().map(SchemaStore.Version::version).toList()));
        on(router, HttpMethod.POST, "/subjects/:subject/versions", ctx -> {
            Schema schema = readSchema(ctx);
            return RegistryJson.JSON.createObjectNode().put("id", store.register(subject(ctx), schema)).toString();
        });
        on(router, HttpMethod.GET, "/subjects/:subject/versions/:version", ctx -> RegistryJson.version(
                store.version(subject(ctx), parseVersion(ctx.pathParam("version")))));
        on(router, HttpMethod.GET, "/subjects/:subject/versions/:version/schema", ctx ->
                store.version(subject(ctx), parseVersion(ctx.pathParam("version"))).schema());
        on(router, HttpMethod.GET, "/schemas/ids/:id", ctx -> RegistryJson.JSON.createObjectNode()
                .put("schema", store.schemaById(parseId(ctx.pathParam("id")))).toString());
        on(router, HttpMethod.GET, "/schemas/ids/:id/schema", ctx -> store.schemaById(parseId(ctx.pathParam("id"))));
        on(router, HttpMethod.POST, "/compatibility/subjects/:subject/versions/:version", this::compatibility);
        for (String path : List.of("/config", "/config/:subject")) {
            on(router, HttpMethod.GET, path, ctx -> RegistryJson.JSON.createObjectNode()
                    .put("compatibilityLevel", store.compatibility(ctx.pathParam("subject")).name()).toString());
            on(router, HttpMethod.PUT, path, this::setCompatibility);
        }
        router.route().handler(ctx -> RegistryJson.respond(ctx, 404, RegistryJson.error(404,
                "HTTP 404 Not Found: no route for " + ctx.request().method() + " " + decodedPath(ctx))));
        router.route().failureHandler(this::failure);
    }

    /** A route answering 200 with what {@code answer} returns, run on a worker (unordered: requests run side by side). */
    private static void on(Router router, HttpMethod method, String path, Function<RoutingContext, String> answer) {
        router.route(method, path).blockingHandler(ctx -> RegistryJson.respond(ctx, 200, answer.apply(ctx)), false);
    }

    private String compatibility(RoutingContext ctx) {
        String subject = subject(ctx);
        Schema schema = readSchema(ctx);
        int version = parseVersion(ctx.pathParam("version"));
        List<String> problems = store.incompatibilities(subject, schema, version == -1 ? null : version);
        ObjectNode result = RegistryJson.JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (!problems.isEmpty()) {
            ArrayNode messages = result.putArray("messages");
            problems.forEach(messages::add);
        }
        return result.toString();
    }

    private String setCompatibility(RoutingContext ctx) {
        JsonNode level = readJson(ctx).get("compatibility");
        if (level == null || !level.isTextual()) {
            throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level: the body must be {\"compatibility\": \"BACKWARD\"} (or NONE, FORWARD, FULL, *_TRANSITIVE)");
        }
        AvroCompatibility parsed = AvroCompatibility.parse(level.asText());
        store.setCompatibility(ctx.pathParam("subject"), parsed);
        return RegistryJson.JSON.createObjectNode().put("compatibility", parsed.name()).toString();
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable e = ctx.failure();
        if (e instanceof SchemaRegistryException known && known.httpStatus() > 0 && known.httpStatus() < 500) {
            RegistryJson.respond(ctx, known.httpStatus(), RegistryJson.error(known.errorCode(), RegistryJson.stripCode(known.getMessage())));
        } else if (e == null && ctx.statusCode() < 500) {
            RegistryJson.respond(ctx, ctx.statusCode(), RegistryJson.error(ctx.statusCode(), "HTTP " + ctx.statusCode()));
        } else {
            String errorId = String.format("%08x", ThreadLocalRandom.current().nextInt());
            LOG.error("Schema registry failed on {} {} (error id {})", ctx.request().method(), ctx.request().uri(), errorId, e);
            int code = e instanceof SchemaRegistryException known ? known.errorCode() : SchemaRegistryException.STORE_ERROR;
            RegistryJson.respond(ctx, 500, RegistryJson.internalError(code, errorId));
        }
    }

    // ---------------------------------------------------------------- request parsing

    private static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    private static JsonNode readJson(RoutingContext ctx) {
        RequestBody body = ctx.body();
        Buffer buffer = body == null ? null : body.buffer();
        JsonNode json;
        try {
            json = RegistryJson.JSON.readTree(buffer == null ? new byte[0] : buffer.getBytes());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(BAD_REQUEST, BAD_REQUEST, "Malformed JSON request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json == null || !json.isObject()) {
            throw new SchemaRegistryException(BAD_REQUEST, BAD_REQUEST, "Malformed JSON request body: expected a JSON object");
        }
        return json;
    }

    /** Reads {@code {"schema": "...", "schemaType": "AVRO", "references": []}} and parses the Avro schema. */
    private static Schema readSchema(RoutingContext ctx) {
        JsonNode body = readJson(ctx);
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: schemaType " + type.asText() + " is not supported by the TokenLedger local registry, only AVRO");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: schema references are not supported by the TokenLedger local registry; inline the referenced types");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
            throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: the body must carry the schema as a JSON string in \"schema\"");
        }
        try {
            return KafkaSchemaStore.parse(schema.asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema: " + e);
        }
    }

    private static int parseVersion(String text) {
        if (text.equalsIgnoreCase("latest") || text.equals("-1")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_VERSION,
                "The specified version '" + text + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static String decodedPath(RoutingContext ctx) {
        String raw = ctx.request().path();
        try {
            // keep '+' literal: subjects are path segments, not form fields
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
