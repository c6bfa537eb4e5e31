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

import dev.tokenledger.cli.CliRun.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenledger prices check --litellm FILE}, through TokenLedgerCommand.run, on the pricing module's test
 * catalog and LiteLLM fixture (the comparison itself is tested in LiteLlmPriceCheckTest) and on the example map
 * the README points to.
 */
class PricesCheckCommandTest {

    private static final Path PRICING = Path.of("..", "pricing");
    private static final Path CATALOG = PRICING.resolve("src/test/resources/dev/tokenledger/pricing/check-catalog.json");
    private static final Path FIXTURE = PRICING.resolve("src/test/resources/dev/tokenledger/pricing/litellm-check-fixture.json");
    private static final Path EXAMPLE = PRICING.resolve("examples/litellm-sample.json");

    @TempDir
    Path dir;

    private static Result run(String... args) {
        return CliRun.runCapturingSystemStreams(args);
    }

    @Test
    void printsOneLinePerDifferingOrMissingModelAndExitsOne() {
        final Result r = run("prices", "check", "--litellm", FIXTURE.toString(), "--catalog", CATALOG.toString(), "--at", "2026-12-05");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out().lines().toList()).containsExactly(
                "Catalog (" + CATALOG + ") in force at 2026-12-05 vs LiteLLM map " + FIXTURE + "; USD per million tokens.",
                "DIFFERS            google/gemini-3.5-flash (LiteLLM 'gemini/gemini-3.5-flash', entry google/gemini-3.5-flash@2026-05-19): "
                        + "cache read: catalog -, LiteLLM 0.15",
                "DIFFERS            openai/gpt-5.4-mini (LiteLLM 'gpt-5.4-mini', entry openai/gpt-5.4-mini@2026-03-17): "
                        + "priority input: catalog -, LiteLLM 1.5; priority output: catalog -, LiteLLM 9; priority cache read: catalog -, LiteLLM 0.15",
                "DIFFERS            openai/gpt-5.5 (LiteLLM 'gpt-5.5', entry openai/gpt-5.5@2026-03-05): long-context output: catalog 45, LiteLLM 30",
                "MISSING IN CATALOG openai/gpt-6.2-sol (LiteLLM 'gpt-6.2-sol'): input 2, output 10, cache read 0.1",
                "MISSING IN LITELLM anthropic/claude-haiku-4-5 (entry anthropic/claude-haiku-4-5@2025-10-15): input 1, output 5",
                "8 LiteLLM models of anthropic/openai/google compared: 4 agree, 3 differ, 1 missing in the catalog; "
                        + "1 catalog models missing in LiteLLM.",
                "Not compared (LiteLLM's map has no field for them): cache writes of other retentions (12h, ...), region multipliers, discounts.");
    }

    @Test
    void theDateChoosesTheEntryInForce() {
        // On 2026-10-01 the Sonnet 5.5 entry in force still has the 0.20 cache read; LiteLLM's map says 0.10.
        final Result r = run("prices", "check", "--litellm", FIXTURE.toString(), "--catalog", CATALOG.toString(), "--at", "2026-10-01");
        assertThat(r.out()).contains("DIFFERS            anthropic/claude-sonnet-5-5 (LiteLLM 'claude-sonnet-5-5', entry "
                + "anthropic/claude-sonnet-5-5@2026-09-28): cache read: catalog 0.2, LiteLLM 0.1");
    }

    @Test
    void agreementExitsZero() throws IOException {
        final Path catalog = Files.writeString(dir.resolve("catalog.json"), """
                {"format": "tokenledger-prices", "version": 1, "entries": [
                  {"provider": "openai", "model": "o3", "effective_from": "2025-06-10", "input_per_mtok": "2", "output_per_mtok": "8",
                   "cache_read_per_mtok": "0.50", "source_url": "https://developers.openai.com/api/docs/pricing", "source_read_on": "2026-11-23"}
                ]}""");
        final Path litellm = Files.writeString(dir.resolve("litellm.json"), """
                {"o3": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06, "cache_read_input_token_cost": 5e-07,
                        "litellm_provider": "openai", "mode": "chat"}}""");
        final Result r = run("prices", "check", "--litellm", litellm.toString(), "--catalog", catalog.toString(), "--at", "2026-12-05");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1 LiteLLM models of anthropic/openai/google compared: 1 agree, 0 differ, 0 missing in the catalog; "
                + "0 catalog models missing in LiteLLM.");
    }

    @Test
    void anUnreadableMapExitsTwoNamingTheFile() {
        final Path missing = dir.resolve("nope.json");
        final Result r = run("prices", "check", "--litellm", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(missing.toString());
        final Result badDate = run("prices", "check", "--litellm", FIXTURE.toString(), "--at", "soon");
        assertThat(badDate.code()).isEqualTo(2);
        assertThat(badDate.err()).contains("--at").contains("soon");
    }

    @Test
    void theExampleMapRunsAgainstTheShippedCatalog() {
        // The README's example: 11 keys, minus sample_spec and an embedding model = 9 compared, whatever the shipped rates are.
        assertThat(EXAMPLE).exists();
        final Result r = run("prices", "check", "--litellm", EXAMPLE.toString());
        assertThat(r.code()).as(r.err()).isBetween(0, 1);
        assertThat(r.out()).startsWith("Catalog (shipped with TokenLedger) in force at ")
                .contains("9 LiteLLM models of anthropic/openai/google compared: ");
    }
}
