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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Throughput of the aggregator with exactly_once_v2 next to the raw produce rate of the same records,
 * measured in the same run on the same broker (not a test; run it by hand):
 *
 * <pre>
 * mvn -B -q -o -pl streams-aggregator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tokenledger.aggregator.AggregatorThroughputBenchmark -Dexec.args="200000 4"
 * </pre>
 * (or java -cp with the test classpath). -Dthreads=2 -Dcommit.ms=1000 -Dflush.ms=1000 set the stream
 * threads, the transaction commit interval and the partial flush interval; -Dinstances=3 starts that many
 * aggregator instances of one application (in this JVM: they share its cores); -Dkey=feature keys the
 * usage the old way (re-keyed by the aggregator). At the end it prints the process RSS (VmRSS), so runs
 * at 100k and 1M events of the same key set show whether memory grows with keys or with events;
 * -Dchild=true runs the one instance in a JVM of its own instead and prints that JVM's RSS. Steps: generate N events (the IT's workload: 12 features, one
 * at 80 %); (1) raw: produce their serialized bytes with acks=all to a plain topic and time it;
 * (2) produce them to tokenledger.usage.v1 before the aggregator starts; (3) start the aggregator and
 * time until all N costed records are committed on tokenledger.usage-costed.v1 and the spend topic
 * stops moving. Prints events/s of each and the ratio.
 */
public final class AggregatorThroughputBenchmark {
    private static final String CHILD_JVM = "-Xmx512m -XX:+UseSerialGC";

    private AggregatorThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(Topics.ALL, partitions);
            AggregatorSerdes serdes = AggregatorSerdes.forRegistry(stack.registryUrl());
            List<UsageEvent> events = UsageWorkload.generate(11, n, Instant.now(), 10 * 60_000L);
            List<byte[]> bytes = new ArrayList<>(n);
            for (UsageEvent e : events) {
                bytes.add(serdes.usage().serializer().serialize(Topics.USAGE_TOPIC, e));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("bench.raw", partitions, (short) 1))).all().get();
            }

            // (1) raw produce of the same records, acks=all
            long rawStart = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerProps(stack), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    raw.send(new ProducerRecord<>("bench.raw", events.get(i).getFeatureId().getBytes(), bytes.get(i)));
                }
                raw.flush();
            }
            double rawSeconds = (System.nanoTime() - rawStart) / 1e9;

            // (2) the same bytes into the usage topic, plus prices
            try (KafkaProducer<String, byte[]> usage = new KafkaProducer<>(producerProps(stack), new StringSerializer(),
                    new ByteArraySerializer());
                 KafkaProducer<String, PriceEntry> prices = new KafkaProducer<>(producerProps(stack), new StringSerializer(),
                         serdes.price().serializer())) {
                for (PriceEntry p : UsageWorkload.prices()) {
                    prices.send(new ProducerRecord<>(Topics.PRICES_TOPIC, p.getEntryId(), p));
                }
                boolean oldKeys = "feature".equals(System.getProperty("key"));
                for (int i = 0; i < n; i++) {
                    UsageEvent e = events.get(i);
                    usage.send(new ProducerRecord<>(Topics.USAGE_TOPIC, oldKeys ? e.getFeatureId() : UsageKeys.keyOf(e), bytes.get(i)));
                }
                usage.flush();
            }

            // (3) the aggregator, exactly_once_v2, from the start of the topic
            Map<String, Object> props = new HashMap<>();
            props.put(AggregatorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
            props.put(AggregatorConfig.APPLICATION_ID_CONFIG, "aggregator-bench");
            props.put(AggregatorConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregator-bench-").toString());
            props.put(AggregatorConfig.HTTP_PORT_CONFIG, -1);
            props.put(AggregatorConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("threads", 2));
            props.put(AggregatorConfig.DEFAULT_CATALOG_CONFIG, false);
            props.put(AggregatorConfig.COMMIT_INTERVAL_MS_CONFIG, Long.getLong("commit.ms", 1000L));
            props.put(AggregatorConfig.FLUSH_INTERVAL_CONFIG, Long.getLong("flush.ms", 1000L));
            props.put("streams.consumer.max.poll.records", "2000");
            // -Daggregator.<key>=<value> overrides any aggregator setting (e.g. -Daggregator.rocksdb.write.buffer.bytes=...)
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("aggregator."))
                    .forEach(k -> props.put(k.substring("aggregator.".length()), System.getProperty(k)));
            System.out.println("aggregator overrides: " + props);
            events = null;   // only the bytes from here on: the heap then holds what the aggregator holds
            int instances = Integer.getInteger("instances", 1);
            long aggStart = System.nanoTime();
            long costed;
            List<AggregatorApp> apps = new ArrayList<>();
            Process child = null;
            String childJvm = System.getProperty("child.jvm", "").isBlank() ? CHILD_JVM : System.getProperty("child.jvm");
            if (Boolean.getBoolean("child")) {
                // One instance in a JVM of its own, so its RSS is the aggregator's alone. -Dchild.jvm replaces its JVM flags,
                // e.g. "-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseSerialGC": the whole heap is resident from the start,
                // so what RSS gains between runs of N events is native memory (RocksDB, metaspace, code), not heap growth.
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                cmd.addAll(List.of(childJvm.trim().split("\\s+")));
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AggregatorApp.class.getName()));
                props.forEach((k, v) -> cmd.add(k + "=" + v));
                child = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(Files.createTempFile("aggregator-bench-child-", ".log").toFile()).start();
            } else {
                for (int i = 0; i < instances; i++) {
                    Map<String, Object> own = new HashMap<>(props);
                    own.put(AggregatorConfig.STATE_DIR_CONFIG, Files.createTempDirectory("aggregator-bench-" + i + "-").toString());
                    apps.add(AggregatorApp.start(new AggregatorConfig(own)));
                }
            }
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumerProps(stack), new ByteArrayDeserializer(),
                         new ByteArrayDeserializer())) {
                reader.subscribe(List.of(Topics.USAGE_COSTED_TOPIC));
                costed = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (costed < n && System.nanoTime() < deadline) {
                    costed += reader.poll(Duration.ofMillis(200)).count();
                }
            }
            double aggSeconds = (System.nanoTime() - aggStart) / 1e9;
            if (child != null) {
                Thread.sleep(3_000);   // let the last commit and flush settle before reading the child's memory
                System.out.printf("aggregator child JVM (%s) after %,d events: VmRSS %s, VmHWM %s%n",
                        childJvm, n, status(child.pid(), "VmRSS"), status(child.pid(), "VmHWM"));
                child.destroy();
                child.waitFor();
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("memory after %,d events: RSS %s, heap used %,d MB (all in one JVM: broker, registry, %d aggregator"
                    + " instance(s))%n", n, rss(), (rt.totalMemory() - rt.freeMemory()) >> 20, instances);
            for (AggregatorApp app : apps) {
                app.close();
            }
            double rawRate = n / rawSeconds;
            double aggRate = costed / aggSeconds;
            System.out.printf("records: %d (%d partitions, ~%d bytes each)%n", n, partitions,
                    bytes.stream().mapToInt(b -> b.length).sum() / n);
            System.out.printf("raw produce (acks=all):            %,10.0f records/s (%.1f s)%n", rawRate, rawSeconds);
            System.out.printf("aggregator exactly_once_v2, %d instance(s) (start->all costed, incl. startup): %,10.0f events/s"
                    + " (%.1f s, %d costed)%n", instances, aggRate, aggSeconds, costed);
            System.out.printf("ratio aggregator / raw produce:    %.3f%n", aggRate / rawRate);
        }
    }

    private static String rss() throws IOException {
        return status(ProcessHandle.current().pid(), "VmRSS");
    }

    /** A field of /proc/{pid}/status (VmRSS: resident now, VmHWM: the peak). */
    private static String status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "unknown";
    }

    private static Properties producerProps(LocalStack stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    private static Properties consumerProps(LocalStack stack) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return p;
    }
}
