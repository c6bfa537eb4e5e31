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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The registry's answers as Confluent clients read them: {@code application/vnd.schemaregistry.v1+json},
 * a version as {@code {"subject","version","id","schema"}}, and errors as
 * {@code {"error_code": .., "message": ..}} (an internal error carries only the id it was logged under).
 */
final class RegistryJson {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final ObjectMapper JSON = new ObjectMapper();

    private RegistryJson() {
    }

    static String version(SchemaStore.Version version) {
        return JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
                .put("id", version.id()).put("schema", version.schema()).toString();
    }

    static String strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array.toString();
    }

    static String numbers(List<Integer> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array.toString();
    }

    static String error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    /** An internal error: Confluent's shape, with only the id under which it was logged. */
    static String internalError(int code, String errorId) {
        return error(code, "internal error, id " + errorId);
    }

    /** SchemaRegistryException appends " (error_code N)" to its message; the JSON carries the code on its own. */
    static String stripCode(String message) {
        int at = message.lastIndexOf(" (error_code ");
        return at < 0 ? message : message.substring(0, at);
    }

    /** Answers {@code body} (JSON, or a bare schema) with {@code status}. */
    static void respond(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(body);
    }
}
