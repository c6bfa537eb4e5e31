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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.sink.WarehouseSinkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    @Test
    void everyDeclaredKeyIsDocumentedWithItsDefault() {
        String md = ConfigReference.markdown();
        for (ConfigReference.Component c : ConfigReference.components()) {
            assertThat(c.def().names()).isNotEmpty();
            for (String key : c.def().names()) {
                assertThat(md).as(c.title()).contains("| `" + key + "` |");
            }
        }
        assertThat(md).contains("| `" + AggregatorConfig.FLUSH_INTERVAL_CONFIG + "` | long | `1000` | [0,...,60000] |");
        assertThat(md).contains("| `" + WarehouseSinkConfig.CONNECTION_URL_CONFIG + "` | string | required |");
        assertThat(md).contains("| `" + EnforcerConfig.STATE_DIR_CONFIG + "` | string | `${java.io.tmpdir}/tokenledger-enforcer` |");
    }

    @Test
    void keysAreListedGroupByGroupWithThePassThroughPrefixes() {
        String md = ConfigReference.markdown();
        assertThat(md).contains("| group | key | type | default | valid values | importance | description |");
        assertThat(md).contains("| Kafka | `" + EnforcerConfig.REPLICATION_FACTOR_CONFIG + "` | int | `-1` |");
        assertThat(md).contains("| Pass-through | `" + EnforcerConfig.STREAMS_PASS_THROUGH + "` | prefix |  |");
        assertThat(md).contains("| Pass-through | `" + AggregatorConfig.REGISTRY_PASS_THROUGH + "` | prefix |  |");
        for (ConfigReference.Component c : ConfigReference.components()) {
            List<String> groups = ConfigReference.inGroupOrder(c.def()).stream().map(k -> k.group).distinct().toList();
            assertThat(groups).as(c.title() + ": each group listed once, in definition order").isEqualTo(c.def().groups());
        }
    }

    @Test
    void theReadmeCarriesTheCurrentReference() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(text).as("README.md must carry the generated configuration reference; "
                        + "run ./tokenledger config-docs --update README.md")
                .contains(ConfigReference.markdown());
    }
}
