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
package dev.tokenledger.enforcer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serde of {@link ScopeLedger} for the enforcer's state store (amounts as exact decimals). */
public final class ScopeLedgerSerde implements Serde<ScopeLedger> {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);

    /** JSON serde of one {@link Hold} (the enforcer's hold store). */
    public static Serde<Hold> holds() {
        return org.apache.kafka.common.serialization.Serdes.serdeFrom((topic, h) -> {
            if (h == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(h);
            } catch (IOException e) {
                throw new SerializationException("Cannot write hold " + h.reservationId, e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, Hold.class);
            } catch (IOException e) {
                throw new SerializationException("Cannot read hold from " + topic, e);
            }
        });
    }

    @Override
    public Serializer<ScopeLedger> serializer() {
        return (topic, ledger) -> {
            if (ledger == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(ledger);
            } catch (IOException e) {
                throw new SerializationException("Cannot write scope ledger " + ledger.scopeKey, e);
            }
        };
    }

    @Override
    public Deserializer<ScopeLedger> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, ScopeLedger.class);
            } catch (IOException e) {
                throw new SerializationException("Cannot read scope ledger from " + topic, e);
            }
        };
    }
}
