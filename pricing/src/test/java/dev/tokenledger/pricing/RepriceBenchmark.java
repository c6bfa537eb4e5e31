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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.LongContextTier;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast can history be re-priced? Stores N costed usage events (default 1,000,000) on a real broker, publishes a
 * long-context tier that changes the price of half of them, then times {@link RepriceJob}: a dry run (read, re-price,
 * sum) and a real run (the same plus one adjustment per changed event in exactly-once transactions). The baseline of
 * the same run is the plain pricing rate: {@link UsagePricer#price} over the same events in memory, on one thread.
 *
 * <p>Usage: {@code RepriceBenchmark [events] [partitions]}.
 */
public final class RepriceBenchmark {
    /** The last 4 days: older records would fall to the broker's 7-day retention by timestamp before they are read. */
    private static final Instant TO = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    private static final Instant FROM = TO.minus(Duration.ofDays(4));

    private RepriceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        final PriceEntry plain = Fixtures.entry("acme", "bench-1", "2026-01-01", "3", "15").build();
        final PriceEntry tier = Fixtures.entry("acme", "bench-1", FROM.toString().substring(0, 10), "3", "15")
                .setLongContext(LongContextTier.newBuilder().setThresholdTokens(200_000)
                        .setInputPerMtok(new BigDecimal("6")).setOutputPerMtok(new BigDecimal("22.5")).build()).build();
        final PriceCatalog before = PriceCatalog.of(List.of(plain));
        final List<UsageEvent> templates = templates();
        final long stepMs = Duration.between(FROM, TO).toMillis() / n;

        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(List.of(Topics.PRICES, Topics.USAGE_COSTED, Topics.PRICE_ADJUSTMENTS), partitions);
            final Map<String, Object> serde = Map.of("schema.registry.url", stack.registryUrl());
            long t0 = System.nanoTime();
            final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
            final Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            try (KafkaProducer<String, CostedUsage> producer = new KafkaProducer<>(props, new StringSerializer(),
                    SpecificAvroSerde.create(CostedUsage.class, serde, false).serializer())) {
                for (int i = 0; i < n; i++) {
                    final UsageEvent e = event(templates.get(i & 4095), i, FROM.plusMillis(i * stepMs));
                    final CostedUsage c = UsagePricer.price(e, before, e.getOccurredAt());
                    producer.send(new ProducerRecord<>(Topics.USAGE_COSTED_TOPIC, null, e.getOccurredAt().toEpochMilli(), e.getEventId(), c),
                            (md, ex) -> {
                                if (ex != null) {
                                    failed.incrementAndGet();
                                }
                            });
                }
                producer.flush();
            }
            System.out.printf("stored %,d costed usage events (%d sends failed) in %.1f s%n", n, failed.get(), (System.nanoTime() - t0) / 1e9);
            try (PriceCatalogPublisher publisher = PriceCatalogPublisher.create(stack.bootstrapServers(), stack.registryUrl(), Map.of())) {
                publisher.publish(List.of(plain, tier));
            }

            // Baseline, same run: the pricer alone over as many events (built the same way), in memory.
            final PriceCatalog after = PriceCatalog.of(List.of(plain, tier));
            BigDecimal sink = Money.ZERO;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                final UsageEvent e = event(templates.get(i & 4095), i, FROM.plusMillis(i * stepMs));
                sink = sink.add(UsagePricer.price(e, after, e.getOccurredAt()).getTotalCostUsd());
            }
            final double pricingRate = n / ((System.nanoTime() - t0) / 1e9);

            final RepriceJob job = new RepriceJob(stack.bootstrapServers(), stack.registryUrl(), Map.of());
            t0 = System.nanoTime();
            final RepriceSummary dry = job.run(new RepriceJob.Options(FROM, TO, true, 1000, "bench", "bench", false, Duration.ofMinutes(30)));
            final double dryRate = dry.eventsInRange() / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            final RepriceSummary real = job.run(new RepriceJob.Options(FROM, TO, false, 1000, "bench", "bench", false, Duration.ofMinutes(30)));
            final double realRate = real.eventsInRange() / ((System.nanoTime() - t0) / 1e9);

            System.out.printf("plain pricing (UsagePricer.price, in memory, one thread): %,.0f events/s (sink %s)%n", pricingRate, sink.signum());
            System.out.printf("reprice --dry-run: %,d events read from the broker, %,d change, delta %s: %,.0f events/s, ratio %.2f of plain pricing%n",
                    dry.eventsInRange(), dry.changed(), dry.totalDelta().toPlainString(), dryRate, dryRate / pricingRate);
            System.out.printf("reprice: %,d events, %,d adjustments in %d transactions: %,.0f events/s, ratio %.2f of plain pricing%n",
                    real.eventsInRange(), real.published(), real.transactions(), realRate, realRate / pricingRate);
        }
    }

    /** 4,096 calls, half of them above the 200K-token tier threshold. */
    private static List<UsageEvent> templates() {
        final Random rnd = new Random(42);
        final List<UsageEvent> out = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            out.add(Fixtures.event("acme", "bench-1", FROM).setFeatureId("feature-" + (i % 12)).setTenantId("t" + rnd.nextInt(200))
                    .setInputTokens(i % 2 == 0 ? 200_001 + rnd.nextInt(300_000) : rnd.nextInt(150_000))
                    .setOutputTokens(rnd.nextInt(4000)).build());
        }
        return out;
    }

    private static UsageEvent event(UsageEvent template, int i, Instant at) {
        final UsageEvent e = UsageEvent.newBuilder(template).build();
        e.setEventId("bench-" + i);
        e.setOccurredAt(at);
        return e;
    }
}
