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

import dev.tokenledger.aggregator.AggregatorApp;
import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark (not a test): latency from the <em>usage event</em> on tokenledger.usage.v1 that crosses
 * 100 % of a budget to DENY visible in a {@link BudgetGate} fed from tokenledger.budget-state.v1 — the
 * whole path through the enforcer (validate, dedup, price, scope fan-out, ledger) → budget-state → gate, with the
 * aggregator running beside it on the same usage (it is not on this path), both apps exactly_once_v2 with their
 * shipped commit intervals, in-process on one LocalStack, under a background load of usage events (their own, never
 * exhausted, budget). Each crossing: a $1 DAY budget on its own feature and one event costing $1.20. The first
 * crossings are not timed ({@code -Dbench.warmup.crossings}, default 10): the apps have just started, the JIT is
 * compiling, and crossings there take up to seconds.
 * Prints p50/p99/max over the crossings, the background rate achieved, and a same-run baseline: one
 * plain produce → consume hop on the same broker.
 * Args: [crossings, default 60] [background events/s, default 20000] [partitions, default 3].
 * {@code -Daggregator.<key>=<v>} / {@code -Denforcer.<key>=<v>} override app settings.
 */
public final class DenyLatencyBenchmark {
    /** Crossings first, not timed: {@code -Dbench.warmup.crossings}, default 10. */
    private static final int WARMUP = Integer.getInteger("bench.warmup.crossings", 10);

    private DenyLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int crossings = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (LocalStack stack = E2e.startStack()) {
            stack.createTopics(Topics.ALL, partitions);
            E2e.publishPrices(stack);
            run(stack, crossings, rate);
        }
        System.exit(0);
    }

    private static void run(LocalStack stack, int crossings, int rate) throws Exception {
        Map<String, Object> agg = E2e.aggregatorProps(stack, "e2e-deny-aggregator", Files.createTempDirectory("e2e-deny-agg-"));
        agg.remove(AggregatorConfig.FLUSH_INTERVAL_CONFIG);
        agg.remove(AggregatorConfig.UNPRICED_ALERT_INTERVAL_CONFIG);
        E2e.overridesFromSystemProperties("aggregator.", agg);
        Map<String, Object> enf = E2e.enforcerProps(stack, "e2e-deny-enforcer", Files.createTempDirectory("e2e-deny-enf-"));
        E2e.overridesFromSystemProperties("enforcer.", enf);
        System.out.printf("aggregator overrides %s; enforcer overrides %s%n", agg, enf);

        int features = crossings + WARMUP;
        SpecificAvroSerializer<UsageEvent> ser = new SpecificAvroSerializer<>(UsageEvent.class);
        ser.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        Properties fast = E2e.producerProps(stack.bootstrapServers());
        fast.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, SpecificRecord> setup = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                new StringSerializer(), E2e.avroSerializer(stack.registryUrl()))) {
            for (int i = 0; i < features; i++) {
                Budget b = E2e.budget(BudgetScope.FEATURE, "bench_" + i, "1", BudgetPeriod.DAY);
                setup.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, b.getBudgetId(), b));
            }
            Budget load = E2e.budget(BudgetScope.FEATURE, "load", "1000000000", BudgetPeriod.DAY);
            setup.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, load.getBudgetId(), load));
            setup.flush();
        }
        try (AggregatorApp aggregator = AggregatorApp.start(new AggregatorConfig(agg));
             EnforcerApp enforcer = EnforcerApp.start(new EnforcerConfig(enf));
             KafkaProducer<byte[], byte[]> loadProducer = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaProducer<byte[], byte[]> crossingProducer = new KafkaProducer<>(fast, new ByteArraySerializer(),
                     new ByteArraySerializer());
             BudgetGate gate = KafkaBudgetGates.builder(stack.bootstrapServers(), stack.registryUrl()).gateId("e2e-deny").connect()) {
            gate.awaitReady(Duration.ofSeconds(120));
            long setupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (gate.state("feature:bench_" + (features - 1)) == null && System.nanoTime() < setupDeadline) {
                LockSupport.parkNanos(1_000_000);
            }
            if (gate.state("feature:bench_" + (features - 1)) == null) {
                throw new IllegalStateException("the gate never saw the budgets' state (aggregator " + aggregator.streams().state()
                        + ", enforcer " + enforcer.state() + ")");
            }

            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            UsageEvent template = E2e.events("load", 5, 1, Instant.now()).get(0);
            template.setFeatureId("load");
            Thread loader = new Thread(() -> {
                long start = System.nanoTime();
                while (loading.get()) {
                    long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                    while (sent.get() < due) {
                        long i = sent.incrementAndGet();
                        template.setEventId("load-" + i);
                        template.setRequestId("req-load-" + i);
                        template.setRootRequestId("root-load-" + i);
                        template.setOccurredAt(Instant.now());
                        // Keyed by workflow, as the agent keys usage (UsageKeys): older producers' keys cost one re-keying hop.
                        loadProducer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, UsageKeys.keyOf(template).getBytes(StandardCharsets.UTF_8),
                                ser.serialize(Topics.USAGE_TOPIC, template)));
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }, "deny-bench-load");
            loader.start();
            long loadStart = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));   // let the background load reach its rate

            Histogram deny = new Histogram(3);
            int timedOut = 0;
            for (int i = 0; i < features; i++) {
                String feature = "bench_" + i;
                UsageEvent crossing = UsageEvent.newBuilder().setEventId("crossing-" + i).setKind(UsageKind.COMPLETED)
                        .setOccurredAt(Instant.now()).setFeatureId(feature).setTenantId("acme").setRequestId("req-crossing-" + i)
                        .setProvider(E2e.PROVIDER).setModel("e2e-sonnet").setInputTokens(400_000).setOutputTokens(1)
                        .build();   // 400,000 x $3/M + 1 x $15/M = $1.200015 > $1
                byte[] value = ser.serialize(Topics.USAGE_TOPIC, crossing);
                byte[] key = UsageKeys.keyOf(crossing).getBytes(StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                crossingProducer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, key, value));
                long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
                boolean denied = false;
                while (!(denied = !gate.check(feature, "acme", 1L).allowed()) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                long micros = (System.nanoTime() - t0) / 1_000;
                if (!denied) {
                    timedOut++;
                } else if (i >= WARMUP) {
                    deny.recordValue(micros);
                }
                if (Boolean.getBoolean("bench.verbose")) {
                    System.out.printf("crossing %d%s: %.1f ms%n", i, i < WARMUP ? " (warm-up)" : "", micros / 1000.0);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            loading.set(false);
            loader.join();
            double achieved = sent.get() / ((System.nanoTime() - loadStart) / 1e9);
            System.out.printf("CROSSING usage event -> DENY in gate (%d crossings after %d warm-up, background %,.0f usage events/s"
                            + " requested %,d/s, %d timed out after 30 s): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    deny.getTotalCount(), WARMUP, achieved, rate, timedOut, deny.getValueAtPercentile(50) / 1000.0,
                    deny.getValueAtPercentile(99) / 1000.0, deny.getMaxValue() / 1000.0);
            Histogram hop = baselineHop(stack.bootstrapServers(), Math.max(crossings, 50));
            System.out.printf("BASELINE one produce->consume hop (same broker, same run, after the load): p50 %.1f ms, p99 %.1f ms"
                            + " -> crossing/hop p50 %.1fx, p99 %.1fx%n",
                    hop.getValueAtPercentile(50) / 1000.0, hop.getValueAtPercentile(99) / 1000.0,
                    (double) deny.getValueAtPercentile(50) / hop.getValueAtPercentile(50),
                    (double) deny.getValueAtPercentile(99) / hop.getValueAtPercentile(99));
        }
    }

    /** One plain produce → consume round trip of a 400-byte record, acks=all, fetch.max.wait 50 ms. */
    private static Histogram baselineHop(String bootstrap, int n) throws Exception {
        String topic = "bench-hop";
        Properties p = E2e.producerProps(bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        Histogram h = new Histogram(3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            producer.send(new ProducerRecord<>(topic, new byte[400])).get();
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[400]));
                boolean got = false;
                while (!got) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        got = true;
                    }
                }
                h.recordValue((System.nanoTime() - t0) / 1_000);
            }
        }
        return h;
    }
}
