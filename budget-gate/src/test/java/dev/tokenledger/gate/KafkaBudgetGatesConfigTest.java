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
package dev.tokenledger.gate;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gate's and the budget admin's client settings are refused before any client is built. */
class KafkaBudgetGatesConfigTest {

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "isolation.level, read_uncommitted",
        "enable.idempotence, false",
        "acks, 1",
        "max.in.flight.requests.per.connection, 6",
        "transactional.id, gate",
    })
    void gateClientSettingsThatBreakItsGuaranteesAreRefused(String key, String value) {
        assertThatThrownBy(() -> KafkaBudgetGates.builder("127.0.0.1:1", "http://127.0.0.1:1").clientConfig(key, value).connect())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration " + key + ":");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "isolation.level, read_uncommitted",
        "acks, 0",
    })
    void budgetAdminClientSettingsThatBreakItsGuaranteesAreRefused(String key, String value) {
        assertThatThrownBy(() -> new BudgetAdmin("127.0.0.1:1", "http://127.0.0.1:1", Map.of(key, value), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value " + value + " for configuration " + key + ":");
    }

    @Test
    void securitySettingsAreAccepted() {
        assertThatCode(() -> new BudgetAdmin("127.0.0.1:1", "http://127.0.0.1:1",
                Map.of("security.protocol", "SASL_SSL", "acks", "all"), Map.of("basic.auth.user.info", "u:p")))
                .doesNotThrowAnyException();
    }
}
