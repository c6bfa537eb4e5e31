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
import dev.tokenledger.avro.Budget;
import dev.tokenledger.avro.BudgetPeriod;
import dev.tokenledger.avro.BudgetScope;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Benchmark (not a test): end-to-end ingest → priced → aggregated → budget state, both Streams apps
 * with exactly_once_v2, in-process, on one LocalStack. Prints
 * <ol>
 *   <li>BASELINE: the raw produce rate of the same N pre-serialized UsageEvent records (acks=all,
 *       idempotent) to a scratch topic, measured in the same run;</li>
 *   <li>END TO END: the same N records produced to tokenledger.usage.v1, timed from the first send
 *       until the enforcer's published GLOBAL budget state shows spent equal to the sum of the N costs
 *       computed here (so every event was validated, deduplicated, priced, costed and accounted);</li>
 *   <li>the ratio end-to-end / baseline (target ≥ 1/3).</li>
 * </ol>
 * Args: [N events, default 20000] [partitions, default 3]. {@code -Daggregator.<key>=<v>} /
 * {@code -Denforcer.<key>=<v>} override app settings. Command: see docs/benchmarks.md ("End to end").
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (LocalStack stack = E2e.startStack()) {
            stack.createTopics(Topics.ALL, partitions);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("bench.raw", partitions, (short) 1),
                        new NewTopic("bench.warmup", partitions, (short) 1))).all().get();
            }
            E2e.publishPrices(stack);

            List<UsageEvent> events = E2e.events("bench", 1, n, Instant.now());
            SpecificAvroSerializer<UsageEvent> ser = new SpecificAvroSerializer<>(UsageEvent.class);
            ser.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
            byte[][] keys = new byte[n][];
            byte[][] values = new byte[n][];
            long bytes = 0;
            BigDecimal expected = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                UsageEvent e = events.get(i);
                keys[i] = e.getFeatureId().getBytes(StandardCharsets.UTF_8);
                values[i] = ser.serialize(Topics.USAGE_TOPIC, e);
                bytes += values[i].length;
                expected = expected.add(E2e.cost(e));
            }
            expected = Money.toScale(expected);
            events = null;   // only the bytes are used from here on
            System.out.printf("N = %,d UsageEvent records, %.0f bytes on average (Avro, Confluent framing), %d partitions,"
                    + " %d cores%n", n, (double) bytes / n, partitions, Runtime.getRuntime().availableProcessors());

            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                produce(producer, "bench.warmup", keys, values, Math.min(n, 20_000));   // warm-up (JIT, connections)
                double[] rates = new double[3];
                for (int pass = 0; pass < rates.length; pass++) {
                    long t0 = System.nanoTime();
                    produce(producer, "bench.raw", keys, values, n);
                    rates[pass] = n / ((System.nanoTime() - t0) / 1e9);
                }
                double[] sorted = rates.clone();
                java.util.Arrays.sort(sorted);
                double rawRate = sorted[1];
                System.out.printf("BASELINE raw produce (acks=all, idempotent, linger 5 ms, same records, median of 3 passes"
                        + " %,.0f / %,.0f / %,.0f): %,.0f records/s%n", rates[0], rates[1], rates[2], rawRate);

                double e2eRate = endToEnd(stack, producer, keys, values, expected);
                System.out.printf("END TO END usage -> costed -> spend -> GLOBAL budget state (exactly_once_v2 x2): %,.0f events/s%n",
                        e2eRate);
                System.out.printf("RATIO end-to-end / raw produce = %.4f (target >= 0.33)%n", e2eRate / rawRate);
            }
        }
        System.exit(0);
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, byte[][] keys, byte[][] values, int n) {
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, keys[i], values[i]));
        }
        producer.flush();
    }

    private static double endToEnd(LocalStack stack, KafkaProducer<byte[], byte[]> producer, byte[][] keys, byte[][] values,
                                   BigDecimal expected) throws Exception {
        Map<String, Object> agg = E2e.aggregatorProps(stack, "e2e-bench-aggregator", Files.createTempDirectory("e2e-bench-agg-"));
        agg.remove(AggregatorConfig.FLUSH_INTERVAL_CONFIG);        // shipped defaults
        agg.remove(AggregatorConfig.UNPRICED_ALERT_INTERVAL_CONFIG);
        E2e.overridesFromSystemProperties("aggregator.", agg);
        Map<String, Object> enf = E2e.enforcerProps(stack, "e2e-bench-enforcer", Files.createTempDirectory("e2e-bench-enf-"));
        E2e.overridesFromSystemProperties("enforcer.", enf);
        System.out.printf("aggregator overrides %s; enforcer overrides %s%n", agg, enf);

        Budget global = E2e.budget(BudgetScope.GLOBAL, null, "1000000000000", BudgetPeriod.MONTH);
        try (KafkaProducer<String, SpecificRecord> p = new KafkaProducer<>(E2e.producerProps(stack.bootstrapServers()),
                new StringSerializer(), E2e.avroSerializer(stack.registryUrl()))) {
            p.send(new ProducerRecord<>(Topics.BUDGETS_TOPIC, global.getBudgetId(), global)).get();
        }
        SpecificAvroDeserializer<BudgetState> stateDe = new SpecificAvroDeserializer<>(BudgetState.class);
        stateDe.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
        BudgetState[] latest = new BudgetState[1];
        try (AggregatorApp aggregator = AggregatorApp.start(new AggregatorConfig(agg));
             EnforcerApp enforcer = EnforcerApp.start(new EnforcerConfig(enf));
             TopicTail<String, BudgetState> states = new TopicTail<>(stack.bootstrapServers(), Topics.BUDGET_STATE_TOPIC,
                     new StringDeserializer(), stateDe, r -> {
                         if ("global".equals(r.key()) && r.value() != null) {
                             latest[0] = r.value();
                         }
                     })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((aggregator.streams().state() != KafkaStreams.State.RUNNING || enforcer.state() != KafkaStreams.State.RUNNING
                    || latest[0] == null) && System.nanoTime() < deadline) {
                states.poll();
            }
            if (latest[0] == null) {
                throw new IllegalStateException("no GLOBAL budget state within 120 s (aggregator " + aggregator.streams().state()
                        + ", enforcer " + enforcer.state() + ")");
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < keys.length; i++) {
                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, keys[i], values[i]));
            }
            producer.flush();
            System.out.printf("  all %,d produced to %s after %.1f s; waiting for GLOBAL spent = %s%n", keys.length,
                    Topics.USAGE_TOPIC, (System.nanoTime() - t0) / 1e9, expected.toPlainString());
            long report = System.nanoTime();
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (latest[0].getSpentUsd().compareTo(expected) != 0) {
                states.poll();
                if (System.nanoTime() - report > 10_000_000_000L) {
                    report = System.nanoTime();
                    System.out.printf("  %.0f s: GLOBAL spent %s of %s%n", (report - t0) / 1e9,
                            latest[0].getSpentUsd().toPlainString(), expected.toPlainString());
                }
                if (System.nanoTime() > deadline || latest[0].getSpentUsd().compareTo(expected) > 0) {
                    throw new IllegalStateException("GLOBAL spent " + latest[0].getSpentUsd() + " never became " + expected);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  GLOBAL spent = %s after %.1f s%n", latest[0].getSpentUsd().toPlainString(), seconds);
            return keys.length / seconds;
        }
    }
}
