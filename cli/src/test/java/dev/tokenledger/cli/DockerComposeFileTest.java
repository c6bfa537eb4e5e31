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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenledger.aggregator.AggregatorApp;
import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.schemas.TopicSpec;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.sink.WarehouseSinkConfig;
import dev.tokenledger.sink.WarehouseSinkConnector;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Docker is not available where the tests run, so this test reads {@code docker-compose.yml} and the
 * files under {@code docker/} and checks them against the code: the services and images, the ports,
 * health checks and start order, the topic list, and that every flag and config key handed to a
 * TokenLedger app, the Connect worker or the connector is one that code actually accepts.
 */
class DockerComposeFileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INTERNAL_BOOTSTRAP = "kafka:19092";
    private static final String INTERNAL_REGISTRY = "http://schema-registry:8081";

    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        services = compose.get("services");
    }

    private static JsonNode service(String name) {
        final JsonNode s = services.get(name);
        assertThat(s).as("service " + name).isNotNull();
        return s;
    }

    private static List<String> strings(JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void runsTheWholeSystemOnRealImages() {
        assertThat(fieldNames(services)).containsExactlyInAnyOrder("kafka", "topics", "schema-registry", "postgres",
                "connect", "connect-init", "aggregator", "enforcer", "proxy", "simulator");
        final String kafkaVersion = AppInfoParser.getVersion();
        assertThat(service("kafka").get("image").asText()).as("the same Kafka as the code").isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(service("connect").get("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(service("topics").get("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(service("schema-registry").get("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        assertThat(service("postgres").get("image").asText()).startsWith("postgres:");
        for (String app : List.of("aggregator", "enforcer", "proxy", "simulator")) {
            assertThat(service(app).get("build").get("dockerfile").asText()).isEqualTo("docker/tokenledger.Dockerfile");
            assertThat(service(app).get("build").get("context").asText()).isEqualTo(".");
        }
    }

    @Test
    void kafkaRunsKraftWithAnInternalAndAHostListener() {
        final JsonNode env = service("kafka").get("environment");
        assertThat(env.get("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS").asText()).contains("PLAINTEXT://" + INTERNAL_BOOTSTRAP)
                .contains("localhost:9092");
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").asText()).isEqualTo("1@kafka:9093");
        assertThat(java.util.Base64.getUrlDecoder().decode(env.get("CLUSTER_ID").asText()))
                .as("a KRaft cluster id is 16 bytes, base64url").hasSize(16);
        assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt())
                .as("exactly_once_v2 on one broker needs RF 1 transaction logs").isEqualTo(1);
        assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt()).isEqualTo(1);
        assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR").asInt())
                .as("the apps and create-topics.sh create topics with the broker's default replication factor").isEqualTo(1);
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
        assertThat(service("schema-registry").get("environment").get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText())
                .isEqualTo("PLAINTEXT://" + INTERNAL_BOOTSTRAP);
    }

    @Test
    void publishesTheUsualPortsOnTheHost() {
        assertThat(hostPorts("kafka")).containsEntry(9092, 9092);
        assertThat(hostPorts("schema-registry")).containsEntry(8081, 8081);
        assertThat(hostPorts("connect")).containsEntry(8083, 8083);
        assertThat(hostPorts("postgres")).containsValue(5432);
        final List<Integer> all = new ArrayList<>();
        fieldNames(services).forEach(s -> all.addAll(hostPorts(s).keySet()));
        assertThat(all).as("no host port published twice").doesNotHaveDuplicates();
    }

    @Test
    void longRunningServicesHaveHealthChecksAndStartInOrder() {
        for (String name : List.of("kafka", "schema-registry", "postgres", "connect", "aggregator", "enforcer", "proxy")) {
            final JsonNode health = service(name).get("healthcheck");
            assertThat(health).as(name + " healthcheck").isNotNull();
            assertThat(strings(health.get("test")).get(0)).isIn("CMD", "CMD-SHELL");
            assertThat(health.get("interval").asText()).matches("\\d+s");
            assertThat(health.get("retries").asInt()).isPositive();
        }
        final Map<String, Set<String>> graph = new HashMap<>();
        for (String name : fieldNames(services)) {
            final JsonNode deps = service(name).get("depends_on");
            final Set<String> targets = new HashSet<>();
            if (deps != null) {
                for (String dep : fieldNames(deps)) {
                    assertThat(services.has(dep)).as(name + " depends on unknown service " + dep).isTrue();
                    final String condition = deps.get(dep).get("condition").asText();
                    if (condition.equals("service_healthy")) {
                        assertThat(service(dep).has("healthcheck")).as(name + " waits for " + dep + " to be healthy").isTrue();
                    } else {
                        assertThat(condition).isEqualTo("service_completed_successfully");
                        assertThat(service(dep).get("restart").asText()).as(dep + " is a one-shot job").isEqualTo("no");
                    }
                    targets.add(dep);
                }
            }
            graph.put(name, targets);
        }
        assertThat(dependsTransitively(graph, "connect")).contains("kafka", "schema-registry", "postgres", "topics");
        assertThat(dependsTransitively(graph, "aggregator")).contains("kafka", "schema-registry", "topics");
        assertThat(dependsTransitively(graph, "enforcer")).contains("kafka", "schema-registry", "topics");
        assertThat(dependsTransitively(graph, "simulator")).contains("aggregator", "enforcer", "connect-init", "connect");
        assertThat(dependsTransitively(graph, "proxy")).contains("kafka", "schema-registry", "enforcer");
        graph.keySet().forEach(s -> assertThat(dependsTransitively(graph, s)).as("no cycle through " + s).doesNotContain(s));
    }

    @Test
    void theProxyServiceRunsTheProxyCommandWithSettingsProxyConfigAccepts() {
        final List<String> command = strings(service("proxy").get("command"));
        assertThat(command.get(0)).isEqualTo("proxy");
        final picocli.CommandLine.ParseResult parsed = new picocli.CommandLine(new ProxyCommand())
                .parseArgs(command.subList(1, command.size()).toArray(new String[0]));
        final ProxyCommand proxy = (ProxyCommand) parsed.commandSpec().userObject();
        assertThat(proxy.bootstrap).isEqualTo(INTERNAL_BOOTSTRAP);
        final Map<String, Object> props = new HashMap<>(proxy.settings);
        props.put(dev.tokenledger.proxy.ProxyConfig.BOOTSTRAP_SERVERS_CONFIG, proxy.bootstrap);
        props.put(dev.tokenledger.proxy.ProxyConfig.SCHEMA_REGISTRY_URL_CONFIG, proxy.registry);
        props.put(dev.tokenledger.proxy.ProxyConfig.HTTP_PORT_CONFIG, proxy.port);
        final dev.tokenledger.proxy.ProxyConfig config = new dev.tokenledger.proxy.ProxyConfig(props);
        assertThat(config.getString(dev.tokenledger.proxy.ProxyConfig.HTTP_HOST_CONFIG)).as("reachable from the host").isEqualTo("0.0.0.0");
        assertThat(hostPorts("proxy")).containsEntry(proxy.port, proxy.port);
        assertThat(mountTargets("proxy")).containsKey(config.getString(dev.tokenledger.proxy.ProxyConfig.SPOOL_DIR_CONFIG));
    }

    @Test
    void createsExactlyTheContractTopicsWithTheirCleanupPolicyAndConfigs() throws IOException {
        final Map<String, String> expected = new TreeMap<>();
        for (TopicSpec t : Topics.ALL) {
            expected.put(t.name(), topicLine(t));
        }
        assertThat(topicsBlock()).as("the lines of the TOPICS here-document, in the script's format")
                .isEqualTo(expected);
        assertThat(expected.get(Topics.PRICE_ADJUSTMENTS_TOPIC)).as("adjustments are kept forever").endsWith(" retention.ms=-1");
        assertThat(strings(service("topics").get("entrypoint"))).contains("/opt/tokenledger/create-topics.sh");
        assertThat(mountTargets("topics")).containsEntry("/opt/tokenledger/create-topics.sh", "./docker/create-topics.sh");
    }

    /**
     * Runs the script with bash against a stand-in kafka-topics.sh that records its arguments: the script must exit 0
     * and ask for every contract topic once, with its cleanup policy and its other configs.
     */
    @Test
    @Timeout(60)
    void theScriptRunsToItsEndAndCreatesEveryTopic(@TempDir Path dir) throws Exception {
        final Path calls = dir.resolve("calls.txt");
        final Path fake = dir.resolve("kafka-topics.sh");
        Files.writeString(fake, "#!/usr/bin/env bash\necho \"$*\" >> \"" + calls + "\"\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        final ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("docker/create-topics.sh").toString())
                .redirectErrorStream(true);
        pb.environment().put("KAFKA_BIN", dir.toString());
        pb.environment().put("BOOTSTRAP", "broker:1");
        final Process p = pb.start();
        final String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("TokenLedger topics ready on broker:1");
        final Map<String, String> asked = new TreeMap<>();
        for (String line : Files.readAllLines(calls)) {
            final Matcher m = Pattern.compile("--bootstrap-server broker:1 --create --if-not-exists --topic (\\S+) --partitions 3 (.*)")
                    .matcher(line);
            assertThat(m.matches()).as("kafka-topics.sh call '" + line + "'").isTrue();
            assertThat(asked.put(m.group(1), m.group(2))).as("asked once for " + m.group(1)).isNull();
        }
        final Map<String, String> expected = new TreeMap<>();
        for (TopicSpec t : Topics.ALL) {
            final StringBuilder configs = new StringBuilder("--config cleanup.policy=" + (t.compacted() ? "compact" : "delete"));
            new TreeMap<>(t.configs()).forEach((k, v) -> configs.append(" --config ").append(k).append('=').append(v));
            expected.put(t.name(), configs.toString());
        }
        assertThat(asked).isEqualTo(expected);
    }

    /** A topic as a line of the TOPICS block: name, cleanup policy, then its other configs as key=value, sorted by key. */
    private static String topicLine(TopicSpec t) {
        final StringBuilder line = new StringBuilder(t.name()).append(' ').append(t.compacted() ? "compact" : "delete");
        new TreeMap<>(t.configs()).forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }

    /**
     * Only the contents of the script's {@code <<'TOPICS'} here-document, topic name -> line; a line outside it is no
     * topic (bash would run it as a command), and every line inside must be in the script's format.
     */
    private static Map<String, String> topicsBlock() throws IOException {
        final List<String> lines = Files.readAllLines(ROOT.resolve("docker/create-topics.sh"));
        final int open = lines.indexOf("done <<'TOPICS'");
        final int close = lines.indexOf("TOPICS");
        assertThat(open).as("the here-document opens").isNotNegative();
        assertThat(close).as("the here-document closes after it opens").isGreaterThan(open);
        final Pattern format = Pattern.compile("(tokenledger\\.[a-z0-9.-]+) (compact|delete)( [a-z.]+=\\S+)*");
        final Map<String, String> block = new TreeMap<>();
        for (String line : lines.subList(open + 1, close)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final Matcher m = format.matcher(line);
            assertThat(m.matches()).as("TOPICS line '" + line + "'").isTrue();
            assertThat(block.put(m.group(1), line)).as("listed once: " + m.group(1)).isNull();
        }
        return block;
    }

    @Test
    void connectWorkerSettingsAreDistributedConfigKeys() throws IOException {
        final Properties props = new Properties();
        props.load(new StringReader(Files.readString(ROOT.resolve("docker/connect/connect-distributed.properties"))));
        final Map<String, String> worker = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> worker.put(k, props.getProperty(k)));
        final DistributedConfig config = new DistributedConfig(worker);
        final Set<String> plain = new HashSet<>(worker.keySet());
        plain.removeIf(k -> k.startsWith("consumer.") || k.startsWith("producer.") || k.startsWith("admin."));
        assertThat(config.values().keySet()).as("every worker key is a DistributedConfig key").containsAll(plain);
        assertThat(worker).containsEntry("consumer.isolation.level", "read_committed");
        assertThat(worker.get("bootstrap.servers")).isEqualTo(INTERNAL_BOOTSTRAP);
        final String pluginPath = worker.get("plugin.path");
        assertThat(mountTargets("connect").keySet()).anySatisfy(target -> assertThat(target).startsWith(pluginPath + "/"));
        assertThat(mountTargets("connect")).containsEntry("/etc/tokenledger/connect-distributed.properties",
                "./docker/connect/connect-distributed.properties");
        assertThat(strings(service("connect").get("command")))
                .containsExactly("/opt/kafka/bin/connect-distributed.sh", "/etc/tokenledger/connect-distributed.properties");
    }

    @Test
    void connectorConfigIsAcceptedByTheWarehouseSinkConnector() throws IOException {
        final JsonNode json = JSON.readTree(ROOT.resolve("docker/connect/warehouse-sink.json").toFile());
        final Map<String, String> config = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        assertThat(config.get("connector.class")).isEqualTo(WarehouseSinkConnector.class.getName());

        final Set<String> known = new HashSet<>(WarehouseSinkConfig.CONFIG_DEF.names());
        known.addAll(SinkConnectorConfig.configDef().names());
        assertThat(known).as("every connector key is defined by the connector or by Connect").containsAll(config.keySet());

        final Map<String, String> own = new HashMap<>(config);
        own.keySet().retainAll(WarehouseSinkConfig.CONFIG_DEF.names());
        final WarehouseSinkConfig parsed = new WarehouseSinkConfig(own);
        assertThat(parsed.connectionUrl()).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(config.get("schema.registry.url")).isEqualTo(INTERNAL_REGISTRY);
        final Pattern subscribed = Pattern.compile(config.get("topics.regex"));
        assertThat(Topics.ALL.stream().map(TopicSpec::name).filter(t -> subscribed.matcher(t).matches()))
                .as("the connector subscribes to exactly the topics it has tables for")
                .containsExactlyInAnyOrderElementsOf(parsed.mappedTopics());
        assertThat(config.get("topics.regex")).isEqualTo(Quickstart.SINK_TOPICS_REGEX);
        assertThat(config.get("errors.deadletterqueue.topic.name")).isEqualTo(Topics.SINK_DLQ_TOPIC);
        assertThat(config.get("value.converter")).isEqualTo("org.apache.kafka.connect.converters.ByteArrayConverter");

        final JsonNode pg = service("postgres").get("environment");
        assertThat(parsed.connectionUrl()).endsWith("/" + pg.get("POSTGRES_DB").asText());
        assertThat(config.get("connection.user")).isEqualTo(pg.get("POSTGRES_USER").asText());
        assertThat(mountTargets("connect-init")).containsEntry("/etc/tokenledger/warehouse-sink.json", "./docker/connect/warehouse-sink.json");
        assertThat(Files.readString(ROOT.resolve("docker/connect/register-connector.sh")))
                .contains("/etc/tokenledger/warehouse-sink.json").contains("/connectors/tokenledger-warehouse/config");
    }

    @Test
    void simulatorFlagsAreOnesTheSimulateCommandAccepts() {
        final List<String> args = strings(service("simulator").get("command"));
        final ParseResult result = parse(args);
        final ParseResult simulate = result.subcommand();
        assertThat(simulate.commandSpec().name()).isEqualTo("simulate");
        assertThat(simulate.matchedOptionValue("--bootstrap", "")).isEqualTo(INTERNAL_BOOTSTRAP);
        assertThat(simulate.matchedOptionValue("--registry", "")).isEqualTo(INTERNAL_REGISTRY);
        final String warehouse = simulate.matchedOptionValue("--warehouse", "");
        assertThat(warehouse).startsWith("jdbc:postgresql://postgres:5432/"
                + service("postgres").get("environment").get("POSTGRES_DB").asText());
    }

    @Test
    void aggregatorSettingsAreAggregatorConfigKeys() {
        final JsonNode aggregator = service("aggregator");
        assertThat(strings(aggregator.get("entrypoint")))
                .containsExactly("java", "-cp", "/opt/tokenledger/tokenledger.jar", AggregatorApp.class.getName());
        final Map<String, String> config = keyValues(strings(aggregator.get("command")));
        assertThat(AggregatorConfig.configDef().names()).as("every aggregator setting is an AggregatorConfig key")
                .containsAll(config.keySet());
        final AggregatorConfig parsed = new AggregatorConfig(config);
        assertThat(parsed.bootstrapServers()).isEqualTo(INTERNAL_BOOTSTRAP);
        assertThat(parsed.schemaRegistryUrl()).isEqualTo(INTERNAL_REGISTRY);
        assertThat(hostPorts("aggregator")).containsEntry(parsed.httpPort(), parsed.httpPort());
        assertThat(strings(aggregator.get("healthcheck").get("test")).get(1))
                .contains("localhost:" + parsed.httpPort() + "/health");
        assertThat(mountTargets("aggregator")).containsKey(parsed.stateDir());
    }

    @Test
    void enforcerSettingsAreEnforcerConfigKeys() throws IOException {
        final JsonNode enforcer = service("enforcer");
        assertThat(strings(enforcer.get("entrypoint")))
                .containsExactly("java", "-cp", "/opt/tokenledger/tokenledger.jar", EnforcerApp.class.getName());
        final String file = strings(enforcer.get("command")).get(0);
        assertThat(mountTargets("enforcer")).containsEntry(file, "./docker/enforcer.properties");
        final Properties props = new Properties();
        props.load(new StringReader(Files.readString(ROOT.resolve("docker/enforcer.properties"))));
        final Map<String, Object> config = new HashMap<>();
        props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
        assertThat(EnforcerConfig.configDef().names()).as("every enforcer setting is an EnforcerConfig key")
                .containsAll(config.keySet());
        new EnforcerConfig(config);
        assertThat(config).containsEntry("bootstrap.servers", INTERNAL_BOOTSTRAP).containsEntry("schema.registry.url", INTERNAL_REGISTRY);
        assertThat(mountTargets("enforcer")).containsKey((String) config.get("state.dir"));
    }

    private static Map<String, String> keyValues(List<String> args) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            final int eq = a.indexOf('=');
            assertThat(eq).as("argument '" + a + "' is key=value").isPositive();
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

    @Test
    void theAppImageRunsTheProjectJar() throws IOException {
        final String dockerfile = Files.readString(ROOT.resolve("docker/tokenledger.Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre")
                .contains("COPY cli/target/tokenledger.jar /opt/tokenledger/tokenledger.jar")
                .contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/tokenledger/tokenledger.jar\"]");
        assertThat(Files.readString(ROOT.resolve("cli/pom.xml"))).contains("<finalName>tokenledger</finalName>");
        assertThat(Files.readString(ROOT.resolve("docker/build.sh"))).contains("sink-connectors/target/plugin");
        assertThat(mountTargets("connect").get("/opt/tokenledger/plugins/tokenledger-sink")).isEqualTo("./sink-connectors/target/plugin");
    }

    /** Parses a TokenLedger command line with the real picocli spec: an unknown flag or subcommand fails. */
    private static ParseResult parse(List<String> args) {
        return new CommandLine(new TokenLedgerCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(args.toArray(String[]::new));
    }

    private static Map<Integer, Integer> hostPorts(String name) {
        final Map<Integer, Integer> ports = new HashMap<>();
        final JsonNode list = service(name).get("ports");
        if (list != null) {
            for (String p : strings(list)) {
                final String[] parts = p.split(":");
                ports.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        }
        return ports;
    }

    /** Bind mounts of a service: container path -> host path. */
    private static Map<String, String> mountTargets(String name) {
        final Map<String, String> mounts = new HashMap<>();
        final JsonNode volumes = service(name).get("volumes");
        if (volumes != null) {
            for (String v : strings(volumes)) {
                final String[] parts = v.split(":");
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    private static Set<String> dependsTransitively(Map<String, Set<String>> graph, String start) {
        final Set<String> seen = new HashSet<>();
        final List<String> todo = new ArrayList<>(graph.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            final String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static List<String> fieldNames(JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
