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
package dev.tokenledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PricingStatus;
import dev.tokenledger.avro.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Cache writes by retention (issue 14): records written with the released v1 schemas read with today's
 * classes carry the new fields at their defaults (no other-retention writes, zero cost, no notes), and the
 * builder defaults are the same values.
 */
class CacheWriteEvolutionTest {

    @Test
    void v1RecordsReadWithTodaysSchemaHaveEmptyRetentionMapsAndZeroOtherWriteCost() throws IOException {
        final CostedUsage sample = new SampleRecords(14).sample(CostedUsage.class);
        sample.setPricingStatus(PricingStatus.PRICED); // v1 has no PARTIALLY_PRICED
        final Schema v1 = SchemaHistory.parse(SchemaHistory.versions("CostedUsage").get(0));
        final CostedUsage read = rewrite(sample, v1, CostedUsage.class);

        assertThat(read.getEvent().getCacheWriteTokens()).isEmpty();
        assertThat(read.getCostCacheWriteOtherUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(read.getCacheWriteCosts()).isEmpty();
        assertThat(read.getPricingNotes()).isEmpty();
        assertThat(read.getTotalCostUsd()).isEqualTo(sample.getTotalCostUsd());
        assertThat(read.getEvent().getCacheWrite5mTokens()).isEqualTo(sample.getEvent().getCacheWrite5mTokens());

        final PriceEntry entry = new SampleRecords(15).sample(PriceEntry.class);
        final PriceEntry entryRead = rewrite(entry, SchemaHistory.parse(SchemaHistory.versions("PriceEntry").get(0)), PriceEntry.class);
        assertThat(entryRead.getCacheWriteRates()).isEmpty();
        assertThat(entryRead.getLongContext().getCacheWriteRates()).isEmpty();
    }

    @Test
    void builderDefaultsMatchTheSchemaDefaults() {
        final UsageEvent event = UsageEvent.newBuilder().setEventId("e").setKind(dev.tokenledger.avro.UsageKind.COMPLETED)
                .setOccurredAt(java.time.Instant.EPOCH).setFeatureId("f").setRequestId("r").setProvider("p").setModel("m").build();
        assertThat(event.getCacheWriteTokens()).isEmpty();
        final CostedUsage costed = CostedUsage.newBuilder().setEvent(event).setPricingStatus(PricingStatus.PARTIALLY_PRICED)
                .setCostInputUsd(Money.ZERO).setCostOutputUsd(Money.ZERO).setCostCacheWrite5mUsd(Money.ZERO)
                .setCostCacheWrite1hUsd(Money.ZERO).setCostCacheReadUsd(Money.ZERO).setCostOtherUsd(Money.ZERO)
                .setTotalCostUsd(Money.ZERO).setCacheSavingsUsd(Money.ZERO).setMultiplier(Money.ONE)
                .setPricedAt(java.time.Instant.EPOCH).build();
        assertThat(costed.getCostCacheWriteOtherUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(costed.getCacheWriteCosts()).isEmpty();
        assertThat(costed.getPricingNotes()).isEmpty();
    }

    /** Writes {@code record} as its {@code writer} (older) schema saw it, then reads it back with today's class. */
    private static <T extends SpecificRecord> T rewrite(T record, Schema writer, Class<T> type) throws IOException {
        final GenericData data = SpecificData.getForClass(type);
        final GenericRecord old = (GenericRecord) project(record, writer, data);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer, data).write(old, enc);
        enc.flush();
        final SpecificDatumReader<T> reader = new SpecificDatumReader<>(writer, SpecificData.get().getSchema(type), (SpecificData) data);
        return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    /** The fields of {@code value} that {@code schema} knows, recursively (records only). */
    private static Object project(Object value, Schema schema, GenericData data) {
        if (schema.getType() == Schema.Type.UNION) {
            if (value == null) {
                return null;
            }
            for (Schema s : schema.getTypes()) {
                if (s.getType() == Schema.Type.RECORD && value instanceof SpecificRecord) {
                    return project(value, s, data);
                }
            }
            return value;
        }
        if (schema.getType() != Schema.Type.RECORD) {
            return value;
        }
        final SpecificRecord in = (SpecificRecord) value;
        final GenericData.Record out = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            final Schema.Field current = in.getSchema().getField(f.name());
            out.put(f.name(), project(in.get(current.pos()), f.schema(), data));
        }
        return out;
    }
}
