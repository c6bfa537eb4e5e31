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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link ScopeLedger} for the enforcer's state store (amounts as exact decimals). The ledger is
 * read and written once per input record, so it is stored in a compact binary form: a format byte
 * ({@value #BINARY_V1}), then the fields in declaration order (strings as UTF-8 with a length, decimals as
 * scale and unscaled two's-complement bytes, every object field behind a presence flag). Ledgers written
 * as JSON by earlier versions (first byte '{') are still read, so an upgrade needs no state reset.
 */
public final class ScopeLedgerSerde implements Serde<ScopeLedger> {
    /** First byte of a ledger in the binary form (a JSON ledger starts with '{'). */
    static final byte BINARY_V1 = 1;

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
                return write(ledger);
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
                return bytes.length > 0 && bytes[0] == BINARY_V1 ? read(bytes) : JSON.readValue(bytes, ScopeLedger.class);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot read scope ledger from " + topic, e);
            }
        };
    }

    /** The JSON form earlier versions stored (still read by the deserializer). */
    static byte[] legacyJson(ScopeLedger ledger) throws IOException {
        return JSON.writeValueAsBytes(ledger);
    }

    private static byte[] write(ScopeLedger l) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(BINARY_V1);
        writeString(out, l.scopeKey);
        writeString(out, l.budgetId);
        out.writeLong(l.periodStart);
        out.writeLong(l.periodEnd);
        writeDecimal(out, l.spent);
        out.writeLong(l.dayStart);
        writeDecimal(out, l.daySpent);
        writeDecimal(out, l.reservedSum);
        out.writeInt(l.holdCount);
        out.writeBoolean(l.fired != null);
        if (l.fired != null) {
            out.writeInt(l.fired.size());
            for (Integer threshold : l.fired) {
                out.writeInt(threshold);
            }
        }
        writeString(out, l.status);
        writeString(out, l.reason);
        writeDecimal(out, l.lastLimit);
        out.writeLong(l.version);
        out.writeLong(l.updatedAt);
        writeString(out, l.auditedOverride);
        writeString(out, l.expiredOverride);
        out.writeBoolean(l.leases != null);
        if (l.leases != null) {
            out.writeInt(l.leases.size());
            for (Map.Entry<String, GateLease> e : l.leases.entrySet()) {
                writeString(out, e.getKey());
                final GateLease g = e.getValue();
                out.writeBoolean(g != null);
                if (g != null) {
                    writeDecimal(out, g.granted);
                    writeDecimal(out, g.returned);
                    writeDecimal(out, g.usage);
                    writeDecimal(out, g.consumed);
                    out.writeLong(g.sequence);
                    out.writeLong(g.lastSeenMs);
                    out.writeLong(g.lastRecallMs);
                    out.writeBoolean(g.recallPending);
                }
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static ScopeLedger read(byte[] bytes) throws IOException {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
        final ScopeLedger l = new ScopeLedger();
        l.scopeKey = readString(in);
        l.budgetId = readString(in);
        l.periodStart = in.readLong();
        l.periodEnd = in.readLong();
        l.spent = readDecimal(in);
        l.dayStart = in.readLong();
        l.daySpent = readDecimal(in);
        l.reservedSum = readDecimal(in);
        l.holdCount = in.readInt();
        if (in.readBoolean()) {
            for (int i = in.readInt(); i > 0; i--) {
                l.fired.add(in.readInt());
            }
        } else {
            l.fired = null;
        }
        l.status = readString(in);
        l.reason = readString(in);
        l.lastLimit = readDecimal(in);
        l.version = in.readLong();
        l.updatedAt = in.readLong();
        l.auditedOverride = readString(in);
        l.expiredOverride = readString(in);
        if (in.readBoolean()) {
            for (int i = in.readInt(); i > 0; i--) {
                final String gateId = readString(in);
                GateLease g = null;
                if (in.readBoolean()) {
                    g = new GateLease();
                    g.granted = readDecimal(in);
                    g.returned = readDecimal(in);
                    g.usage = readDecimal(in);
                    g.consumed = readDecimal(in);
                    g.sequence = in.readLong();
                    g.lastSeenMs = in.readLong();
                    g.lastRecallMs = in.readLong();
                    g.recallPending = in.readBoolean();
                }
                l.leases.put(gateId, g);
            }
        } else {
            l.leases = null;
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left after the scope ledger");
        }
        return l;
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    static String readString(DataInputStream in) throws IOException {
        final int n = in.readInt();
        if (n < 0) {
            return null;
        }
        checkLength(in, n);
        final byte[] utf8 = new byte[n];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Exact: scale and the unscaled value's two's-complement bytes (money is never a double). */
    static void writeDecimal(DataOutputStream out, BigDecimal d) throws IOException {
        if (d == null) {
            out.writeInt(-1);
            return;
        }
        final byte[] unscaled = d.unscaledValue().toByteArray();
        out.writeInt(unscaled.length);
        out.write(unscaled);
        out.writeInt(d.scale());
    }

    static BigDecimal readDecimal(DataInputStream in) throws IOException {
        final int n = in.readInt();
        if (n < 0) {
            return null;
        }
        checkLength(in, n);
        final byte[] unscaled = new byte[n];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), in.readInt());
    }

    /** A length read from a corrupt record must not allocate more than the record holds. */
    private static void checkLength(DataInputStream in, int n) throws IOException {
        if (n > in.available()) {
            throw new IOException("field of " + n + " bytes with " + in.available() + " left");
        }
    }
}
