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
package dev.tokenledger.schemas.registry;

import java.io.Closeable;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that serdes and tools use. Implementations
 * cache: looking up a schema by id or an id by schema costs one HTTP call the first time only.
 */
public interface SchemaRegistryClient extends Closeable {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** Id of {@code schema} if it is registered under {@code subject}; 40403 otherwise. */
    int getId(String subject, Schema schema);

    /** Schema with global id {@code id}; 40403 if unknown. */
    Schema getById(int id);

    /** Latest version of {@code subject}; 40401 if the subject is unknown. */
    RegisteredSchema getLatest(String subject);

    /** A given version of {@code subject}; 40401 / 40402 if unknown. */
    RegisteredSchema getVersion(String subject, int version);

    List<String> subjects();

    List<Integer> versions(String subject);

    /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** Compatibility level of a subject, or the global one when {@code subject} is null. */
    String getCompatibility(String subject);

    void setCompatibility(String subject, String level);

    /** Soft-deletes a subject and returns the versions it had. */
    List<Integer> deleteSubject(String subject);

    @Override
    default void close() {
    }
}
