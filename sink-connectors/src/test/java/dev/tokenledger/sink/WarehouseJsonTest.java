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
package dev.tokenledger.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The JSON text the sink writes into the warehouse's JSON columns, byte for byte. */
class WarehouseJsonTest {

    @Test
    void decimalsKeepTheirScaleAndNeverUseAnExponent() {
        List<Object> values = List.of(new BigDecimal("3.086400000000"), new BigDecimal("1E-12"), new BigDecimal("1.5E+3"),
                new BigDecimal("0"), 40L, 7);
        assertThat(WarehouseJson.write(values)).isEqualTo("[3.086400000000,0.000000000001,1500,0,40,7]");
    }

    @Test
    void mapsKeepTheirOwnOrder() {
        Map<String, Object> sorted = new TreeMap<>(Map.of("step", "draft", "exp", "b"));
        assertThat(WarehouseJson.write(sorted)).isEqualTo("{\"exp\":\"b\",\"step\":\"draft\"}");
        Map<String, Object> inserted = new LinkedHashMap<>();
        inserted.put("token_class", "audio_input");
        inserted.put("tokens", 40L);
        inserted.put("flag", true);
        inserted.put("missing", null);
        assertThat(WarehouseJson.write(inserted)).isEqualTo("{\"token_class\":\"audio_input\",\"tokens\":40,\"flag\":true,\"missing\":null}");
        assertThat(WarehouseJson.write(new TreeMap<>())).isEqualTo("{}");
        assertThat(WarehouseJson.write(new ArrayList<>())).isEqualTo("[]");
    }

    @Test
    void stringsAreEscaped() {
        String tag = "say \"hi\"\\ line1\nline2\r\ttab \u0001 caf\u00e9 \u20ac";
        assertThat(WarehouseJson.write(Arrays.asList(tag, null)))
                .isEqualTo("[\"say \\\"hi\\\"\\\\ line1\\nline2\\r\\ttab \\u0001 caf\u00e9 \u20ac\",null]");
    }
}
