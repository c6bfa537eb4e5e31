package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.aggregator.AggregatorConfig;
import dev.tokenledger.enforcer.EnforcerConfig;
import dev.tokenledger.sink.WarehouseSinkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void theReadmeCarriesTheCurrentReference() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(text).as("README.md must carry the generated configuration reference; "
                        + "run ./tokenledger config-docs --update README.md")
                .contains(ConfigReference.markdown());
    }
}
