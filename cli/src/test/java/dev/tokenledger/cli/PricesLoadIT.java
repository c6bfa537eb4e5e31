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

import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.PriceCatalogJson;
import dev.tokenledger.pricing.PriceCatalogReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tokenledger prices load} against a real broker and registry (local-stack), read back from the topic. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PricesLoadIT {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = new CommandLine(new TokenLedgerCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final int code = cmd.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void loadsTokenLedgerAndLiteLlmFilesIntoThePricesTopic() throws Exception {
        final PriceCatalog shipped = PriceCatalog.loadDefault();
        final Path catalog = Files.writeString(dir.resolve("catalog.json"), PriceCatalogJson.write(shipped.entries()));
        final Path litellm = Files.writeString(dir.resolve("litellm.json"), """
                {"acme-chat": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06, "litellm_provider": "acme", "mode": "chat"},
                 "acme-embed": {"input_cost_per_token": 1e-08, "output_cost_per_token": 0, "litellm_provider": "acme", "mode": "embedding"}}""");
        try (LocalStack stack = LocalStack.builder().start()) {
            final String[] a = run("prices", "load", catalog.toString(), "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
            assertThat(a[0]).as(a[2]).isEqualTo("0");
            assertThat(a[1]).startsWith("Loaded " + shipped.size() + " price entries from " + catalog + " (tokenledger) into tokenledger.prices.v1");

            final String[] b = run("prices", "load", litellm.toString(), "--format", "litellm", "--effective-from", "2026-11-01",
                    "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
            assertThat(b[0]).as(b[2]).isEqualTo("0");
            assertThat(b[1]).contains("Loaded 1 price entries").contains("Refused 1 entries").contains("acme-embed: mode 'embedding'");

            final PriceCatalog onTopic = PriceCatalogReader.read(stack.bootstrapServers(), stack.registryUrl(), Map.of(), Duration.ofSeconds(30));
            assertThat(onTopic.size()).isEqualTo(shipped.size() + 1);
            assertThat(onTopic.find("acme", "acme-chat", Instant.parse("2026-11-02T00:00:00Z")).orElseThrow().getInputPerMtok())
                    .isEqualByComparingTo("2");
            assertThat(onTopic.find("acme", "acme-embed", Instant.parse("2026-11-02T00:00:00Z"))).isEmpty();

            // what the Streams apps price with, as an operator lists it
            final String[] listed = run("prices", "list", "--from-topic", "--provider", "acme",
                    "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl());
            assertThat(listed[0]).as(listed[2]).isEqualTo("0");
            assertThat(listed[1]).startsWith("Price catalog: tokenledger.prices.v1 at " + stack.bootstrapServers() + " (1 entries;")
                    .contains("acme-chat");
        }
    }
}
