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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.schemas.Money;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything the aggregator committed, read back under read_committed: each costed record by event id
 * (with how many times it appeared) and the latest FEATURE / DAY spend per feature. Compared by the
 * tests with the sums they compute from what they sent.
 */
final class PipelineOutputs implements AutoCloseable {
    final Map<String, CostedUsage> costedById = new HashMap<>();
    final Map<String, Integer> costedCopies = new HashMap<>();
    final Map<String, SpendAggregate> featureDay = new TreeMap<>();
    private final TopicTail<String, CostedUsage> costed;
    private final TopicTail<SpendKey, SpendAggregate> spend;
    private final Instant day;

    PipelineOutputs(String bootstrap, String registryUrl, Instant day) {
        this.day = day.truncatedTo(ChronoUnit.DAYS);
        Map<String, Object> cfg = Map.of("schema.registry.url", registryUrl);
        SpecificAvroDeserializer<CostedUsage> costedDe = new SpecificAvroDeserializer<>(CostedUsage.class);
        costedDe.configure(cfg, false);
        SpecificAvroDeserializer<SpendKey> keyDe = new SpecificAvroDeserializer<>(SpendKey.class);
        keyDe.configure(cfg, true);
        SpecificAvroDeserializer<SpendAggregate> spendDe = new SpecificAvroDeserializer<>(SpendAggregate.class);
        spendDe.configure(cfg, false);
        costed = new TopicTail<>(bootstrap, Topics.USAGE_COSTED_TOPIC, new StringDeserializer(), costedDe, r -> {
            String id = r.value().getEvent().getEventId();
            costedById.put(id, r.value());
            costedCopies.merge(id, 1, Integer::sum);
        });
        spend = new TopicTail<>(bootstrap, Topics.SPEND_TOPIC, keyDe, spendDe, r -> {
            SpendKey k = r.key();
            if (k.getDimension() == SpendDimension.FEATURE && k.getWindow() == SpendWindow.DAY
                    && k.getWindowStart().equals(this.day) && r.value() != null) {
                featureDay.put(k.getDimensionKey(), r.value());
            }
        });
    }

    void poll() {
        costed.poll();
        spend.poll();
    }

    long costedRecords() {
        return costed.records();
    }

    /** Latest FEATURE/DAY totals, as feature -> cost. */
    Map<String, BigDecimal> featureCosts() {
        Map<String, BigDecimal> out = new TreeMap<>();
        featureDay.forEach((f, a) -> out.put(f, Money.toScale(a.getTotalCostUsd())));
        return out;
    }

    Map<String, Long> featureRequests() {
        Map<String, Long> out = new TreeMap<>();
        featureDay.forEach((f, a) -> out.put(f, a.getRequestCount()));
        return out;
    }

    @Override
    public void close() {
        costed.close();
        spend.close();
    }
}
