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

import dev.tokenledger.schemas.registry.AvroCompatibility;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Fails when a contract change is not BACKWARD compatible with every released version: a
 * consumer built from today's classes must read everything ever written with a released schema.
 */
class SchemaEvolutionTest {

    static List<Class<? extends SpecificRecord>> recordTypes() {
        return ContractsTest.recordTypes().toList();
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    void currentSchemaReadsEveryReleasedVersion(Class<? extends SpecificRecord> type) {
        Schema current = SpecificData.get().getSchema(type);
        List<Path> released = SchemaHistory.versions(current.getName());

        assertThat(released).as("released history of %s under %s (release it with SchemaHistory)", current.getName(), SchemaHistory.ROOT)
                .isNotEmpty();
        List<Schema> writers = released.stream().map(SchemaHistory::parse).toList();
        assertThat(AvroCompatibility.BACKWARD_TRANSITIVE.check(current, writers))
                .as("incompatibilities of %s with its released versions", current.getName()).isEmpty();
    }

    @Test
    void theCheckRejectsAFieldAddedWithoutADefault() {
        Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        Schema addedWithoutDefault = SchemaBuilder.record("R").fields().requiredString("a").requiredLong("b").endRecord();
        Schema addedWithDefault = SchemaBuilder.record("R").fields().requiredString("a").name("b").type().longType().longDefault(0).endRecord();

        assertThat(AvroCompatibility.BACKWARD_TRANSITIVE.check(addedWithoutDefault, List.of(v1))).isNotEmpty();
        assertThat(AvroCompatibility.BACKWARD_TRANSITIVE.check(addedWithDefault, List.of(v1))).isEmpty();
    }
}
