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
package dev.tokenledger.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LedgerConfigTest {
    private static final Map<String, Object> BASE = Map.of(
            LedgerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
            LedgerConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8081");

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "producer.enable.idempotence, false",
        "producer.acks, 1",
        "producer.acks, 0",
        "producer.max.in.flight.requests.per.connection, 6",
        "producer.retries, 0",
        "producer.transactional.id, agent-1",
    })
    void producerOverridesThatWouldBreakIdempotenceAreRefused(String key, String value) {
        assertThatThrownBy(() -> new LedgerConfig(with(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration " + key + ":");
    }

    @Test
    void safeProducerAndRegistryOverridesPassThroughWithoutThePrefix() {
        final Map<String, Object> m = new HashMap<>(BASE);
        m.put("producer.security.protocol", "SASL_SSL");
        m.put("producer.linger.ms", "20");
        m.put("producer.acks", "all");
        m.put("producer.max.in.flight.requests.per.connection", "5");
        m.put("registry.basic.auth.user.info", "u:p");
        final LedgerConfig c = new LedgerConfig(m);
        assertThat(c.producerConfig())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("linger.ms", "20")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("max.in.flight.requests.per.connection", "5");
        assertThat(c.serdeConfig()).containsEntry("basic.auth.user.info", "u:p");
    }

    @Test
    void everyKeyHasAGroup() {
        assertThat(LedgerConfig.CONFIG_DEF.configKeys().values()).allSatisfy(k -> assertThat(k.group).isNotBlank());
    }

    private static Map<String, Object> with(String key, Object value) {
        final Map<String, Object> m = new HashMap<>(BASE);
        m.put(key, value);
        return m;
    }
}
