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

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds fully populated instances of any generated record from its schema: every optional field
 * set, every collection non-empty, decimals with 12 fractional digits. Used so round-trip tests
 * cover every field of every contract, including ones added later.
 */
final class SampleRecords {
    private final Random random;

    SampleRecords(long seed) {
        this.random = new Random(seed);
    }

    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> T sample(Class<T> type) {
        return (T) value(SpecificData.get().getSchema(type), SpecificData.getForClass(type));
    }

    private Object value(Schema schema, SpecificData model) {
        switch (schema.getType()) {
            case RECORD: {
                SpecificRecord record = (SpecificRecord) model.newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), value(field.schema(), model));
                }
                return record;
            }
            case ENUM: {
                List<String> symbols = schema.getEnumSymbols();
                return model.createEnum(symbols.get(random.nextInt(symbols.size())), schema);
            }
            case UNION:
                return value(schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow(), model);
            case ARRAY: {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    items.add(value(schema.getElementType(), model));
                }
                return items;
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("k" + random.nextInt(1000), value(schema.getValueType(), model));
                return map;
            }
            case STRING:
                return "s-" + Integer.toHexString(random.nextInt());
            case LONG:
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return Instant.ofEpochMilli(1_760_000_000_000L + random.nextInt(1_000_000_000));
                }
                return (long) random.nextInt(1_000_000);
            case INT:
                if (schema.getLogicalType() instanceof LogicalTypes.Date) {
                    return LocalDate.of(2025, 1 + random.nextInt(12), 1 + random.nextInt(28));
                }
                return random.nextInt(1000);
            case BOOLEAN:
                return random.nextBoolean();
            case BYTES:
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                    return BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000_000L, decimal.getScale());
                }
                return java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3});
            case DOUBLE:
                throw new AssertionError("double in a contract: money and counts must never be binary floats");
            default:
                return GenericData.get().newRecord(null, schema);
        }
    }
}
