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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The ledger store's serde: exact round trip of every field, and ledgers stored as JSON by earlier versions still read. */
class ScopeLedgerSerdeTest {
    private final ScopeLedgerSerde serde = new ScopeLedgerSerde();

    private static ScopeLedger full() {
        final ScopeLedger l = new ScopeLedger("feature:draft_email|tenant:t-é", "feature:draft_email",
                new PeriodWindow(Instant.ofEpochMilli(1_793_491_200_000L), Instant.ofEpochMilli(1_796_083_200_000L)));
        l.spent = new BigDecimal("123456789012345678901234.000000000001");
        l.dayStart = 1_793_577_600_000L;
        l.daySpent = new BigDecimal("-0.0000000001");
        l.reservedSum = new BigDecimal("1E+3");
        l.holdCount = 7;
        l.fired.add(50);
        l.fired.add(80);
        l.status = "WARN";
        l.reason = "THRESHOLD_WARN";
        l.lastLimit = new BigDecimal("100.00");
        l.version = 42;
        l.updatedAt = 1_793_577_612_345L;
        l.auditedOverride = "ops|2026-11-30T00:00:00Z";
        l.expiredOverride = null;
        final GateLease g = l.lease("gate-a");
        g.granted = new BigDecimal("5.5");
        g.returned = new BigDecimal("0.25");
        g.usage = new BigDecimal("1.125");
        g.consumed = new BigDecimal("2");
        g.sequence = 9;
        g.lastSeenMs = 11;
        g.lastRecallMs = 12;
        g.recallPending = true;
        l.lease("gate-b");
        return l;
    }

    private static void assertSame(ScopeLedger actual, ScopeLedger expected) {
        // Exact: the same unscaled values and scales, not only equal amounts.
        assertThat(actual).usingRecursiveComparison().ignoringFields("book").isEqualTo(expected);
    }

    @Test
    void roundTripsEveryFieldExactly() {
        final ScopeLedger l = full();
        final byte[] bytes = serde.serializer().serialize("t", l);
        assertThat(bytes[0]).isEqualTo(ScopeLedgerSerde.BINARY_V1);
        assertSame(serde.deserializer().deserialize("t", bytes), l);
        assertThat(serde.deserializer().deserialize("t", bytes).spent.scale()).isEqualTo(12);
    }

    @Test
    void roundTripsAFreshLedgerWithNulls() {
        final ScopeLedger l = new ScopeLedger("global", "global", new PeriodWindow(Instant.EPOCH, Instant.ofEpochMilli(1L)));
        assertSame(serde.deserializer().deserialize("t", serde.serializer().serialize("t", l)), l);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void readsLedgersStoredAsJsonByEarlierVersions() throws Exception {
        final ScopeLedger l = full();
        final byte[] json = ScopeLedgerSerde.legacyJson(l);
        assertThat(json[0]).isEqualTo((byte) '{');
        final ScopeLedger read = serde.deserializer().deserialize("t", json);
        assertThat(read.spent).isEqualByComparingTo(l.spent);
        assertThat(read.leases.get("gate-a").granted).isEqualByComparingTo("5.5");
        // Written back in the binary form, it reads the same again.
        final ScopeLedger again = serde.deserializer().deserialize("t", serde.serializer().serialize("t", read));
        assertSame(again, read);
    }

    @Test
    void refusesTruncatedOrOverlongBytes() {
        final byte[] bytes = serde.serializer().serialize("t", full());
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(SerializationException.class);
    }
}
