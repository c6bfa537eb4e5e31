package dev.tokenledger.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.schemas.Money;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over HTTP (JDK server), JSON out, money as decimal strings.
 *
 * <ul>
 *   <li>{@code GET /v1/spend/{dimension}/{key}[/{key part}...]?window=DAY&at=2026-11-23T10:00:00Z}: the
 *       running total of one dimension value (feature, tenant, feature_tenant, feature_model,
 *       plan_feature, root_request, tenant_user, global); composite keys as path parts or joined
 *       with '|'. window defaults to DAY, at to now.</li>
 *   <li>{@code GET /v1/top/{dimension}?window=DAY&n=10&at=}: the n values with the highest spend.</li>
 *   <li>{@code GET /v1/workflows/{rootRequestId}}: the cost of one user action across all its calls.</li>
 *   <li>{@code GET /health}.</li>
 * </ul>
 * A key held by another instance is answered by that instance ({@link KafkaStreams#queryMetadataForKey}
 * on the key's store, then an HTTP call to its {@code application.server}); a top-N query gathers
 * every instance's local ranking, forwarding the caller's own Authorization header. With a bearer
 * token configured, every call must carry it; a tenant-scoped token ({@code http.tenant.tokens})
 * reads only its tenant's figures ({@link TenantScope}). {@code ?tenant=T} filters a top list of a
 * tenant dimension (tenant_user: the top users within a tenant) to tenant T.
 */
public final class SpendHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpendHttpServer.class);
    private static final String LOCAL = "local";

    private final HttpServer server;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String token;
    private final Map<String, String> tenantTokens;
    private final SpendWindows windows;
    private volatile KafkaStreams streams;
    private final HostInfo self;

    public SpendHttpServer(String bindHost, String advertisedHost, int port, String token, SpendWindows windows)
            throws IOException {
        this(bindHost, advertisedHost, port, token, Map.of(), windows);
    }

    /** {@code tenantTokens}: token -> tenant whose figures alone that token may read. */
    public SpendHttpServer(String bindHost, String advertisedHost, int port, String token, Map<String, String> tenantTokens,
                           SpendWindows windows) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 0);
        this.token = token;
        this.tenantTokens = Map.copyOf(tenantTokens);
        this.windows = windows;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tokenledger-aggregator-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        this.self = new HostInfo(advertisedHost, server.getAddress().getPort());
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Binds the server to the Streams instance whose stores it reads. */
    public void attach(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String tenant = null;
            if (token != null || !tenantTokens.isEmpty()) {
                String presented = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null;
                tenant = presented == null ? null : tenantTokens.get(presented);
                if (presented == null || (!presented.equals(token) && tenant == null)) {
                    send(ex, 401, error("missing or wrong bearer token: send 'Authorization: Bearer <token>'"));
                    return;
                }
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, error("only GET is supported"));
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            List<String> parts = new ArrayList<>();
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
                }
            }
            if (parts.size() == 1 && parts.get(0).equals("health")) {
                ObjectNode n = mapper.createObjectNode();
                n.put("state", streams == null ? "STARTING" : streams.state().name());
                send(ex, 200, n);
            } else if (parts.size() >= 4 && parts.get(0).equals("v1") && parts.get(1).equals("spend")) {
                SpendDimension dimension = dimension(parts.get(2));
                String key = String.join("|", parts.subList(3, parts.size()));
                String refused = tenant == null ? null : TenantScope.refusal(tenant, dimension, key);
                if (refused != null) {
                    send(ex, 403, error(refused));
                    return;
                }
                spend(ex, dimension, key, query);
            } else if (parts.size() == 3 && parts.get(0).equals("v1") && parts.get(1).equals("top")) {
                SpendDimension dimension = dimension(parts.get(2));
                if (tenant != null) {
                    String refused = TenantScope.refusalOfList(tenant, dimension, query.get("tenant"));
                    if (refused != null) {
                        send(ex, 403, error(refused));
                        return;
                    }
                    query.put("tenant", tenant);
                }
                top(ex, dimension, query);
            } else if (parts.size() == 3 && parts.get(0).equals("v1") && parts.get(1).equals("workflows")) {
                if (tenant != null) {
                    send(ex, 403, error(TenantScope.refusalOf(tenant, SpendDimension.ROOT_REQUEST)));
                    return;
                }
                workflow(ex, parts.get(2), query);
            } else {
                send(ex, 404, error("unknown path " + path + ": try /v1/spend/feature/{id}?window=DAY, "
                        + "/v1/top/feature?window=DAY&n=10, /v1/workflows/{root_request_id}"));
            }
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
        } catch (InvalidStateStoreException e) {
            send(ex, 503, error("state is not queryable right now (" + e.getMessage() + "): retry shortly"));
        } catch (RuntimeException | IOException | Error e) {
            LOG.error("HTTP query {} failed", ex.getRequestURI(), e);
            send(ex, 500, error(e.toString()));
        } finally {
            ex.close();
        }
    }

    private void spend(HttpExchange ex, SpendDimension dimension, String key, Map<String, String> query) throws IOException {
        SpendWindow window = window(query.getOrDefault("window", "DAY"));
        Instant at = at(query.get("at"));
        String storeKey = SpendDimensions.storeKey(dimension, key);
        String store = AggregatorTopology.spendStore(AggregatorTopology.storedWindowFor(window));
        if (!query.containsKey(LOCAL)) {
            HostInfo owner = owner(store, storeKey);
            if (owner != null && !owner.equals(self)) {
                forward(ex, owner);
                return;
            }
        }
        Optional<SpendAggregate> found = queries().spend(dimension, key, window, at);
        if (found.isEmpty()) {
            ObjectNode n = mapper.createObjectNode();
            n.put("dimension", dimension.name());
            n.put("key", key);
            n.put("window", window.name());
            n.put("window_start", Instant.ofEpochMilli(windows.start(window, at.toEpochMilli())).toString());
            n.put("window_end", Instant.ofEpochMilli(windows.end(window, at.toEpochMilli())).toString());
            n.put("total_cost_usd", SpendJson.money(Money.ZERO));
            n.put("request_count", 0);
            n.put("found", false);
            send(ex, 200, n);
            return;
        }
        ObjectNode n = SpendJson.of(mapper, found.get());
        n.put("found", true);
        send(ex, 200, n);
    }

    private void top(HttpExchange ex, SpendDimension dimension, Map<String, String> query) throws IOException {
        SpendWindow window = window(query.getOrDefault("window", "DAY"));
        Instant at = at(query.get("at"));
        int n = Integer.parseInt(query.getOrDefault("n", "10"));
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("n = " + n + " must be between 1 and 1000");
        }
        String tenant = query.get("tenant");
        if (tenant != null && !TenantScope.TENANT_DIMENSIONS.contains(dimension)) {
            throw new IllegalArgumentException("tenant = '" + tenant + "' filters only the tenant dimensions "
                    + TenantScope.TENANT_DIMENSIONS.toString().toLowerCase(Locale.ROOT) + ", not " + dimension.name().toLowerCase(Locale.ROOT));
        }
        List<ObjectNode> items = new ArrayList<>();
        for (SpendAggregate a : queries().ranked(dimension, window, at, n,
                tenant == null ? k -> true : k -> tenant.equals(TenantScope.tenantOf(dimension, k)))) {
            items.add(SpendJson.of(mapper, a));
        }
        if (!query.containsKey(LOCAL)) {
            String store = AggregatorTopology.spendStore(AggregatorTopology.storedWindowFor(window));
            for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
                if (!m.hostInfo().equals(self)) {
                    JsonNode remote = fetch(m.hostInfo(), ex);
                    remote.path("items").forEach(item -> items.add((ObjectNode) item));
                }
            }
        }
        items.sort((a, b) -> {
            int c = new BigDecimal(b.get("total_cost_usd").asText()).compareTo(new BigDecimal(a.get("total_cost_usd").asText()));
            return c != 0 ? c : a.get("key").asText().compareTo(b.get("key").asText());
        });
        ObjectNode out = mapper.createObjectNode();
        out.put("dimension", dimension.name());
        out.put("window", window.name());
        ArrayNode arr = out.putArray("items");
        items.stream().limit(n).forEach(arr::add);
        send(ex, 200, out);
    }

    private void workflow(HttpExchange ex, String rootRequestId, Map<String, String> query) throws IOException {
        String storeKey = SpendDimensions.storeKey(SpendDimension.ROOT_REQUEST, rootRequestId);
        if (!query.containsKey(LOCAL)) {
            HostInfo owner = owner(AggregatorTopology.spendStore(SpendWindow.DAY), storeKey);
            if (owner != null && !owner.equals(self)) {
                forward(ex, owner);
                return;
            }
        }
        List<SpendAggregate> days = queries().workflowDays(rootRequestId);
        ObjectNode out = mapper.createObjectNode();
        out.put("root_request_id", rootRequestId);
        out.put("found", !days.isEmpty());
        if (!days.isEmpty()) {
            SpendAggregate total = days.get(0);
            for (SpendAggregate d : days.subList(1, days.size())) {
                total = SpendMath.merge(total, d);
            }
            ObjectNode t = SpendJson.of(mapper, total);
            t.remove(List.of("window", "window_start", "window_end"));
            out.set("total", t);
        } else {
            out.put("total_cost_usd", SpendJson.money(Money.ZERO));
        }
        ArrayNode arr = out.putArray("days");
        days.forEach(d -> arr.add(SpendJson.of(mapper, d)));
        send(ex, 200, out);
    }

    private SpendQueries queries() {
        KafkaStreams s = requireStreams();
        return new SpendQueries(w -> s.store(StoreQueryParameters.fromNameAndType(AggregatorTopology.spendStore(w),
                QueryableStoreTypes.<String, SpendAggregate>windowStore())), windows);
    }

    private HostInfo owner(String store, String storeKey) {
        KeyQueryMetadata md = requireStreams().queryMetadataForKey(store, storeKey, new StringSerializer());
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new InvalidStateStoreException("no instance holds " + store + " yet (rebalancing)");
        }
        return md.activeHost();
    }

    private KafkaStreams requireStreams() {
        if (streams == null) {
            throw new InvalidStateStoreException("the aggregator is still starting");
        }
        return streams;
    }

    private void forward(HttpExchange ex, HostInfo owner) throws IOException {
        JsonNode answer = fetch(owner, ex);
        send(ex, 200, answer);
    }

    /** The same request, answered from {@code host}'s local stores, with the caller's own credentials. */
    private JsonNode fetch(HostInfo host, HttpExchange ex) throws IOException {
        String rawPath = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        String q = (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&") + LOCAL + "=true";
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + rawPath + "?" + q))
                .timeout(Duration.ofSeconds(10)).GET();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            req.header("Authorization", auth);
        }
        try {
            HttpResponse<String> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new InvalidStateStoreException("instance " + host + " answered " + resp.statusCode() + ": " + resp.body());
            }
            return mapper.readTree(resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + host, e);
        }
    }

    private static SpendDimension dimension(String s) {
        try {
            return SpendDimension.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dimension '" + s + "': use one of "
                    + java.util.Arrays.toString(SpendDimension.values()).toLowerCase(Locale.ROOT));
        }
    }

    private static SpendWindow window(String s) {
        try {
            return SpendWindow.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown window '" + s + "': use one of "
                    + java.util.Arrays.toString(SpendWindow.values()));
        }
    }

    private static Instant at(String s) {
        if (s == null || s.isEmpty()) {
            return Instant.now();
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("at = '" + s + "' is not an ISO-8601 instant such as 2026-11-23T10:00:00Z");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private ObjectNode error(String message) {
        ObjectNode n = mapper.createObjectNode();
        n.put("error", message);
        return n;
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
