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

import dev.tokenledger.pricing.PriceCatalogHolder;
import dev.tokenledger.pricing.UsageValidator;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.UsageKeys;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator: from raw usage to priced usage, running spend per dimension and window, unpriced
 * alerts and output-token percentiles.
 *
 * <pre>
 * tokenledger.usage.v1 (workflow key → UsageEvent, see UsageKeys; event time = occurred_at)
 *   → usage-validate            refuse bad events → tokenledger.usage-dlq.v1 (handler)
 *   → key follows UsageKeys?    yes: stays in its partition (every copy of an event is there)
 *                               no (old producers keyed by feature_id): repartition usage-rekeyed by workflow key
 *   → usage-dedup               [usage-dedup-store] retries / replays counted once
 *   → usage-price               [price-catalog-store, global from tokenledger.prices.v1]
 *   → tokenledger.usage-costed.v1 (event_id → CostedUsage)
 *   → unpriced-by-model → unpriced-alert [unpriced-alert-store] → tokenledger.pricing-alerts.v1
 *   → spend-partial [spend-pending-store: in memory, changelogged once per key and commit]
 *       → every spend.flush.interval.ms: spend-partials (minute partials by DIMENSION|key)
 *       → spend-merge [spend-{minute,hour,day,month}-store] → tokenledger.spend.v1 (SpendKey → SpendAggregate)
 *   → output-stats-partial [output-stats-pending-store] → output-stats-partials (by feature)
 *       → output-stats [output-stats-store] → tokenledger.output-stats.v1 (feature_id → OutputTokenStats)
 * </pre>
 * Every store, processor and repartition topic is named here; the golden test of
 * {@code describe()} keeps them from drifting.
 */
public final class AggregatorTopology {
    public static final String PRICE_STORE = "price-catalog-store";
    public static final String DEDUP_STORE = "usage-dedup-store";
    public static final String UNPRICED_STORE = "unpriced-alert-store";
    public static final String SPEND_PENDING_STORE = "spend-pending-store";
    public static final String OUTPUT_PENDING_STORE = "output-stats-pending-store";
    public static final String OUTPUT_STATS_STORE = "output-stats-store";
    public static final String ADJUSTMENT_DEDUP_STORE = "price-adjustment-dedup-store";

    public static final String USAGE_REKEYED = "usage-rekeyed";
    public static final String UNPRICED_BY_MODEL = "unpriced-by-model";
    public static final String SPEND_PARTIALS = "spend-partials";
    public static final String OUTPUT_STATS_PARTIALS = "output-stats-partials";

    /** Window kinds with a store of their own; ROLLING_* are derived from HOUR and DAY. */
    public static final List<SpendWindow> STORED_WINDOWS = List.of(SpendWindow.MINUTE, SpendWindow.HOUR,
            SpendWindow.DAY, SpendWindow.MONTH);

    private AggregatorTopology() {
    }

    /** Name of the window store holding running totals of one stored window kind. */
    public static String spendStore(SpendWindow window) {
        return "spend-" + window.name().toLowerCase(Locale.ROOT) + "-store";
    }

    /** The stored window kind a query on {@code window} reads (ROLLING_24H reads HOUR, ROLLING_30D reads DAY). */
    public static SpendWindow storedWindowFor(SpendWindow window) {
        switch (window) {
            case ROLLING_24H:
                return SpendWindow.HOUR;
            case ROLLING_30D:
                return SpendWindow.DAY;
            default:
                return window;
        }
    }

    /** The topology with the catalog shipped by TokenLedger as base when the config asks for it. */
    public static Topology build(AggregatorConfig config, AggregatorSerdes serdes) {
        Supplier<PriceCatalog> base = config.useDefaultCatalog()
                ? PriceCatalog::loadDefault : () -> PriceCatalog.of(List.of());
        return build(config, serdes, base);
    }

    public static Topology build(AggregatorConfig config, AggregatorSerdes serdes, Supplier<PriceCatalog> baseCatalog) {
        SpendWindows windows = new SpendWindows(config.zone());
        Duration grace = config.grace();
        PriceCatalogHolder catalog = new PriceCatalogHolder(baseCatalog);
        StreamsBuilder builder = new StreamsBuilder();

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PRICE_STORE), serdes.string(), serdes.price())
                        .withLoggingDisabled(),
                Topics.PRICES_TOPIC,
                Consumed.with(serdes.string(), serdes.price()).withName("price-catalog-update"),
                () -> new PriceCatalogUpdater(catalog));

        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUP_STORE, config.dedupHorizon().plusHours(1), Duration.ofMillis(1), false),
                serdes.string(), org.apache.kafka.common.serialization.Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UNPRICED_STORE),
                serdes.string(), serdes.unpricedAlert()));
        builder.addStateStore(WriteBackStore.builder(SPEND_PENDING_STORE, SpendPartial.serde()));
        builder.addStateStore(WriteBackStore.builder(OUTPUT_PENDING_STORE, TokenHistograms.serde()));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(OUTPUT_STATS_STORE, config.statsWindow().plus(grace).plusHours(1),
                        Duration.ofHours(1), false),
                serdes.string(), serdes.bytes()));
        for (SpendWindow w : STORED_WINDOWS) {
            Duration rollingExtra = w == SpendWindow.HOUR ? Duration.ofHours(24)
                    : w == SpendWindow.DAY ? Duration.ofDays(31) : Duration.ZERO;
            Duration size = SpendWindows.maxSize(w);
            builder.addStateStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore(spendStore(w), size.plus(grace).plus(rollingExtra).plusHours(1), size, false),
                    serdes.string(), serdes.spend()).withCachingEnabled());
        }

        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(ADJUSTMENT_DEDUP_STORE, config.dedupHorizon().plusHours(1), Duration.ofMillis(1), false),
                serdes.string(), org.apache.kafka.common.serialization.Serdes.Long()));

        UsageValidator validator = new UsageValidator(config.maxTokensPerClass(), config.futureSkewLimit());
        KStream<String, UsageEvent> usage = builder.stream(Topics.USAGE_TOPIC,
                Consumed.with(serdes.string(), serdes.usage()).withName("usage-source")
                        .withTimestampExtractor(new OccurredAtTimestampExtractor()));

        Duration dedupHorizon = config.dedupHorizon();
        // Producers key usage by workflow (UsageKeys): every copy of an event is in one partition, so dedup needs no
        // repartition. Only records keyed otherwise (older producers keyed by feature_id) take the re-keying hop.
        Map<String, KStream<String, UsageEvent>> byKey = usage
                .processValues(() -> new UsageValidationProcessor(validator), Named.as("usage-validate"))
                .split(Named.as("usage-key-"))
                .branch((key, event) -> UsageKeys.follows(key, event), Branched.as("by-workflow"))
                .defaultBranch(Branched.as("other"));
        KStream<String, UsageEvent> rekeyed = byKey.get("usage-key-other")
                .selectKey((key, event) -> UsageKeys.keyOf(event), Named.as("usage-rekey"))
                .repartition(Repartitioned.<String, UsageEvent>as(USAGE_REKEYED)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.usage()));
        KStream<String, CostedUsage> costed = byKey.get("usage-key-by-workflow")
                .merge(rekeyed, Named.as("usage-keyed-merge"))
                .processValues(() -> new UsageDedupProcessor(dedupHorizon), Named.as("usage-dedup"), DEDUP_STORE)
                .processValues(() -> new UsagePricingProcessor(catalog), Named.as("usage-price"));

        costed.selectKey((workflow, c) -> c.getEvent().getEventId(), Named.as("usage-costed-key-by-event-id"))
                .to(Topics.USAGE_COSTED_TOPIC, Produced.with(serdes.string(), serdes.costed()).withName("usage-costed-sink"));

        Duration alertInterval = config.unpricedAlertInterval();
        costed.filter((id, c) -> c.getPricingStatus() == PricingStatus.UNPRICED, Named.as("unpriced-filter"))
                .selectKey((id, c) -> c.getEvent().getProvider() + "/" + c.getEvent().getModel(),
                        Named.as("unpriced-key-by-model"))
                .repartition(Repartitioned.<String, CostedUsage>as(UNPRICED_BY_MODEL)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.costed()))
                .process(() -> new UnpricedAlertProcessor(catalog, alertInterval), Named.as("unpriced-alert"), UNPRICED_STORE)
                .to(Topics.PRICING_ALERTS_TOPIC, Produced.with(serdes.string(), serdes.unpricedAlert())
                        .withName("pricing-alerts-sink"));

        Duration flush = config.flushInterval();
        // Re-pricing corrections (tokenledger reprice): their cost deltas join the usage partials, once per adjustment id.
        KStream<String, SpendAggregate> adjustmentPartials = builder.stream(Topics.PRICE_ADJUSTMENTS_TOPIC,
                        Consumed.with(serdes.string(), serdes.adjustment()).withName("price-adjustments-source"))
                .process(() -> new AdjustmentSpendProcessor(windows, dedupHorizon, config.tailDimensions()), Named.as("price-adjustment-partial"),
                        ADJUSTMENT_DEDUP_STORE);
        costed.process(() -> new SpendPartialProcessor(windows, flush, config.tailDimensions()), Named.as("spend-partial"), SPEND_PENDING_STORE)
                .merge(adjustmentPartials, Named.as("spend-partials-with-adjustments"))
                .repartition(Repartitioned.<String, SpendAggregate>as(SPEND_PARTIALS)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.spend()))
                .process(() -> new SpendMergeProcessor(windows, grace), Named.as("spend-merge"),
                        STORED_WINDOWS.stream().map(AggregatorTopology::spendStore).toArray(String[]::new))
                .to(Topics.SPEND_TOPIC, Produced.with(serdes.spendKey(), serdes.spend()).withName("spend-sink"));

        Duration statsWindow = config.statsWindow();
        costed.process(() -> new OutputSampleProcessor(flush), Named.as("output-stats-partial"), OUTPUT_PENDING_STORE)
                .repartition(Repartitioned.<String, byte[]>as(OUTPUT_STATS_PARTIALS)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.bytes()))
                .process(() -> new OutputStatsProcessor(statsWindow), Named.as("output-stats"), OUTPUT_STATS_STORE)
                .to(Topics.OUTPUT_STATS_TOPIC, Produced.with(serdes.string(), serdes.outputStats())
                        .withName("output-stats-sink"));

        return builder.build();
    }
}
