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
package dev.tokenledger.enforcer;

import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateDecision;
import dev.tokenledger.gate.GateRecordSink;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.BudgetMode;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.BudgetStatus;
import dev.tokenledger.avro.StalePolicy;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark (not a test). Prints:
 * <ol>
 *   <li>gate check p50/p99 and checks/s on one thread, next to a same-run baseline (one
 *       ConcurrentHashMap lookup per call);</li>
 *   <li>latency from the costed usage event that crosses 100 % to DENY visible in a gate (p50/p99
 *       over many crossings) under a background load of costed events, next to a same-run baseline:
 *       one plain produce → consume hop on the same broker.</li>
 * </ol>
 * Run: see docs/benchmarks.md (budget-enforcer section). Args: [crossings] [background events/s].
 */
public final class EnforcerBenchmark {

    public static void main(String[] args) throws Exception {
        final int crossings = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        gateCheck();
        crossingLatency(crossings, rate);
        System.exit(0);
    }

    // ------------------------------------------------------------------ gate check

    private static BudgetState state(String key, String limit, String spent) {
        return BudgetState.newBuilder().setScopeKey(key).setBudgetId(key).setScope(BudgetScope.FEATURE).setFeatureId("f")
                .setStatus(BudgetStatus.ALLOW).setMode(BudgetMode.ENFORCE).setStalePolicy(StalePolicy.OPEN)
                .setLimitUsd(Money.of(limit)).setSpentUsd(Money.of(spent)).setReservedUsd(Money.ZERO)
                .setRemainingUsd(Money.of(limit).subtract(Money.of(spent)))
                .setPeriodStart(Instant.now().minusSeconds(3600)).setPeriodEnd(Instant.now().plusSeconds(3600))
                .setReasonCode("WITHIN_BUDGET").setVersion(1).setUpdatedAt(Instant.now()).setHeartbeatAt(Instant.now().plusSeconds(3600))
                .build();
    }

    private static void gateCheck() {
        final BudgetGate gate = new BudgetGate("bench", Duration.ofHours(2), Duration.ofMinutes(10), System::currentTimeMillis,
                new GateRecordSink() {
                    @Override
                    public void leaseRequest(dev.tokenledger.avro.LeaseRequest r) {
                    }

                    @Override
                    public void decision(BudgetDecision d) {
                    }
                });
        gate.onState("global", state("global", "100000", "10"));
        gate.onState("tenant:acme", state("tenant:acme", "1000", "10"));
        gate.onState("feature:draft_email", state("feature:draft_email", "500", "10"));
        final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put("feature:f" + i, "v" + i);
        }
        map.put("feature:draft_email", "x");
        final String[] tenants = {"acme", "globex", "initech", "umbrella"};
        final long worst = 27_360_000L; // $0.02736 in nano-dollars
        long sink = 0;
        for (int round = 0; round < 3; round++) { // warm-up rounds, the last one is reported
            final int n = 5_000_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                final GateDecision d = gate.check("draft_email", tenants[i & 3], worst);
                sink += d.allowed() ? 1 : 0;
            }
            final double gateRate = n / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += map.get("feature:draft_email").length();
            }
            final double baseRate = n / ((System.nanoTime() - t0) / 1e9);
            final Histogram gateH = new Histogram(3);
            final Histogram baseH = new Histogram(3);
            for (int i = 0; i < 1_000_000; i++) {
                final long a = System.nanoTime();
                sink += gate.check("draft_email", tenants[i & 3], worst).allowed() ? 1 : 0;
                final long b = System.nanoTime();
                sink += map.get("feature:draft_email").length();
                final long c = System.nanoTime();
                gateH.recordValue(b - a);
                baseH.recordValue(c - b);
            }
            if (round == 2) {
                System.out.printf("GATE CHECK (one thread, 3 scopes per check): %,.0f checks/s; p50 %d ns, p99 %d ns, p99.9 %d ns"
                                + " (each includes one System.nanoTime pair)%n", gateRate, gateH.getValueAtPercentile(50),
                        gateH.getValueAtPercentile(99), gateH.getValueAtPercentile(99.9));
                System.out.printf("BASELINE (one ConcurrentHashMap.get): %,.0f lookups/s; p50 %d ns, p99 %d ns -> gate/baseline throughput %.2f, p99 "
                        + "ratio %.2f%n",
                        baseRate, baseH.getValueAtPercentile(50), baseH.getValueAtPercentile(99), gateRate / baseRate,
                        (double) gateH.getValueAtPercentile(99)
                                / Math.max(1, baseH.getValueAtPercentile(99)));
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    // ------------------------------------------------------------------ crossing latency

    private static void crossingLatency(int crossings, int rate) throws Exception {
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, 3);
            final Map<String, Object> cfg = new HashMap<>(Map.of(
                    EnforcerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    EnforcerConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl(),
                    EnforcerConfig.STATE_DIR_CONFIG, Files.createTempDirectory("enforcer-bench").toString(),
                    EnforcerConfig.SCOPE_PARTITIONS_CONFIG, 3));
            // -Denforcer.<key>=<value> overrides any enforcer / Kafka Streams setting (experiments)
            System.getProperties().forEach((k, v) -> {
                if (k.toString().startsWith("enforcer.")) {
                    cfg.put(k.toString().substring("enforcer.".length()), v);
                }
            });
            final Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            final Map<String, Object> registry = Map.of("schema.registry.url", stack.registryUrl());
            final SpecificAvroSerializer<Budget> budgets = new SpecificAvroSerializer<>(Budget.class);
            budgets.configure(registry, false);
            final SpecificAvroSerializer<UsageEvent> costed = new SpecificAvroSerializer<>(UsageEvent.class);
            costed.configure(registry, false);
            final SpecificAvroSerializer<dev.tokenledger.avro.PriceEntry> prices = new SpecificAvroSerializer<>(dev.tokenledger.avro.PriceEntry.class);
            prices.configure(registry, false);
            final Serializer<SpecificRecord> ser = (topic, v) -> v instanceof Budget b ? budgets.serialize(topic, b)
                    : v instanceof dev.tokenledger.avro.PriceEntry e ? prices.serialize(topic, e) : costed.serialize(topic, (UsageEvent) v);
            try (EnforcerApp enforcer = EnforcerApp.start(new EnforcerConfig(cfg));
                 KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), ser);
                 BudgetGate gate = KafkaBudgetGates.builder(stack.bootstrapServers(), stack.registryUrl()).gateId("bench").connect()) {
                gate.awaitReady(Duration.ofSeconds(60));
                producer.send(new ProducerRecord<>(Topics.PRICES_TOPIC, Fixtures.TEST_PRICE.getEntryId(), Fixtures.TEST_PRICE));
                final int warmup = 10;
                final int features = crossings + warmup;
                for (int i = 0; i < features; i++) {
                    final Budget b = Budget.newBuilder().setBudgetId("feature:bench_" + i).setScope(BudgetScope.FEATURE).setFeatureId("bench_" + i)
                            .setLimitUsd(Money.of("1")).setPeriod(BudgetPeriod.DAY).setBurstTolerancePct(0).setUpdatedAt(Instant.now()).build();
                    producer.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, b.getBudgetId(), b));
                }
                // background budget: the load traffic has its own (never exhausted) budget, so every event goes through the enforcer
                final Budget load = Budget.newBuilder().setBudgetId("feature:load").setScope(BudgetScope.FEATURE).setFeatureId("load")
                        .setLimitUsd(Money.of("1000000000")).setPeriod(BudgetPeriod.DAY).setUpdatedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, load.getBudgetId(), load));
                producer.flush();
                final long setupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (gate.state("feature:bench_" + (features - 1)) == null && System.nanoTime() < setupDeadline) {
                    Thread.onSpinWait();
                }
                final boolean withReservations = Boolean.getBoolean("bench.reservations");
                final AtomicBoolean loading = new AtomicBoolean(true);
                final AtomicLong sent = new AtomicLong();
                final Thread loader = new Thread(() -> {
                    final long start = System.nanoTime();
                    while (loading.get()) {
                        final long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                        while (sent.get() < due) {
                            if (withReservations) {
                                // the full gate cycle: HELD, costed usage naming the hold, COMMITTED
                                final String root = "load-" + sent.get();
                                final GateDecision d = gate.reserve(dev.tokenledger.gate.GateCall.of("load", "acme", root),
                                        new java.math.BigDecimal("0.0002"));
                                final UsageEvent u = Fixtures.event("load", "acme", "0.0001", Instant.now(),
                                        d.reservation() == null ? null : d.reservation().reservationId());
                                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, u.getFeatureId(), u));
                                if (d.reservation() != null) {
                                    gate.commit(d.reservation(), new java.math.BigDecimal("0.0001"));
                                }
                            } else {
                                final UsageEvent u = Fixtures.event("load", "acme", "0.0001", Instant.now());
                                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, u.getFeatureId(), u));
                            }
                            sent.incrementAndGet();
                        }
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "bench-load");
                loader.start();
                final long loadStart = System.nanoTime();
                Thread.sleep(3000);
                final Histogram deny = new Histogram(3);
                for (int i = 0; i < features; i++) {
                    final String f = "bench_" + i;
                    final UsageEvent u = Fixtures.event(f, "acme", "1.0", Instant.now());
                    final long t0 = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, u.getFeatureId(), u));
                    final long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
                    while (gate.check(f, "acme", 1L).allowed() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    if (i >= warmup) {
                        deny.recordValue((System.nanoTime() - t0) / 1_000);
                    }
                    if (Boolean.getBoolean("bench.verbose")) {
                        System.out.printf("crossing %d%s: %.1f ms%n", i, i < warmup ? " (warm-up)" : "", (System.nanoTime() - t0) / 1e6);
                    }
                    Thread.sleep(50);
                }
                loading.set(false);
                loader.join();
                final double achieved = sent.get() / ((System.nanoTime() - loadStart) / 1e9);
                System.out.printf("CROSSING -> DENY in gate (%d crossings, background %,.0f costed events/s%s): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        crossings, achieved, withReservations ? " each with a gate hold and commit" : "",
                        deny.getValueAtPercentile(50) / 1000.0, deny.getValueAtPercentile(99) / 1000.0, deny.getMaxValue() / 1000.0);
                final Histogram hop = baselineHop(stack.bootstrapServers(), Math.max(crossings, 20));
                System.out.printf("BASELINE one produce->consume hop (same broker, same run): p50 %.1f ms, p99 %.1f ms -> crossing/hop p50 %.1fx, "
                        + "p99 %.1fx%n",
                        hop.getValueAtPercentile(50) / 1000.0, hop.getValueAtPercentile(99) / 1000.0,
                        (double) deny.getValueAtPercentile(50) / hop.getValueAtPercentile(50),
                        (double) deny.getValueAtPercentile(99) / hop.getValueAtPercentile(99));
            }
        }
    }

    private static Histogram baselineHop(String bootstrap, int n) throws Exception {
        final String topic = "bench-hop";
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        final Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        final Histogram h = new Histogram(3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            producer.send(new ProducerRecord<>(topic, new byte[400])).get();
            final TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            for (int i = 0; i < n; i++) {
                final long t0 = System.nanoTime();
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
