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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.Reservation;
import dev.tokenledger.schemas.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What reaches a scope after the fan-out: the charge of a priced usage event, a price adjustment or a reservation
 * record, re-keyed by scope key on the one repartition topic of the enforcer. On the wire: one tag byte, then 'C' and
 * the {@link ScopeCharge}'s own binary form, or 'A' / 'R' and the record in its topic's Confluent wire format. 'U' (a
 * whole {@link CostedUsage}, as versions before {@link ScopeCharge} wrote) is still read, so records in flight across
 * an upgrade are charged (those versions deduplicated after the fan-out, per scope: a copy of an event in flight then
 * is charged again, see the README's upgrade note).
 */
public record ScopeInput(ScopeCharge charge, Reservation reservation, LeaseRequest leaseRequest, PriceAdjustment adjustment) {

    public ScopeInput(ScopeCharge charge, Reservation reservation, LeaseRequest leaseRequest) {
        this(charge, reservation, leaseRequest, null);
    }

    /** A re-pricing correction of usage already charged (tokenledger reprice). */
    public static ScopeInput of(PriceAdjustment adjustment) {
        return new ScopeInput(null, null, null, adjustment);
    }

    public static ScopeInput of(CostedUsage usage) {
        return of(ScopeCharge.of(usage));
    }

    public static ScopeInput of(ScopeCharge charge) {
        return new ScopeInput(charge, null, null);
    }

    public static ScopeInput of(Reservation reservation) {
        return new ScopeInput(null, reservation, null);
    }

    /** A gate's lease request (read straight from tokenledger.lease-requests.v1; never on the repartition topic). */
    public static ScopeInput of(LeaseRequest request) {
        return new ScopeInput(null, null, request);
    }

    /** Serde built from the Avro serdes of the records it carries whole (CostedUsage: the 'U' records of earlier versions). */
    public static Serde<ScopeInput> serde(Serde<CostedUsage> usageSerde, Serde<Reservation> reservationSerde,
                                           Serde<PriceAdjustment> adjustmentSerde) {
        final Serializer<ScopeInput> ser = (topic, v) -> {
            if (v == null) {
                return null;
            }
            final byte[] body;
            try {
                body = v.charge() != null
                        ? v.charge().write()
                        : v.adjustment() != null
                        ? adjustmentSerde.serializer().serialize(Topics.PRICE_ADJUSTMENTS_TOPIC, v.adjustment())
                        : reservationSerde.serializer().serialize(Topics.RESERVATIONS_TOPIC, v.reservation());
            } catch (IOException e) {
                throw new SerializationException("Cannot write the scope charge of event " + v.charge().eventId(), e);
            }
            final char tag = v.charge() != null ? 'C' : v.adjustment() != null ? 'A' : 'R';
            return ByteBuffer.allocate(body.length + 1).put((byte) tag).put(body).array();
        };
        final Deserializer<ScopeInput> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 2) {
                throw new SerializationException("Enforcer scope input on " + topic + " is " + bytes.length + " bytes: too short");
            }
            if (bytes[0] == 'C') {
                try {
                    return of(ScopeCharge.read(bytes, 1, bytes.length - 1));
                } catch (IOException e) {
                    throw new SerializationException("Enforcer scope charge on " + topic + " cannot be read: " + e.getMessage(), e);
                }
            }
            final byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
            switch (bytes[0]) {
                case 'U':
                    return of(usageSerde.deserializer().deserialize(Topics.USAGE_COSTED_TOPIC, body));
                case 'R':
                    return of(reservationSerde.deserializer().deserialize(Topics.RESERVATIONS_TOPIC, body));
                case 'A':
                    return of(adjustmentSerde.deserializer().deserialize(Topics.PRICE_ADJUSTMENTS_TOPIC, body));
                default:
                    throw new SerializationException("Enforcer scope input on " + topic + " has unknown tag byte " + bytes[0]);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }
}
