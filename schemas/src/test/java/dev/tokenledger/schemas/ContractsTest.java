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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.registry.InMemorySchemaRegistryClient;
import dev.tokenledger.schemas.serde.SpecificAvroSerde;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class ContractsTest {
    private static final String SCOPE = "contracts-test";

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    /** Every Avro type used as a key or value on a contract topic. */
    public static Stream<Class<? extends SpecificRecord>> recordTypes() {
        Set<Class<? extends SpecificRecord>> types = new LinkedHashSet<>();
        for (TopicSpec topic : Topics.ALL) {
            addIfRecord(types, topic.keyType());
            addIfRecord(types, topic.valueType());
        }
        return types.stream();
    }

    @SuppressWarnings("unchecked")
    private static void addIfRecord(Set<Class<? extends SpecificRecord>> types, Class<?> type) {
        if (SpecificRecord.class.isAssignableFrom(type)) {
            types.add((Class<? extends SpecificRecord>) type);
        }
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    <T extends SpecificRecord> void everyRecordRoundTripsThroughTheWireFormat(Class<T> type) {
        T record = new SampleRecords(type.getName().hashCode()).sample(type);
        try (SpecificAvroSerde<T> serde = SpecificAvroSerde.create(type, Map.of("schema.registry.url", "mock://" + SCOPE), false)) {
            byte[] bytes = serde.serializer().serialize("t", record);

            assertThat(bytes[0]).as("magic byte").isZero();
            int id = java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(InMemorySchemaRegistryClient.forScope(SCOPE).getById(id)).isEqualTo(SpecificData.get().getSchema(type));
            assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(record);
        }
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    void everyRecordAndFieldIsDocumented(Class<? extends SpecificRecord> type) {
        assertDocumented(SpecificData.get().getSchema(type), new LinkedHashSet<>());
    }

    private static void assertDocumented(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                assertThat(schema.getDoc()).as("doc of record %s", schema.getFullName()).isNotBlank();
                for (Schema.Field field : schema.getFields()) {
                    assertThat(field.doc()).as("doc of %s.%s", schema.getName(), field.name()).isNotBlank();
                    assertDocumented(field.schema(), seen);
                }
            }
            case UNION -> schema.getTypes().forEach(s -> assertDocumented(s, seen));
            case ARRAY -> assertDocumented(schema.getElementType(), seen);
            case MAP -> assertDocumented(schema.getValueType(), seen);
            default -> {
            }
        }
    }

    @Test
    void topicNamesAreUniqueAndVersioned() {
        assertThat(Topics.ALL).extracting(TopicSpec::name).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("tokenledger.") && name.endsWith(".v1"));
        assertThat(Topics.byName("tokenledger.usage.v1").valueType()).isEqualTo(UsageEvent.class);
        assertThat(Topics.BUDGET_STATE.compacted()).isTrue();
        assertThat(Topics.USAGE.valueSubject()).isEqualTo("tokenledger.usage.v1-value");
        assertThatThrownBy(() -> Topics.byName("nope")).hasMessageContaining("'nope'");
    }
}
