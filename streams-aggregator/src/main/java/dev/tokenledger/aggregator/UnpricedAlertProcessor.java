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
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UnpricedUsageAlert;
import dev.tokenledger.avro.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Raises an {@link UnpricedUsageAlert} on {@code tokenledger.pricing-alerts.v1} when usage arrives
 * for a model no price entry covers. Input: UNPRICED costed usage keyed by {@code provider/model}
 * (repartition {@code unpriced-by-model}, so one task sees every event of a model). Store
 * {@link AggregatorTopology#UNPRICED_STORE} keeps, per model, the running unpriced count and when
 * the last alert was raised: at most one alert per model per {@code unpriced.alert.interval.ms}
 * (wall clock), each carrying the count so far and the closest priced model names.
 */
final class UnpricedAlertProcessor implements Processor<String, CostedUsage, String, UnpricedUsageAlert> {
    private final PriceCatalogHolder catalog;
    private final long intervalMs;
    private ProcessorContext<String, UnpricedUsageAlert> context;
    private org.apache.kafka.common.metrics.Sensor unpricedSensor;
    private KeyValueStore<String, UnpricedUsageAlert> state;
    private ReadOnlyKeyValueStore<String, PriceEntry> prices;

    UnpricedAlertProcessor(PriceCatalogHolder catalog, Duration interval) {
        this.catalog = catalog;
        this.intervalMs = interval.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, UnpricedUsageAlert> context) {
        this.context = context;
        this.unpricedSensor = AggregatorMetrics.sensor(context, AggregatorMetrics.UNPRICED);
        this.state = context.getStateStore(AggregatorTopology.UNPRICED_STORE);
        this.prices = context.getStateStore(AggregatorTopology.PRICE_STORE);
    }

    @Override
    public void process(Record<String, CostedUsage> record) {
        UsageEvent e = record.value().getEvent();
        unpricedSensor.record();
        long now = context.currentSystemTimeMs();
        UnpricedUsageAlert last = state.get(record.key());
        long count = (last == null ? 0 : last.getUnpricedCount()) + 1;
        if (last != null && now - last.getRaisedAt().toEpochMilli() < intervalMs) {
            last.setUnpricedCount(count);
            state.put(record.key(), last);
            return;
        }
        UnpricedUsageAlert alert = UnpricedUsageAlert.newBuilder()
                .setAlertId(record.key() + "@" + now)
                .setProvider(e.getProvider()).setModel(e.getModel()).setFeatureId(e.getFeatureId())
                .setEventId(e.getEventId()).setOccurredAt(e.getOccurredAt()).setUnpricedCount(count)
                .setClosestKnownModels(new ArrayList<>(List.copyOf(catalog.current(() -> PriceStores.entries(prices)).closestModels(e.getModel(), 3))))
                .setRaisedAt(Instant.ofEpochMilli(now))
                .build();
        state.put(record.key(), alert);
        context.forward(new Record<>(record.key(), alert, record.timestamp()));
    }
}
