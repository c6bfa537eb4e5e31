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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.OutputTokenStats;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendKey;
import dev.tokenledger.avro.UnpricedUsageAlert;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The serdes of the aggregator topology, all bound to one schema registry: passed into
 * {@link AggregatorTopology#build}, never shared through static state.
 */
public record AggregatorSerdes(Serde<String> string, Serde<byte[]> bytes, Serde<UsageEvent> usage,
                               Serde<PriceEntry> price, Serde<CostedUsage> costed, Serde<SpendKey> spendKey,
                               Serde<SpendAggregate> spend, Serde<UnpricedUsageAlert> unpricedAlert,
                               Serde<OutputTokenStats> outputStats, Serde<PriceAdjustment> adjustment) {

    /** Serdes for the registry at {@code registryUrl} ({@code mock://scope} in tests). */
    public static AggregatorSerdes forRegistry(String registryUrl) {
        return forConfig(Map.of("schema.registry.url", registryUrl));
    }

    /** Serdes configured with the given serde settings (schema.registry.url, basic auth, ...). */
    public static AggregatorSerdes forConfig(Map<String, ?> serdeConfig) {
        return new AggregatorSerdes(Serdes.String(), Serdes.ByteArray(),
                SpecificAvroSerde.create(UsageEvent.class, serdeConfig, false),
                SpecificAvroSerde.create(PriceEntry.class, serdeConfig, false),
                SpecificAvroSerde.create(CostedUsage.class, serdeConfig, false),
                SpecificAvroSerde.create(SpendKey.class, serdeConfig, true),
                SpecificAvroSerde.create(SpendAggregate.class, serdeConfig, false),
                SpecificAvroSerde.create(UnpricedUsageAlert.class, serdeConfig, false),
                SpecificAvroSerde.create(OutputTokenStats.class, serdeConfig, false),
                SpecificAvroSerde.create(PriceAdjustment.class, serdeConfig, false));
    }
}
