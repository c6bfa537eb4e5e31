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

import dev.tokenledger.pricing.DeadLetterReason;
import static dev.tokenledger.aggregator.AggregatorFixtures.MODEL;
import static dev.tokenledger.aggregator.AggregatorFixtures.event;
import static dev.tokenledger.aggregator.AggregatorFixtures.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.OutputTokenStats;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UnpricedUsageAlert;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator topology on TopologyTestDriver, event time set explicitly on every event.
 *
 * <p>The driver runs at_least_once here: in exactly_once mode TopologyTestDriver loses records a
 * deserialization handler sends before any record of the task is processed (it only captures
 * output of a committed processing step). The real-broker IT runs exactly_once_v2.
 */
class AggregatorTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
    private static final PriceEntry SONNET = price("anthropic/claude-sonnet-4-5@2025-09-29", MODEL,
            Instant.parse("2025-09-29T00:00:00Z"), null, "3", "15", "3.75", "6", "0.30");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private AggregatorSerdes serdes;
    private TestInputTopic<String, UsageEvent> usage;
    private TestInputTopic<byte[], byte[]> rawUsage;
    private TestInputTopic<String, PriceEntry> prices;
    private TestOutputTopic<String, CostedUsage> costed;
    private TestOutputTopic<SpendKey, SpendAggregate> spend;
    private TestOutputTopic<String, UnpricedUsageAlert> alerts;
    private TestOutputTopic<String, OutputTokenStats> stats;
    private TestOutputTopic<byte[], byte[]> dlq;
    /** Latest value of every spend key seen, as a compacted topic would keep it. */
    private final Map<SpendKey, SpendAggregate> spendTable = new LinkedHashMap<>();

    private void start(Map<String, Object> overrides, Instant wallClock) {
        String registry = "mock://aggregator-topology-" + UUID.randomUUID();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
        cfg.put(AggregatorConfig.STATE_DIR_CONFIG, stateDir.toString());
        cfg.put(AggregatorConfig.FLUSH_INTERVAL_CONFIG, 0L);
        cfg.put(AggregatorConfig.TAIL_DIMENSIONS_CONFIG, true);   // every dimension; the shipped default leaves two to the warehouse
        cfg.put(AggregatorConfig.DEFAULT_CATALOG_CONFIG, false);
        cfg.putAll(overrides);
        AggregatorConfig config = new AggregatorConfig(cfg);
        serdes = AggregatorSerdes.forRegistry(registry);
        Topology topology = AggregatorTopology.build(config, serdes, () -> PriceCatalog.of(List.of()));
        Properties props = AggregatorApp.streamsProperties(config, null);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(topology, props, wallClock);
        usage = driver.createInputTopic(Topics.USAGE_TOPIC, new StringSerializer(), serdes.usage().serializer());
        rawUsage = driver.createInputTopic(Topics.USAGE_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        prices = driver.createInputTopic(Topics.PRICES_TOPIC, new StringSerializer(), serdes.price().serializer());
        costed = driver.createOutputTopic(Topics.USAGE_COSTED_TOPIC, new StringDeserializer(), serdes.costed().deserializer());
        spend = driver.createOutputTopic(Topics.SPEND_TOPIC, serdes.spendKey().deserializer(), serdes.spend().deserializer());
        alerts = driver.createOutputTopic(Topics.PRICING_ALERTS_TOPIC, new StringDeserializer(),
                serdes.unpricedAlert().deserializer());
        stats = driver.createOutputTopic(Topics.OUTPUT_STATS_TOPIC, new StringDeserializer(),
                serdes.outputStats().deserializer());
        dlq = driver.createOutputTopic(Topics.USAGE_DLQ_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void start() {
        start(Map.of(), T0.plus(Duration.ofDays(2)));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(UsageEvent e) {
        usage.pipeInput(e.getFeatureId(), e, e.getOccurredAt());
    }

    private Map<SpendKey, SpendAggregate> spendTable() {
        spend.readKeyValuesToList().forEach(kv -> spendTable.put(kv.key, kv.value));
        return spendTable;
    }

    private SpendAggregate spendOf(SpendDimension dim, String key, SpendWindow window, Instant windowStart) {
        return spendTable().get(SpendKey.newBuilder().setDimension(dim).setDimensionKey(key).setWindow(window)
                .setWindowStart(windowStart).build());
    }

    private static Instant dayOf(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), 86_400_000L) * 86_400_000L);
    }

    private static Instant hourOf(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), 3_600_000L) * 3_600_000L);
    }

    @Test
    void pricesEveryTokenClassAndAggregatesItPerDimension() {
        start();
        send(event("e1", "summarize", "acme", T0).setInputTokens(1_000).setOutputTokens(500).setReasoningTokens(100)
                .setCacheWrite5mTokens(2_000).setCacheWrite1hTokens(4_000).setCacheReadTokens(10_000).build());

        CostedUsage c = costed.readValue();
        assertThat(c.getPricingStatus()).isEqualTo(PricingStatus.PRICED);
        assertThat(c.getPriceEntryId()).isEqualTo(SONNET.getEntryId());
        // tokens x rate / 1e6, recomputed here: 1000 x $3, 500 x $15, 2000 x $3.75, 4000 x $6, 10000 x $0.30
        assertThat(c.getCostInputUsd()).isEqualByComparingTo("0.003");
        assertThat(c.getCostOutputUsd()).isEqualByComparingTo("0.0075");
        assertThat(c.getCostCacheWrite5mUsd()).isEqualByComparingTo("0.0075");
        assertThat(c.getCostCacheWrite1hUsd()).isEqualByComparingTo("0.024");
        assertThat(c.getCostCacheReadUsd()).isEqualByComparingTo("0.003");
        assertThat(c.getTotalCostUsd()).isEqualByComparingTo("0.045");
        // saving: 10000 cache reads at $3 instead of $0.30
        assertThat(c.getCacheSavingsUsd()).isEqualByComparingTo("0.027");

        SpendAggregate day = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0));
        assertThat(day.getTotalCostUsd()).isEqualByComparingTo("0.045");
        assertThat(day.getCostCacheWrite1hUsd()).isEqualByComparingTo("0.024");
        assertThat(day.getCacheReadTokens()).isEqualTo(10_000);
        assertThat(day.getReasoningTokens()).isEqualTo(100);
        assertThat(day.getRequestCount()).isEqualTo(1);
        assertThat(day.getCacheSavingsUsd()).isEqualByComparingTo("0.027");
        for (SpendDimension dim : SpendDimension.values()) {
            assertThat(spendTable().keySet()).as("dimension %s", dim).anyMatch(k -> k.getDimension() == dim);
        }
        assertThat(spendOf(SpendDimension.FEATURE_TENANT, "summarize|acme", SpendWindow.MONTH,
                Instant.parse("2026-11-01T00:00:00Z")).getTotalCostUsd()).isEqualByComparingTo("0.045");
        assertThat(spendOf(SpendDimension.TENANT_USER, "acme|u-acme", SpendWindow.DAY, dayOf(T0))).isNotNull();
        assertThat(spendOf(SpendDimension.ROOT_REQUEST, "root-e1", SpendWindow.DAY, dayOf(T0))).isNotNull();
        assertThat(spendOf(SpendDimension.PLAN_FEATURE, "pro|summarize", SpendWindow.HOUR, T0)).isNotNull();
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.MINUTE, T0).getRequestCount()).isEqualTo(1);
        // rolling windows of tail dimensions are served by queries, not published
        assertThat(spendTable().keySet()).noneMatch(k -> k.getDimension() == SpendDimension.TENANT
                && k.getWindow() == SpendWindow.ROLLING_24H);
        assertThat(spendOf(SpendDimension.GLOBAL, "all", SpendWindow.ROLLING_24H, hourOf(T0).minus(Duration.ofHours(23))))
                .extracting(SpendAggregate::getTotalCostUsd).satisfies(v -> assertThat(v).isEqualByComparingTo("0.045"));
    }

    @Test
    void aRetriedEventCountsOnce() {
        start();
        UsageEvent e = event("e1", "summarize", "acme", T0).build();
        send(e);
        send(e);
        send(UsageEvent.newBuilder(e).setAttempt(1).build());

        assertThat(costed.readValuesToList()).hasSize(1);
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)).getRequestCount()).isEqualTo(1);
    }

    @Test
    void replayingTheInputFromTheStartDoublesNothing() {
        start();
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event("e" + i, i % 3 == 0 ? "chat" : "summarize", "t" + (i % 4), T0.plusSeconds(i * 97L))
                    .setOutputTokens(100 + i).build());
        }
        events.forEach(this::send);
        Map<SpendKey, SpendAggregate> afterFirstPass = new HashMap<>(spendTable());
        int costedFirst = costed.readValuesToList().size();

        events.forEach(this::send);

        assertThat(costedFirst).isEqualTo(20);
        assertThat(costed.readValuesToList()).isEmpty();
        assertThat(spendTable().keySet()).isEqualTo(afterFirstPass.keySet());
        afterFirstPass.forEach((k, v) -> assertThat(spendTable().get(k).getTotalCostUsd())
                .as("%s", k).isEqualByComparingTo(v.getTotalCostUsd()));
        assertThat(spendOf(SpendDimension.GLOBAL, "all", SpendWindow.DAY, dayOf(T0)).getRequestCount()).isEqualTo(20);
    }

    @Test
    void theLastMillisecondOfADayAndTheFirstOfTheNextLandInDifferentDays() {
        start();
        Instant last = Instant.parse("2026-11-20T23:59:59.999Z");
        Instant first = Instant.parse("2026-11-21T00:00:00.000Z");
        send(event("late-night", "summarize", "acme", last).build());
        send(event("midnight", "summarize", "acme", first).build());

        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(last)).getRequestCount()).isEqualTo(1);
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, first).getRequestCount()).isEqualTo(1);
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, first).getWindowEnd())
                .isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
    }

    @Test
    void monthBoundaryFollowsANonUtcZone() {
        start(Map.of(AggregatorConfig.TIME_ZONE_CONFIG, "Europe/Paris"), Instant.parse("2026-12-01T06:00:00Z"));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        Instant lastOfNovInParis = Instant.parse("2026-11-30T22:59:59.999Z");
        Instant firstOfDecInParis = Instant.parse("2026-11-30T23:00:00Z");
        send(event("nov", "summarize", "acme", lastOfNovInParis).build());
        send(event("dec", "summarize", "acme", firstOfDecInParis).build());

        SpendAggregate nov = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.MONTH,
                Instant.parse("2026-10-31T23:00:00Z"));
        SpendAggregate dec = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.MONTH, firstOfDecInParis);
        assertThat(nov.getRequestCount()).isEqualTo(1);
        assertThat(nov.getTimeZone()).isEqualTo("Europe/Paris");
        assertThat(nov.getWindowEnd()).isEqualTo(firstOfDecInParis);
        assertThat(dec.getRequestCount()).isEqualTo(1);
        assertThat(dec.getWindowEnd()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
    }

    @Test
    void aLateEventCountsInsideTheGraceAndNotAfterIt() {
        start(Map.of(AggregatorConfig.GRACE_CONFIG, Duration.ofHours(1).toMillis(),
                AggregatorConfig.DEDUP_HORIZON_CONFIG, Duration.ofDays(1).toMillis()), T0.plus(Duration.ofDays(1)));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        send(event("a", "summarize", "acme", T0.plus(Duration.ofMinutes(10))).build());
        send(event("b", "summarize", "acme", T0.plus(Duration.ofMinutes(90))).build());   // stream time 13:30
        send(event("c", "summarize", "acme", T0.plus(Duration.ofMinutes(20))).build());   // hour 12 closes at 14:00: in
        send(event("d", "summarize", "acme", T0.plus(Duration.ofHours(3))).build());      // stream time 15:00
        send(event("e", "summarize", "acme", T0.plus(Duration.ofMinutes(30))).build());   // hour 12 closed: out

        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.HOUR, T0).getRequestCount()).isEqualTo(2);
        // the day is still open: every event counts there
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)).getRequestCount()).isEqualTo(5);
        // skipped window updates: e missed the closed HOUR 12 of every dimension kept hourly (GLOBAL, FEATURE,
        // FEATURE_MODEL, PLAN_FEATURE, TENANT, FEATURE_TENANT) and its MINUTE windows (GLOBAL, FEATURE); c, in
        // time for HOUR 12, missed its MINUTE 12:20 (closed at 12:21 + 1 h grace, before stream time 13:30): 6 + 2 + 2
        assertThat(metricTotal(AggregatorMetrics.SPEND_LATE)).isEqualTo(10.0);
    }

    private double metricTotal(String operation) {
        return driver.metrics().entrySet().stream()
                .filter(m -> m.getKey().group().equals("stream-" + AggregatorMetrics.SCOPE + "-metrics")
                        && m.getKey().name().equals(operation + "-total"))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
    }

    @Test
    void anUnpricedModelIsCountedAndAlertedOncePerInterval() {
        start(Map.of(AggregatorConfig.UNPRICED_ALERT_INTERVAL_CONFIG, Duration.ofMinutes(10).toMillis()),
                T0.plus(Duration.ofDays(2)));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        for (int i = 0; i < 3; i++) {
            send(event("u" + i, "summarize", "acme", T0.plusSeconds(i)).setModel("claude-sonet-4-5").build());
        }
        send(event("priced", "summarize", "acme", T0.plusSeconds(5)).build());

        List<CostedUsage> out = costed.readValuesToList();
        assertThat(out).filteredOn(c -> c.getPricingStatus() == PricingStatus.UNPRICED).hasSize(3)
                .allSatisfy(c -> assertThat(c.getTotalCostUsd()).isEqualByComparingTo(BigDecimal.ZERO));
        SpendAggregate day = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0));
        assertThat(day.getUnpricedCount()).isEqualTo(3);
        assertThat(metricTotal(AggregatorMetrics.UNPRICED)).isEqualTo(3.0);
        assertThat(day.getRequestCount()).isEqualTo(4);
        List<UnpricedUsageAlert> raised = alerts.readValuesToList();
        assertThat(raised).hasSize(1);
        assertThat(raised.get(0).getModel()).isEqualTo("claude-sonet-4-5");
        assertThat(raised.get(0).getEventId()).isEqualTo("u0");

        driver.advanceWallClockTime(Duration.ofMinutes(11));
        send(event("u3", "summarize", "acme", T0.plusSeconds(9)).setModel("claude-sonet-4-5").build());
        List<UnpricedUsageAlert> again = alerts.readValuesToList();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).getUnpricedCount()).isEqualTo(4);
    }

    @Test
    void everyRefusedRecordGoesToTheDeadLetterTopicWithItsReasonBytesAndHeaders() {
        start(Map.of(AggregatorConfig.MAX_TOKENS_CONFIG, 5_000_000L,
                AggregatorConfig.DEDUP_HORIZON_CONFIG, Duration.ofDays(1).toMillis(),
                AggregatorConfig.GRACE_CONFIG, Duration.ofHours(1).toMillis()), T0);
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        Map<String, DeadLetterReason> expected = new LinkedHashMap<>();

        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        List<Header> headers = List.of(new TestHeader("trace-id", "abc".getBytes(StandardCharsets.UTF_8)));
        rawUsage.pipeInput(new TestRecord<>(new ProducerRecord<>(Topics.USAGE_TOPIC, null, T0.toEpochMilli(),
                "summarize".getBytes(StandardCharsets.UTF_8), garbage, headers)));
        expected.put("garbage", DeadLetterReason.UNDECODABLE);

        byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
        rawUsage.pipeInput(new TestRecord<>("summarize".getBytes(StandardCharsets.UTF_8), unknownId, null, T0));
        expected.put("unknown-id", DeadLetterReason.UNKNOWN_SCHEMA_ID);

        // (TopologyTestDriver runs every sub-topology in one task, so the far-future event, although refused,
        // would move the dedup stage's stream time: it goes last)
        send(event("recent", "summarize", "acme", T0).build());
        send(event("ancient", "summarize", "acme", T0.minus(Duration.ofDays(2))).build());
        expected.put("ancient", DeadLetterReason.BEYOND_DEDUP_HORIZON);

        List<UsageEvent> bad = List.of(
                event("neg", "summarize", "acme", T0).setOutputTokens(-1).build(),
                event("absurd", "summarize", "acme", T0).setInputTokens(9_000_000_000L).build(),
                event("nofeature", "", "acme", T0).build(),
                event("", "summarize", "acme", T0).build(),
                event("future", "summarize", "acme", T0.plus(Duration.ofDays(3))).build());
        bad.forEach(this::send);
        expected.put("neg", DeadLetterReason.NEGATIVE_TOKENS);
        expected.put("absurd", DeadLetterReason.ABSURD_TOKENS);
        expected.put("nofeature", DeadLetterReason.MISSING_FEATURE);
        expected.put("noid", DeadLetterReason.MISSING_EVENT_ID);
        expected.put("future", DeadLetterReason.FUTURE_EVENT);

        List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
        assertThat(letters).extracting(r -> DeadLetterReason.valueOf(header(r, UsageDeadLetterHandler.REASON_HEADER)))
                .containsExactlyElementsOf(expected.values());
        TestRecord<byte[], byte[]> first = letters.get(0);
        assertThat(first.value()).isEqualTo(garbage);
        assertThat(first.key()).isEqualTo("summarize".getBytes(StandardCharsets.UTF_8));
        assertThat(header(first, "trace-id")).isEqualTo("abc");
        assertThat(header(first, UsageDeadLetterHandler.TOPIC_HEADER)).isEqualTo(Topics.USAGE_TOPIC);
        assertThat(header(letters.get(1), UsageDeadLetterHandler.DETAIL_HEADER)).contains("987654");
        // a refused event keeps its original bytes: they decode back to the event
        UsageEvent neg = serdes.usage().deserializer().deserialize(Topics.USAGE_TOPIC, letters.get(3).value());
        assertThat(neg.getEventId()).isEqualTo("neg");
        assertThat(header(letters.get(3), UsageDeadLetterHandler.DETAIL_HEADER)).contains("output_tokens = -1");

        // the app kept running: the good event was counted, none of the bad ones
        assertThat(costed.readValuesToList()).extracting(c -> c.getEvent().getEventId()).containsExactly("recent");
    }

    @Test
    void aPriceChangeAppliesFromItsEffectiveDateWithoutRestart() {
        start();
        Instant change = T0.plus(Duration.ofHours(2));
        send(event("before", "summarize", "acme", T0.plus(Duration.ofHours(1))).setInputTokens(1_000_000).setOutputTokens(0).build());

        prices.pipeInput(SONNET.getEntryId(), PriceEntry.newBuilder(SONNET).setEffectiveTo(change).build());
        PriceEntry cheaper = price("anthropic/claude-sonnet-4-5@2026-11-20", MODEL, change, null, "1", "5", "1.25", "2", "0.10");
        prices.pipeInput(cheaper.getEntryId(), cheaper);

        send(event("after", "summarize", "acme", change.plus(Duration.ofMinutes(30))).setInputTokens(1_000_000).setOutputTokens(0).build());
        send(event("late-before", "summarize", "acme", change.minusMillis(1)).setInputTokens(1_000_000).setOutputTokens(0).build());

        Map<String, CostedUsage> byId = new HashMap<>();
        costed.readValuesToList().forEach(c -> byId.put(c.getEvent().getEventId(), c));
        assertThat(byId.get("before").getTotalCostUsd()).isEqualByComparingTo("3");
        assertThat(byId.get("after").getTotalCostUsd()).isEqualByComparingTo("1");
        assertThat(byId.get("after").getPriceEntryId()).isEqualTo(cheaper.getEntryId());
        assertThat(byId.get("late-before").getTotalCostUsd()).isEqualByComparingTo("3");
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)).getTotalCostUsd())
                .isEqualByComparingTo("7");
    }

    @Test
    void rollingWindowsSumTheirHoursAndDays() {
        start();
        send(event("h0", "summarize", "acme", T0).build());
        send(event("h10", "summarize", "acme", T0.plus(Duration.ofHours(10))).build());
        send(event("h30", "summarize", "acme", T0.plus(Duration.ofHours(30))).build());

        Instant ref = T0.plus(Duration.ofHours(30));
        SpendAggregate last24 = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.ROLLING_24H,
                hourOf(ref).minus(Duration.ofHours(23)));
        assertThat(last24.getRequestCount()).as("only h10 and h30 fall in the 24 h ending with the hour of h30").isEqualTo(2);
        SpendAggregate last30d = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.ROLLING_30D,
                dayOf(ref).minus(Duration.ofDays(29)));
        assertThat(last30d.getRequestCount()).isEqualTo(3);
        assertThat(last30d.getTotalCostUsd()).isEqualByComparingTo(Money.of("0.018"));
    }

    @Test
    void outputTokenPercentilesPerFeature() {
        start();
        for (int i = 1; i <= 200; i++) {
            send(event("s" + i, "summarize", "acme", T0.plusSeconds(i)).setOutputTokens(i * 10L).setInputTokens(1000).build());
        }
        Map<String, OutputTokenStats> latest = new HashMap<>();
        stats.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
        OutputTokenStats s = latest.get("summarize");
        assertThat(s.getSampleCount()).isEqualTo(200);
        assertThat(s.getP50OutputTokens()).isBetween(990L, 1010L);
        assertThat(s.getP95OutputTokens()).isBetween(1880L, 1920L);
        assertThat(s.getP99OutputTokens()).isBetween(1960L, 2000L);
        assertThat(s.getMaxOutputTokens()).isBetween(2000L, 2020L);
        assertThat(s.getP99InputSideTokens()).isBetween(1000L, 1010L);
    }

    @Test
    void queriesReadTheStoresTheHttpServerServes() {
        start();
        send(event("q1", "summarize", "acme", T0).build());
        send(event("q2", "chat", "acme", T0.plusSeconds(5)).setOutputTokens(10_000).setRootRequestId("root-q1").build());
        send(event("q3", "chat", "globex", T0.plus(Duration.ofDays(1))).setRootRequestId("root-q1").build());

        SpendQueries q = new SpendQueries(w -> driver.getWindowStore(AggregatorTopology.spendStore(w)),
                new SpendWindows(java.time.ZoneId.of("UTC")));
        assertThat(q.spend(SpendDimension.FEATURE, "chat", SpendWindow.DAY, T0).orElseThrow().getTotalCostUsd())
                .isEqualByComparingTo(costOf(1000, 10_000));
        assertThat(q.spend(SpendDimension.FEATURE_TENANT, "chat|globex", SpendWindow.MONTH, T0).orElseThrow().getRequestCount())
                .isEqualTo(1);
        assertThat(q.spend(SpendDimension.FEATURE, "chat", SpendWindow.ROLLING_30D, T0.plus(Duration.ofDays(1)))
                .orElseThrow().getRequestCount()).isEqualTo(2);
        assertThat(q.ranked(SpendDimension.FEATURE, SpendWindow.DAY, T0, 10)).extracting(SpendAggregate::getDimensionKey)
                .containsExactly("chat", "summarize");
        // top users within a tenant: the TENANT_USER ranking filtered to the tenant's keys
        assertThat(q.ranked(SpendDimension.TENANT_USER, SpendWindow.MONTH, T0, 10,
                k -> "globex".equals(TenantScope.tenantOf(SpendDimension.TENANT_USER, k))))
                .extracting(SpendAggregate::getDimensionKey).containsExactly("globex|u-globex");
        assertThat(q.ranked(SpendDimension.TENANT_USER, SpendWindow.MONTH, T0, 10)).hasSize(2);
        assertThat(q.workflowDays("root-q1")).hasSize(2)
                .extracting(SpendAggregate::getRequestCount).containsExactly(2L, 1L);
    }

    private static BigDecimal costOf(long input, long output) {
        return Money.costOf(input, Money.of("3")).add(Money.costOf(output, Money.of("15")));
    }

    @Test
    void aPriceAdjustmentMovesEveryWindowOfItsEventByItsDeltaOnceEvenWhenSentTwice() {
        start();
        // 300,000 input + 1,000 output tokens at $3 / $15: $0.915. A long-context tier added later for the same period
        // (whole request at $6 / $22.50 above 200K) makes it $1.8225: delta $0.9075, of which $0.90 input, $0.0075 output.
        final UsageEvent e = event("e-long", "summarize", "acme", T0).setInputTokens(300_000).setOutputTokens(1_000).build();
        send(e);
        final CostedUsage first = costed.readValue();
        assertThat(first.getTotalCostUsd()).isEqualByComparingTo("0.915");
        final PriceEntry withTier = PriceEntry.newBuilder(SONNET).setEntryId(SONNET.getEntryId() + "-tier")
                .setLongContext(dev.tokenledger.avro.LongContextTier.newBuilder().setThresholdTokens(200_000)
                        .setInputPerMtok(Money.of("6")).setOutputPerMtok(Money.of("22.5")).build()).build();
        final PriceAdjustment adjustment = dev.tokenledger.pricing.RepriceRule.adjust(e, dev.tokenledger.pricing.CostState.of(first),
                PriceCatalog.of(List.of(withTier)), new dev.tokenledger.pricing.RepriceRule.Audit("tier", "run", T0.plus(Duration.ofDays(1)),
                        "test")).orElseThrow();
        final TestInputTopic<String, PriceAdjustment> adjustments = driver.createInputTopic(Topics.PRICE_ADJUSTMENTS_TOPIC,
                new StringSerializer(), serdes.adjustment().serializer());

        adjustments.pipeInput(e.getEventId(), adjustment, T0.plus(Duration.ofDays(1)));
        adjustments.pipeInput(e.getEventId(), adjustment, T0.plus(Duration.ofDays(1)).plusSeconds(30));

        for (SpendAggregate a : List.of(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)),
                spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.MINUTE, Instant.ofEpochMilli(T0.toEpochMilli() / 60_000 * 60_000)),
                spendOf(SpendDimension.TENANT, "acme", SpendWindow.HOUR, hourOf(T0)),
                spendOf(SpendDimension.FEATURE_MODEL, "summarize|" + MODEL, SpendWindow.DAY, dayOf(T0)),
                spendOf(SpendDimension.GLOBAL, SpendDimensions.GLOBAL_KEY, SpendWindow.DAY, dayOf(T0)))) {
            assertThat(a.getTotalCostUsd()).as(a.getDimension() + " " + a.getWindow()).isEqualByComparingTo("1.8225");
            assertThat(a.getCostInputUsd()).isEqualByComparingTo("1.8");
            assertThat(a.getCostOutputUsd()).isEqualByComparingTo("0.0225");
            assertThat(SpendMath.classCostSum(a)).isEqualByComparingTo(a.getTotalCostUsd());
            assertThat(a.getRequestCount()).as("the call was counted once, when it was priced").isEqualTo(1);
            assertThat(a.getInputTokens()).isEqualTo(300_000);
        }
    }

    @Test
    void aRetryKeyedTheNewWayOrTheOldWayAfterAFlushStillCountsOnce() {
        start(Map.of(AggregatorConfig.FLUSH_INTERVAL_CONFIG, 1_000L), T0.plus(Duration.ofDays(2)));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        UsageEvent e = event("e1", "summarize", "acme", T0).build();
        usage.pipeInput(UsageKeys.keyOf(e), e, e.getOccurredAt());          // keyed by workflow: no repartition
        driver.advanceWallClockTime(Duration.ofSeconds(1));                // the partials are flushed
        SpendAggregate first = spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0));
        assertThat(first.getRequestCount()).isEqualTo(1);

        usage.pipeInput(UsageKeys.keyOf(e), e, e.getOccurredAt());          // a retry after the flush
        send(e);                                                           // and a copy from an old producer (by feature)
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(costed.readValuesToList()).hasSize(1);
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)).getRequestCount()).isEqualTo(1);
        assertThat(spendOf(SpendDimension.GLOBAL, "all", SpendWindow.MONTH, Instant.parse("2026-11-01T00:00:00Z"))
                .getTotalCostUsd()).isEqualByComparingTo(first.getTotalCostUsd());
    }

    @Test
    void pendingSumsReachTheChangelogAtEveryCommitOnceAndLeaveItAtTheFlush() {
        start(Map.of(AggregatorConfig.FLUSH_INTERVAL_CONFIG, 60_000L), T0.plus(Duration.ofDays(2)));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        TestOutputTopic<String, SpendPartial> changelog = driver.createOutputTopic(
                "tokenledger-aggregator-" + AggregatorTopology.SPEND_PENDING_STORE + "-changelog", new StringDeserializer(),
                SpendPartial.serde().deserializer());
        for (int i = 0; i < 3; i++) {
            UsageEvent e = event("p" + i, "summarize", "acme", T0.plusSeconds(i)).setOutputTokens(100 + i).build();
            usage.pipeInput(UsageKeys.keyOf(e), e, e.getOccurredAt());
        }
        BigDecimal expected = costed.readValuesToList().stream().map(CostedUsage::getTotalCostUsd)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(expected).isPositive();
        // The driver commits after each record: the FEATURE partial is written at each commit, holding everything so far.
        List<KeyValue<String, SpendPartial>> written = changelog.readKeyValuesToList().stream()
                .filter(kv -> kv.key.endsWith("|FEATURE|summarize")).toList();
        assertThat(written).hasSize(3);
        assertThat(written.get(2).value.requests()).isEqualTo(3);
        assertThat(written.get(2).value.amount(SpendPartial.TOTAL)).isEqualByComparingTo(expected);
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0))).as("not flushed yet").isNull();

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)).getTotalCostUsd())
                .isEqualByComparingTo(expected);
        usage.pipeInput("root-p9", event("p9", "chat", "acme", T0).setRootRequestId("root-p9").build(), T0);   // a commit
        assertThat(changelog.readKeyValuesToList().stream().filter(kv -> kv.key.endsWith("|FEATURE|summarize")))
                .as("the flushed partial is deleted from the changelog").singleElement().satisfies(kv -> assertThat(kv.value).isNull());
    }

    @Test
    void withTheShippedDefaultTheLongTailIsLeftToTheWarehouse() {
        start(Map.of(AggregatorConfig.TAIL_DIMENSIONS_CONFIG, false), T0.plus(Duration.ofDays(2)));
        prices.pipeInput(SONNET.getEntryId(), SONNET);
        UsageEvent e = event("t1", "summarize", "acme", T0).build();
        send(e);
        assertThat(spendOf(SpendDimension.FEATURE, "summarize", SpendWindow.DAY, dayOf(T0)).getRequestCount()).isEqualTo(1);
        assertThat(spendOf(SpendDimension.TENANT, "acme", SpendWindow.DAY, dayOf(T0)).getRequestCount()).isEqualTo(1);
        assertThat(spendTable().keySet()).noneMatch(k -> SpendDimensions.isTail(k.getDimension()));
        assertThat(costed.readValuesToList()).singleElement().satisfies(c -> assertThat(c.getEvent().getUserId()).isNotNull());
    }

    @Test
    void topologyDescriptionMatchesTheGoldenFile() throws IOException {
        AggregatorConfig config = new AggregatorConfig(Map.of(AggregatorConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://golden"));
        String actual = AggregatorTopology.build(config, AggregatorSerdes.forRegistry("mock://golden"),
                () -> PriceCatalog.of(List.of())).describe().toString();
        Path golden = Path.of("src/test/resources/aggregator-topology.txt");
        if (Boolean.getBoolean("tokenledger.updateGolden")) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).as("topology differs from %s; if the change is intended, regenerate with "
                + "-Dtokenledger.updateGolden=true and review the diff", golden).isEqualTo(Files.readString(golden));
    }

    private record TestHeader(String key, byte[] value) implements Header {
    }

    private static String header(TestRecord<byte[], byte[]> r, String key) {
        return r.headers().lastHeader(key) == null ? null
                : new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
