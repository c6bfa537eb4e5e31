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
package dev.tokenledger.localstack;

import dev.tokenledger.schemas.registry.AvroCompatibility;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * What the registry's REST routes read and write: subjects, their versions, schema ids and
 * compatibility levels. {@link KafkaSchemaStore} keeps them in {@code _schemas}; a failure the caller
 * can act on is a {@link SchemaRegistryException} with Confluent's error code.
 */
interface SchemaStore extends AutoCloseable {

    /** One version of a subject as stored. */
    record Version(String subject, int version, int id, String schema, boolean deleted) {
    }

    String schemaById(int id);

    List<String> subjects();

    /** The live versions of {@code subject}, oldest first; 40401 when there is none. */
    List<Version> versions(String subject);

    /** Version {@code version} of {@code subject}; -1 means the latest. */
    Version version(String subject, int version);

    /** The registered version of {@code subject} holding {@code schema}; 40401 / 40403 if none. */
    Version lookup(String subject, Schema schema);

    /** The level of {@code subject}, or the global one when it is null or has none of its own. */
    AvroCompatibility compatibility(String subject);

    /** Incompatibilities of {@code schema} against {@code subject}: all live versions (per level) or one of them. */
    List<String> incompatibilities(String subject, Schema schema, Integer againstVersion);

    /** Registers {@code schema} under {@code subject} and returns its id; the same schema gets the same id everywhere. */
    int register(String subject, Schema schema);

    /** Soft-deletes every version of {@code subject} and returns their numbers. */
    List<Integer> deleteSubject(String subject);

    /** Sets the compatibility level of {@code subject}, or the global one when it is null. */
    void setCompatibility(String subject, AvroCompatibility level);

    @Override
    void close();
}
