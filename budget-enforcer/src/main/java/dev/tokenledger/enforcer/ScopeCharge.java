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
import dev.tokenledger.avro.UsageEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * What a scope needs of one priced usage event, and nothing more: its id and time (dedup, period), its exact total
 * cost, the reservation it drew from, and the fields an alert or decision names as its trigger. The fan-out sends
 * this, not the whole {@link CostedUsage}, to every scope of the event: the by-scope copy is written and read once per
 * scope and event, and the full Avro record (every token class, every cost line, the price entry) cost more to encode
 * and decode than the accounting itself.
 *
 * <p>Binary form ({@link #write}): a version byte, then the fields in declaration order, strings as UTF-8 with a
 * length (-1: null) and the cost as scale and unscaled two's-complement bytes (exact, any precision).
 *
 * @param model the model the caller asked for, else the one that answered (what a decision names)
 * @param modelTier the event's {@code model_tier} tag, or null
 */
public record ScopeCharge(String eventId, long occurredAtMs, BigDecimal costUsd, String requestId, String parentRequestId,
                          String rootRequestId, String reservationId, String model, String modelTier, String featureId,
                          String tenantId) {
    /** First byte of the binary form. */
    static final byte BINARY_V1 = 1;

    /** The charge of a priced event (zero when it carries no total). */
    public static ScopeCharge of(CostedUsage usage) {
        return of(usage.getEvent(), usage.getTotalCostUsd() == null ? BigDecimal.ZERO : usage.getTotalCostUsd());
    }

    /** {@code amount} charged for event {@code e} (its cost, or a re-pricing's delta). */
    static ScopeCharge of(UsageEvent e, BigDecimal amount) {
        return new ScopeCharge(e.getEventId(), e.getOccurredAt().toEpochMilli(), amount,
                e.getRequestId(), e.getParentRequestId(), e.getRootRequestId(), e.getReservationId(),
                e.getModelRequested() != null ? e.getModelRequested() : e.getModel(),
                e.getTags().get("model_tier"), e.getFeatureId(), e.getTenantId());
    }

    byte[] write() throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(BINARY_V1);
        ScopeLedgerSerde.writeString(out, eventId);
        out.writeLong(occurredAtMs);
        ScopeLedgerSerde.writeDecimal(out, costUsd);
        ScopeLedgerSerde.writeString(out, requestId);
        ScopeLedgerSerde.writeString(out, parentRequestId);
        ScopeLedgerSerde.writeString(out, rootRequestId);
        ScopeLedgerSerde.writeString(out, reservationId);
        ScopeLedgerSerde.writeString(out, model);
        ScopeLedgerSerde.writeString(out, modelTier);
        ScopeLedgerSerde.writeString(out, featureId);
        ScopeLedgerSerde.writeString(out, tenantId);
        out.flush();
        return bytes.toByteArray();
    }

    /** Reads {@code length} bytes of the binary form at {@code offset}. */
    static ScopeCharge read(byte[] bytes, int offset, int length) throws IOException {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length));
        final byte version = in.readByte();
        if (version != BINARY_V1) {
            throw new IOException("unknown scope charge format " + version);
        }
        final ScopeCharge c = new ScopeCharge(ScopeLedgerSerde.readString(in), in.readLong(), ScopeLedgerSerde.readDecimal(in),
                ScopeLedgerSerde.readString(in), ScopeLedgerSerde.readString(in), ScopeLedgerSerde.readString(in),
                ScopeLedgerSerde.readString(in), ScopeLedgerSerde.readString(in), ScopeLedgerSerde.readString(in),
                ScopeLedgerSerde.readString(in), ScopeLedgerSerde.readString(in));
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left after the scope charge");
        }
        if (c.eventId == null || c.costUsd == null) {
            throw new IOException("scope charge without event_id or cost");
        }
        return c;
    }
}
