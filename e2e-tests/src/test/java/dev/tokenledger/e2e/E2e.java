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
package dev.tokenledger.e2e;

import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.enforcer.ScopeKeys;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Shared fixtures of the end-to-end tests and benchmarks: two price entries published on the prices
 * topic, a seeded usage workload over a handful of features and tenants, the cost of each event
 * computed here from the published rates (independently of the pricing module), and client / app
 * configurations against one {@link LocalStack}.
 */
final class E2e {
    static final String PROVIDER = "anthropic";
    /** model -> rates per million tokens: input, output, cache write 5m, cache write 1h, cache read. */
    static final Map<String, String[]> RATES = Map.of(
            "e2e-sonnet", new String[] {"3", "15", "3.75", "6", "0.30"},
            "e2e-haiku", new String[] {"1", "5", "1.25", "2", "0.10"});
    static final List<String> MODELS = List.of("e2e-sonnet", "e2e-haiku");
    /** Tenants of {@link #events}: tenant-0 ... tenant-39. */
    static final int TENANTS = 40;
    static final List<String> FEATURES = List.of("support_chat", "summarize_email", "search_rerank", "code_review",
            "doc_qa", "draft_reply");

    /** Extra tags as services send them; they bring a serialized event to ~400 bytes, like a real one. */
    private static final Map<String, String> TAGS = Map.of(
            "workflow_step", "ticket-triage/step-3-classify-and-route-to-queue",
            "experiment", "prompt-v17-shorter-system-message-with-examples",
            "service", "support-backend-api/eu-west-1/pod-7f9c6d5b8-x2k4q",
            "deployment", "2026-11-22T18:04:11Z#c0ffee1234abcd");

    private E2e() {
    }

    static List<PriceEntry> prices() {
        List<PriceEntry> out = new ArrayList<>();
        RATES.forEach((model, r) -> out.add(PriceEntry.newBuilder()
                .setEntryId(PROVIDER + "/" + model + "@2025-01-01").setProvider(PROVIDER).setModel(model)
                .setEffectiveFrom(Instant.parse("2025-01-01T00:00:00Z"))
                .setInputPerMtok(Money.of(r[0])).setOutputPerMtok(Money.of(r[1]))
                .setCacheWrite5mPerMtok(Money.of(r[2])).setCacheWrite1hPerMtok(Money.of(r[3]))
                .setCacheReadPerMtok(Money.of(r[4]))
                .setSourceUrl("https://example.test/e2e-pricing").setSourceReadOn(LocalDate.of(2026, 11, 1))
                .build()));
        return out;
    }

    /** Exact cost from the published rates: sum over classes of tokens x rate / 1e6; zero for an unknown model. */
    static BigDecimal cost(String model, long input, long output, long cw5m, long cw1h, long cacheRead) {
        String[] r = RATES.get(model);
        if (r == null) {
            return Money.ZERO;
        }
        BigDecimal total = new BigDecimal(r[0]).multiply(BigDecimal.valueOf(input))
                .add(new BigDecimal(r[1]).multiply(BigDecimal.valueOf(output)))
                .add(new BigDecimal(r[2]).multiply(BigDecimal.valueOf(cw5m)))
                .add(new BigDecimal(r[3]).multiply(BigDecimal.valueOf(cw1h)))
                .add(new BigDecimal(r[4]).multiply(BigDecimal.valueOf(cacheRead)));
        return Money.toScale(total.movePointLeft(6));
    }

    static BigDecimal cost(UsageEvent e) {
        return cost(e.getModel(), e.getInputTokens(), e.getOutputTokens(), e.getCacheWrite5mTokens(),
                e.getCacheWrite1hTokens(), e.getCacheReadTokens());
    }

    /**
     * {@code n} completed events with ids {@code <prefix>-<i>}, occurred_at at {@code at} minus up to a
     * second (never before the UTC day of {@code at}), random features / tenants / token classes.
     */
    static List<UsageEvent> events(String prefix, long seed, int n, Instant at) {
        Random r = new Random(seed);
        long dayStart = at.truncatedTo(ChronoUnit.DAYS).toEpochMilli();
        List<UsageEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long output = 1 + r.nextInt(2000);
            out.add(UsageEvent.newBuilder()
                    .setEventId(prefix + "-" + i).setKind(UsageKind.COMPLETED)
                    .setOccurredAt(Instant.ofEpochMilli(Math.max(dayStart, at.toEpochMilli() - r.nextInt(1000))))
                    .setFeatureId(FEATURES.get(r.nextInt(FEATURES.size())))
                    .setTenantId(tenant(r.nextInt(TENANTS))).setUserId(String.format("u%063x", r.nextInt(200))).setPlanTier("pro")
                    .setRequestId("req-" + prefix + "-" + i).setRootRequestId("root-" + prefix + "-" + i)
                    .setEnvironment("e2e").setProvider(PROVIDER).setModel(MODELS.get(r.nextInt(MODELS.size())))
                    .setInputTokens(r.nextInt(8000)).setOutputTokens(output).setReasoningTokens(output / 4)
                    .setCacheWrite5mTokens(r.nextInt(4) == 0 ? r.nextInt(4000) : 0)
                    .setCacheWrite1hTokens(r.nextInt(10) == 0 ? r.nextInt(4000) : 0)
                    .setCacheReadTokens(r.nextInt(2) == 0 ? r.nextInt(20_000) : 0)
                    .setTags(TAGS)
                    .build());
        }
        return out;
    }

    /** Expected total cost per feature of {@code events}. */
    static Map<String, BigDecimal> costByFeature(Iterable<UsageEvent> events) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (UsageEvent e : events) {
            out.merge(e.getFeatureId(), cost(e), BigDecimal::add);
        }
        out.replaceAll((k, v) -> Money.toScale(v));
        return out;
    }

    /** Usage events per feature of {@code events}. */
    static Map<String, Long> requestsByFeature(Iterable<UsageEvent> events) {
        Map<String, Long> out = new TreeMap<>();
        events.forEach(e -> out.merge(e.getFeatureId(), 1L, Long::sum));
        return out;
    }

    /** What a pipeline fed {@code events} (each event once) must end with: cost and requests per feature, event ids. */
    record Expected(Map<String, BigDecimal> costByFeature, Map<String, Long> requestsByFeature, Set<String> eventIds) {
        @SafeVarargs
        static Expected of(List<UsageEvent>... batches) {
            List<UsageEvent> all = new ArrayList<>();
            for (List<UsageEvent> b : batches) {
                all.addAll(b);
            }
            Set<String> ids = new HashSet<>();
            all.forEach(e -> ids.add(e.getEventId()));
            return new Expected(E2e.costByFeature(all), E2e.requestsByFeature(all), ids);
        }
    }

    /**
     * Starts {@link AggregatorChild} on the test classpath with the test settings ({@link #aggregatorProps}, commit
     * 200 ms, a 6 s session timeout so a killed instance's partitions move soon) plus {@code extra}; its output goes
     * to target/{@code log}.log.
     */
    static Process startAggregatorChild(LocalStack stack, String appId, Path state, Map<String, Object> extra, String log)
            throws IOException {
        Map<String, Object> props = aggregatorProps(stack, appId, state);
        props.put("commit.interval.ms", 200L);
        props.put("streams.consumer.session.timeout.ms", 6000);
        props.put("streams.consumer.heartbeat.interval.ms", 1500);
        props.putAll(extra);
        return startChild(AggregatorChild.class, props, log);
    }

    /**
     * Starts the class {@code main} in a child JVM on the test classpath with {@code props} as key=value
     * arguments; its output goes to target/{@code log}.log.
     */
    static Process startChild(Class<?> main, Map<String, Object> props, String log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath,
                main.getName()));
        props.forEach((k, v) -> cmd.add(k + "=" + v));
        Path logFile = Path.of("target", log + ".log").toAbsolutePath();
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        System.out.printf("%s: child pid %d, log %s%n", main.getSimpleName(), p.pid(), logFile);
        return p;
    }

    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    static Properties consumerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return p;
    }

    /** Serializer for the records the tests publish (prices, budgets, usage events), through the registry. */
    static Serializer<SpecificRecord> avroSerializer(String registryUrl) {
        Map<String, Object> cfg = Map.of("schema.registry.url", registryUrl);
        SpecificAvroSerializer<PriceEntry> prices = new SpecificAvroSerializer<>(PriceEntry.class);
        prices.configure(cfg, false);
        SpecificAvroSerializer<Budget> budgets = new SpecificAvroSerializer<>(Budget.class);
        budgets.configure(cfg, false);
        SpecificAvroSerializer<UsageEvent> usage = new SpecificAvroSerializer<>(UsageEvent.class);
        usage.configure(cfg, false);
        return (topic, v) -> v instanceof PriceEntry p ? prices.serialize(topic, p)
                : v instanceof Budget b ? budgets.serialize(topic, b) : usage.serialize(topic, (UsageEvent) v);
    }

    /** Publishes the price entries (keyed by entry id) and waits for the acks. */
    static void publishPrices(LocalStack stack) throws Exception {
        try (KafkaProducer<String, SpecificRecord> p = new KafkaProducer<>(producerProps(stack.bootstrapServers()),
                new StringSerializer(), avroSerializer(stack.registryUrl()))) {
            for (PriceEntry e : prices()) {
                p.send(new ProducerRecord<>(Topics.PRICES_TOPIC, e.getEntryId(), e)).get();
            }
        }
    }

    /** The tenant id {@link #events} gives its {@code i}-th tenant. */
    static String tenant(int i) {
        return "tenant-" + i;
    }

    /** A TENANT budget of {@code tenantId}, with the id the enforcer keys its scope by. */
    static Budget tenantBudget(String tenantId, String limitUsd, BudgetPeriod period) {
        return Budget.newBuilder(budget(BudgetScope.GLOBAL, null, limitUsd, period)).setBudgetId(ScopeKeys.tenant(tenantId))
                .setScope(BudgetScope.TENANT).setTenantId(tenantId).build();
    }

    static Budget budget(BudgetScope scope, String featureId, String limitUsd, BudgetPeriod period) {
        String id = scope == BudgetScope.GLOBAL ? "global" : scope.name().toLowerCase() + ":" + featureId;
        return Budget.newBuilder().setBudgetId(id).setScope(scope).setFeatureId(featureId)
                .setLimitUsd(Money.of(limitUsd)).setPeriod(period).setBurstTolerancePct(0)
                .setUpdatedAt(Instant.now()).build();
    }

    /** Aggregator settings for a test: own application id and state dir, no shipped catalog, HTTP off. */
    static Map<String, Object> aggregatorProps(LocalStack stack, String appId, Path stateDir) {
        Map<String, Object> props = new HashMap<>();
        props.put(AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        props.put(AggregatorConfig.APPLICATION_ID_CONFIG, appId);
        props.put(AggregatorConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(AggregatorConfig.HTTP_PORT_CONFIG, -1);
        props.put(AggregatorConfig.DEFAULT_CATALOG_CONFIG, false);
        props.put(AggregatorConfig.FLUSH_INTERVAL_CONFIG, 500L);
        props.put(AggregatorConfig.UNPRICED_ALERT_INTERVAL_CONFIG, 0L);
        return props;
    }

    static Map<String, Object> enforcerProps(LocalStack stack, String appId, Path stateDir) {
        Map<String, Object> props = new HashMap<>();
        props.put(EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        props.put(EnforcerConfig.APPLICATION_ID_CONFIG, appId);
        props.put(EnforcerConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /** Starts a LocalStack on free ports (the registry binds port 0 itself, so no port can be taken in between). */
    static LocalStack startStack() {
        return LocalStack.builder().start();
    }

    /** {@code -D<prefix><key>=<value>} system properties as overrides (benchmark experiments). */
    static void overridesFromSystemProperties(String prefix, Map<String, Object> into) {
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith(prefix)) {
                into.put(k.toString().substring(prefix.length()), v);
            }
        });
    }
}
