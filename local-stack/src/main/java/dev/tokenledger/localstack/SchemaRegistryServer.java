package dev.tokenledger.localstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenledger.schemas.registry.AvroCompatibility;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the subset of the Confluent Schema Registry REST API that serdes and
 * tools use, so that any Confluent-style client (Java, kafkajs, confluent-kafka-python ...)
 * works against the local stack:
 *
 * <pre>
 * POST   /subjects/{s}/versions                  register      → {"id":N}
 * POST   /subjects/{s}                           lookup        → {"subject","version","id","schema"}
 * GET    /subjects                               subjects
 * GET    /subjects/{s}/versions                  version numbers
 * GET    /subjects/{s}/versions/{v|latest}       one version   (…/schema: the bare schema)
 * DELETE /subjects/{s}                           soft delete   → [versions]
 * GET    /schemas/ids/{id}                       {"schema"}    (…/schema: the bare schema)
 * POST   /compatibility/subjects/{s}/versions/{v|latest}       → {"is_compatible":bool}
 * GET|PUT /config, /config/{s}                   compatibility level (BACKWARD by default)
 * </pre>
 *
 * Errors answer Confluent's JSON body {@code {"error_code":..,"message":..}}: 40401 subject,
 * 40402 version, 40403 schema not found; 409 incompatible; 42201 invalid schema (or a schema type
 * other than AVRO); 42202 invalid version; 42203 invalid compatibility level; 400 malformed JSON;
 * 50001 storage error. A subject without its own level answers the global one on
 * {@code GET /config/{s}} (Confluent's {@code defaultToGlobal=true}). State lives in
 * {@link KafkaSchemaStore}. Loopback only; optional HTTP basic auth.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAD_REQUEST = 400;
    private static final int UNPROCESSABLE = 422;

    private final KafkaSchemaStore store;
    private final HttpServer http;
    private final ExecutorService executor;
    private final String expectedAuthorization;

    private SchemaRegistryServer(KafkaSchemaStore store, HttpServer http, ExecutorService executor, String basicAuthUserInfo) {
        this.store = store;
        this.http = http;
        this.executor = executor;
        this.expectedAuthorization = basicAuthUserInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replays {@code _schemas} from {@code bootstrapServers} and serves on 127.0.0.1:{@code port}.
     *
     * @param basicAuthUserInfo {@code user:password} to require HTTP basic auth, or null
     */
    public static SchemaRegistryServer start(String bootstrapServers, int port, String basicAuthUserInfo) {
        KafkaSchemaStore store = new KafkaSchemaStore(bootstrapServers, Duration.ofSeconds(60));
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("Schema registry cannot listen on 127.0.0.1:" + port
                    + " (" + e.getMessage() + "); choose another port or 0 for a free one", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tokenledger-registry-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SchemaRegistryServer server = new SchemaRegistryServer(store, http, executor, basicAuthUserInfo);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    // ---------------------------------------------------------------- routing

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Answer answer;
            try {
                answer = authorized(exchange) ? route(exchange) : new Answer(401, error(401, "Unauthorized"));
            } catch (SchemaRegistryException e) {
                int status = e.httpStatus() > 0 ? e.httpStatus() : 500;
                answer = new Answer(status, error(e.errorCode(), stripCode(e.getMessage())));
            } catch (JsonProcessingException e) {
                answer = new Answer(BAD_REQUEST, error(BAD_REQUEST, "Malformed JSON request body: " + e.getOriginalMessage()));
            } catch (RuntimeException e) {
                LOG.error("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                answer = new Answer(500, error(500, "Internal server error: " + e));
            }
            send(exchange, answer);
        } catch (IOException e) {
            LOG.debug("Client went away: {}", e.toString());
        }
    }

    private Answer route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        int n = path.size();
        if (n == 0) {
            return ok(JSON.createObjectNode());
        }
        switch (path.get(0)) {
            case "subjects":
                if (n == 1 && method.equals("GET")) {
                    ArrayNode subjects = JSON.createArrayNode();
                    store.subjects().forEach(subjects::add);
                    return ok(subjects);
                }
                if (n == 2 && method.equals("POST")) {
                    return lookup(path.get(1), readSchema(exchange));
                }
                if (n == 2 && method.equals("DELETE")) {
                    ArrayNode versions = JSON.createArrayNode();
                    store.deleteSubject(path.get(1)).forEach(versions::add);
                    return ok(versions);
                }
                if (n == 3 && path.get(2).equals("versions") && method.equals("GET")) {
                    ArrayNode versions = JSON.createArrayNode();
                    store.versions(path.get(1)).forEach(v -> versions.add(v.version()));
                    return ok(versions);
                }
                if (n == 3 && path.get(2).equals("versions") && method.equals("POST")) {
                    Schema schema = readSchema(exchange);
                    return ok(JSON.createObjectNode().put("id", store.register(path.get(1), schema)));
                }
                if (n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
                    return ok(versionJson(store.version(path.get(1), parseVersion(path.get(3)))));
                }
                if (n == 5 && path.get(2).equals("versions") && path.get(4).equals("schema") && method.equals("GET")) {
                    return new Answer(200, store.version(path.get(1), parseVersion(path.get(3))).schema());
                }
                break;
            case "schemas":
                if (n >= 3 && path.get(1).equals("ids") && method.equals("GET")) {
                    int id = parseId(path.get(2));
                    String schema = store.schemaById(id);
                    if (n == 3) {
                        return ok(JSON.createObjectNode().put("schema", schema));
                    }
                    if (n == 4 && path.get(3).equals("schema")) {
                        return new Answer(200, schema);
                    }
                }
                break;
            case "compatibility":
                if (n == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions") && method.equals("POST")) {
                    String subject = path.get(2);
                    Schema schema = readSchema(exchange);
                    int version = parseVersion(path.get(4));
                    List<String> problems = store.incompatibilities(subject, schema, version == -1 ? null : version);
                    ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (!problems.isEmpty()) {
                        ArrayNode messages = result.putArray("messages");
                        problems.forEach(messages::add);
                    }
                    return ok(result);
                }
                break;
            case "config":
                String subject = n == 2 ? path.get(1) : null;
                if (n <= 2 && method.equals("GET")) {
                    return ok(JSON.createObjectNode().put("compatibilityLevel", store.compatibility(subject).name()));
                }
                if (n <= 2 && method.equals("PUT")) {
                    JsonNode body = readJson(exchange);
                    JsonNode level = body.get("compatibility");
                    if (level == null || !level.isTextual()) {
                        throw new SchemaRegistryException(UNPROCESSABLE, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                                "Invalid compatibility level: the body must be {\"compatibility\": \"BACKWARD\"} (or NONE, FORWARD, FULL, *_TRANSITIVE)");
                    }
                    AvroCompatibility parsed = AvroCompatibility.parse(level.asText());
                    store.setCompatibility(subject, parsed);
                    return ok(JSON.createObjectNode().put("compatibility", parsed.name()));
                }
                break;
            default:
                break;
        }
        return new Answer(404, error(404, "HTTP 404 Not Found: no route for " + method + " " + exchange.getRequestURI().getPath()));
    }

    private Answer lookup(String subject, Schema schema) {
        return ok(versionJson(store.lookup(subject, schema)));
    }

    private static ObjectNode versionJson(KafkaSchemaStore.Version version) {
        return JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
                .put("id", version.id()).put("schema", version.schema());
    }

    // ---------------------------------------------------------------- request parsing

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        JsonNode json = JSON.readTree(body);
        if (json == null || !json.isObject()) {
            throw new SchemaRegistryException(BAD_REQUEST, BAD_REQUEST, "Malformed JSON request body: expected a JSON object");
        }
        return json;
    }

    /** Reads {@code {"schema": "...", "schemaType": "AVRO", "references": []}} and parses the Avro schema. */
    private static Schema readSchema(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
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

    private static List<String> segments(String rawPath) {
        List<String> result = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                // keep '+' literal: subjects are path segments, not form fields
                result.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expectedAuthorization.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- responses

    private record Answer(int status, String body) {
    }

    private static Answer ok(JsonNode body) {
        return new Answer(200, body.toString());
    }

    private static String error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    /** SchemaRegistryException appends " (error_code N)" to its message; the JSON carries the code on its own. */
    private static String stripCode(String message) {
        int at = message.lastIndexOf(" (error_code ");
        return at < 0 ? message : message.substring(0, at);
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        if (answer.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"tokenledger-registry\"");
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
