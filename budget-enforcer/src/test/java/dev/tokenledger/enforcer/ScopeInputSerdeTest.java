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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.schemas.Topics;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class ScopeInputSerdeTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:15:30.123Z");
    private final EnforcerSerdes serdes = EnforcerSerdes.create(Map.of("schema.registry.url", "mock://scope-input-" + UUID.randomUUID()));
    private final Serde<ScopeInput> serde = serdes.scopeInput();

    @Test
    void aUsageEventCrossesAsItsChargeExactly() {
        final CostedUsage u = Fixtures.usage("draft_email", "t-é", "0.000123456789", T0, "gate-1@1/r-9");
        u.getEvent().setModelRequested("claude-sonnet-4-5");
        u.getEvent().setTags(Map.of("model_tier", "premium"));
        final byte[] bytes = serde.serializer().serialize("by-scope", ScopeInput.of(u));
        assertThat((char) bytes[0]).isEqualTo('C');

        final ScopeCharge c = serde.deserializer().deserialize("by-scope", bytes).charge();
        assertThat(c).isEqualTo(new ScopeCharge(u.getEvent().getEventId(), T0.toEpochMilli(), new BigDecimal("0.000123456789"),
                u.getEvent().getRequestId(), "parent-1", "root-1", "gate-1@1/r-9", "claude-sonnet-4-5", "premium",
                "draft_email", "t-é"));
        assertThat(c.costUsd().scale()).isEqualTo(u.getTotalCostUsd().scale());
        // A fraction of the Avro record it replaces (event, ten decimals, price entry).
        final byte[] whole = serdes.costedUsage().serializer().serialize(Topics.USAGE_COSTED_TOPIC, u);
        assertThat(bytes.length).isLessThan(whole.length);
    }

    @Test
    void nullsAndHugeAmountsRoundTrip() {
        final ScopeCharge c = new ScopeCharge("e-1", -1L, new BigDecimal("123456789012345678901234567890.000000000001"),
                "r", null, null, null, null, null, "f", null);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", ScopeInput.of(c))).charge()).isEqualTo(c);
    }

    @Test
    void aWholeCostedUsageFromAnEarlierVersionIsStillRead() {
        final CostedUsage u = Fixtures.usage("f", "acme", "1.5", T0);
        final byte[] avro = serdes.costedUsage().serializer().serialize(Topics.USAGE_COSTED_TOPIC, u);
        final byte[] legacy = ByteBuffer.allocate(avro.length + 1).put((byte) 'U').put(avro).array();
        assertThat(serde.deserializer().deserialize("by-scope", legacy).charge()).isEqualTo(ScopeCharge.of(u));
    }

    @Test
    void aTruncatedChargeIsAClearError() {
        final byte[] bytes = serde.serializer().serialize("t", ScopeInput.of(Fixtures.usage("f", null, "2", T0)));
        final byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> serde.deserializer().deserialize("enforcer-by-scope", cut))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("enforcer-by-scope")
                .hasMessageContaining("scope charge");
        final byte[] badLength = bytes.clone();
        badLength[2] = 0x7f;
        assertThatThrownBy(() -> serde.deserializer().deserialize("enforcer-by-scope", badLength))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes");
    }
}
