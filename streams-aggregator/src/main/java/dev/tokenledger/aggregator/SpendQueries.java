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

import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads running spend from the window stores this instance holds (the HTTP server forwards a query
 * to the instance owning the key first). Rolling windows are summed from HOUR / DAY windows as of
 * the reference instant, as the merge stage does.
 */
public final class SpendQueries {
    private final Function<SpendWindow, ReadOnlyWindowStore<String, SpendAggregate>> stores;
    private final SpendWindows windows;

    /** {@code stores} gives the (local) store of a stored window kind (MINUTE, HOUR, DAY, MONTH). */
    public SpendQueries(Function<SpendWindow, ReadOnlyWindowStore<String, SpendAggregate>> stores, SpendWindows windows) {
        this.stores = stores;
        this.windows = windows;
    }

    public SpendWindows windows() {
        return windows;
    }

    /** The total of one dimension value in the window of kind {@code window} holding {@code at}. */
    public Optional<SpendAggregate> spend(SpendDimension dimension, String key, SpendWindow window, Instant at) {
        if (!SpendDimensions.hasWindow(dimension, window)) {
            throw new IllegalArgumentException("Dimension " + dimension + " is not kept in " + window + " windows");
        }
        String storeKey = SpendDimensions.storeKey(dimension, key);
        long ref = at.toEpochMilli();
        ReadOnlyWindowStore<String, SpendAggregate> store = stores.apply(AggregatorTopology.storedWindowFor(window));
        if (window == SpendWindow.ROLLING_24H || window == SpendWindow.ROLLING_30D) {
            return Optional.ofNullable(SpendMergeProcessor.sumOf(store, storeKey, window, windows.start(window, ref),
                    windows.end(window, ref), windows));
        }
        return Optional.ofNullable(store.fetch(storeKey, windows.start(window, ref)));
    }

    /** Every DAY total of a workflow (root request) still retained, oldest first. */
    public List<SpendAggregate> workflowDays(String rootRequestId) {
        List<SpendAggregate> days = new ArrayList<>();
        try (WindowStoreIterator<SpendAggregate> it = stores.apply(SpendWindow.DAY).fetch(
                SpendDimensions.storeKey(SpendDimension.ROOT_REQUEST, rootRequestId), Instant.EPOCH,
                Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            while (it.hasNext()) {
                days.add(it.next().value);
            }
        }
        return days;
    }

    /** Local totals of every value of {@code dimension} in the window holding {@code at}, by spend, highest first. */
    public List<SpendAggregate> ranked(SpendDimension dimension, SpendWindow window, Instant at, int limit) {
        return ranked(dimension, window, at, limit, key -> true);
    }

    /** As {@link #ranked(SpendDimension, SpendWindow, Instant, int)}, over the dimension keys {@code keys} accepts. */
    public List<SpendAggregate> ranked(SpendDimension dimension, SpendWindow window, Instant at, int limit,
                                       java.util.function.Predicate<String> keys) {
        long ref = at.toEpochMilli();
        long start = windows.start(window, ref);
        long end = windows.end(window, ref);
        boolean rolling = window == SpendWindow.ROLLING_24H || window == SpendWindow.ROLLING_30D;
        String prefix = dimension.name() + '|';
        Map<String, SpendAggregate> byKey = new LinkedHashMap<>();
        try (KeyValueIterator<Windowed<String>, SpendAggregate> it = stores.apply(AggregatorTopology.storedWindowFor(window))
                .fetchAll(Instant.ofEpochMilli(start), Instant.ofEpochMilli(rolling ? end - 1 : start))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, SpendAggregate> kv = it.next();
                if (kv.key.key().startsWith(prefix) && keys.test(kv.key.key().substring(prefix.length()))) {
                    byKey.merge(kv.key.key(), kv.value, SpendMath::merge);
                }
            }
        }
        List<SpendAggregate> out = new ArrayList<>();
        for (SpendAggregate a : byKey.values()) {
            out.add(rolling ? SpendMath.relabel(a, window, start, end) : a);
        }
        out.sort(BY_SPEND_DESC);
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Highest total cost first, then key. */
    public static final Comparator<SpendAggregate> BY_SPEND_DESC = Comparator
            .comparing(SpendAggregate::getTotalCostUsd, Comparator.reverseOrder())
            .thenComparing(SpendAggregate::getDimensionKey);
}
