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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenledger price} and {@code tokenledger prices list|load --dry-run}, through TokenLedgerCommand.run. */
class PriceCommandsTest {

    @TempDir
    Path dir;

    private static Result run(String... args) {
        return CliRun.runCapturingSystemStreams(args);
    }

    @Test
    void pricesEveryClassAndNamesTheEntry() {
        // claude-sonnet-4-5: 1,000 x 3 + 500 x 15 + 2,000 x 3.75 + 1,000 x 6 + 10,000 x 0.30 (per 1e6)
        //   = 0.003 + 0.0075 + 0.0075 + 0.006 + 0.003 = 0.027
        final Result r = run("price", "--provider", "anthropic", "--model", "claude-sonnet-4-5-20250929", "--input", "1000",
                "--output", "500", "--reasoning", "200", "--cache-write-5m", "2000", "--cache-write-1h", "1000", "--cache-read", "10000",
                "--at", "2026-11-01");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Entry: anthropic/claude-sonnet-4-5@2025-09-29")
                .containsPattern("input\\s+1,000\\s+3\\s+0.003\\n")
                .containsPattern("output\\s+500\\s+15\\s+0.0075\\n")
                .containsPattern("cache_write_5m\\s+2,000\\s+3.75\\s+0.0075\\n")
                .containsPattern("cache_write_1h\\s+1,000\\s+6\\s+0.006\\n")
                .containsPattern("cache_read\\s+10,000\\s+0.3\\s+0.003\\n")
                .containsPattern("total\\s+0.027\\n")
                .contains("About $0.03").contains("cache savings 0.027 USD");
    }

    @Test
    void jsonHasTotalClassesAndEntry() throws Exception {
        // gpt-5 batch: (100,000 x 1.25 + 20,000 x 10) / 1e6 x 0.5 = (0.125 + 0.2) x 0.5 = 0.1625
        final Result r = run("price", "--provider", "openai", "--model", "gpt-5", "--input", "100000", "--output", "20000",
                "--batch", "--at", "2026-01-15T10:00:00Z", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        final JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("total_usd").isTextual()).isTrue();
        assertThat(j.get("total_usd").asText()).isEqualTo("0.1625");
        assertThat(j.get("classes").get("input").get("cost_usd").asText()).isEqualTo("0.0625");
        assertThat(j.get("classes").get("output").get("rate_per_mtok").asText()).isEqualTo("5");
        assertThat(j.get("multiplier").asText()).isEqualTo("0.5");
        assertThat(j.get("entry").get("entry_id").asText()).isEqualTo("openai/gpt-5@2025-08-07");
        assertThat(j.get("entry").get("source_url").asText()).startsWith("https://");
    }

    @Test
    void longContextAndDateChangeShowInTheAnswer() throws Exception {
        // o3 before / after the 2025-06-10 cut: 1e6 in + 1e6 out = 10 + 40 = 50, then 2 + 8 = 10
        final ObjectMapper m = new ObjectMapper();
        final JsonNode before = m.readTree(run("price", "--provider", "openai", "--model", "o3", "--input", "1000000",
                "--output", "1000000", "--at", "2025-06-09", "--json").out());
        final JsonNode after = m.readTree(run("price", "--provider", "openai", "--model", "o3", "--input", "1000000",
                "--output", "1000000", "--at", "2025-06-10", "--json").out());
        assertThat(before.get("total_usd").asText()).isEqualTo("50");
        assertThat(after.get("total_usd").asText()).isEqualTo("10");
        // gemini-2.5-pro 250,000 in (> 200K) + 1,000 out: 250,000 x 2.50 + 1,000 x 15 = 0.625 + 0.015 = 0.64
        final Result lc = run("price", "--provider", "google", "--model", "gemini-2.5-pro", "--input", "250000", "--output", "1000", "--at", "2026-11-01");
        assertThat(lc.out()).containsPattern("total\\s+0.64\\n").contains("long-context tier APPLIED");
    }

    @Test
    void unknownModelExitsThreeNamingTheClosestModels() {
        final Result r = run("price", "--provider", "anthropic", "--model", "claude-sonet-4-5", "--input", "10");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("anthropic/claude-sonet-4-5").contains("UNPRICED").contains("Closest known models: claude-sonnet-4-5");
    }

    @Test
    void badInputNamesTheField() {
        final Result r = run("price", "--provider", "openai", "--model", "gpt-5", "--input", "-5");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("input_tokens must be >= 0, got -5");
        final Result d = run("price", "--provider", "openai", "--model", "gpt-5", "--at", "yesterday");
        assertThat(d.err()).contains("--at").contains("yesterday");
    }

    @Test
    void customCatalogFile() throws Exception {
        final Path f = Files.writeString(dir.resolve("prices.json"), """
                {"entries": [{"provider": "acme", "model": "m1", "effective_from": "2026-01-01",
                  "input_per_mtok": "2", "output_per_mtok": "8", "discount_multiplier": "0.9",
                  "source_url": "https://acme.test/prices", "source_read_on": "2026-11-23"}]}""");
        // (1,000,000 x 2 + 0) x 0.9 = 1.8
        final Result r = run("price", "--provider", "acme", "--model", "m1", "--input", "1000000", "--catalog", f.toString(), "--at", "2026-06-01");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("total\\s+1.8\\n").contains("Multiplier x0.9");
        final Result list = run("prices", "list", "--catalog", f.toString());
        assertThat(list.out()).contains("(1 entries").containsPattern("acme\\s+m1\\s+2026-01-01");
    }

    @Test
    void listShowsTheShippedCatalog() {
        final Result r = run("prices", "list", "--provider", "anthropic");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("claude-sonnet-4-5\\s+2025-09-29\\s+-\\s+3\\s+15\\s+3.75\\s+6\\s+0.3\\s+>200000: 6/22.5\\s+x0.5")
                .doesNotContain("gpt-5");
    }

    @Test
    void loadDryRunReportsRefusedLiteLlmEntries() throws Exception {
        final Path f = Files.writeString(dir.resolve("litellm.json"), """
                {"claude-x": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "litellm_provider": "anthropic", "mode": "chat"},
                 "text-embedding-3-small": {"input_cost_per_token": 2e-08, "output_cost_per_token": 0, "litellm_provider": "openai", "mode": "embedding"}}""");
        final Result r = run("prices", "load", f.toString(), "--format", "litellm", "--dry-run", "--effective-from", "2026-11-01");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Validated 1 price entries").contains("Refused 1 entries")
                .contains("text-embedding-3-small: mode 'embedding'");
        final Result bad = run("prices", "load", f.toString(), "--dry-run");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("--format litellm").contains("Nothing was loaded");
    }

    private Path solCatalog() throws Exception {
        // GPT-6.2 Sol (developers.openai.com/api/docs/models/gpt-6.2-sol, per /work/price-audit.md read 2026-12-05):
        // input 2, cached 0.10, output 10, 30m write 2.50, 12h write 5, Fast 2x; a US-only uplift is not published: none here
        return Files.writeString(dir.resolve("sol.json"), """
                {"entries": [{"provider": "openai", "model": "gpt-6.2-sol", "effective_from": "2026-11-17",
                  "input_per_mtok": "2", "output_per_mtok": "10", "cache_read_per_mtok": "0.10",
                  "cache_write_per_mtok": {"30m": "2.50", "12h": "5"},
                  "service_tier_multipliers": {"fast": "2"},
                  "source_url": "https://developers.openai.com/api/docs/models/gpt-6.2-sol", "source_read_on": "2026-12-05"}]}""");
    }

    @Test
    void cacheWritesOfAnyRetention() throws Exception {
        // 30m 200,000 x 2.50 / 1e6 = 0.5 ; 12h 100,000 x 5 / 1e6 = 0.5 ; input 10,000 x 2 / 1e6 = 0.02 ; total 1.02
        final Result r = run("price", "--provider", "openai", "--model", "gpt-6.2-sol", "--input", "10000", "--cache-write", "30m=200000",
                "--cache-write", "12h=100000", "--catalog", solCatalog().toString(), "--at", "2026-12-01", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        final JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("pricing_status").asText()).isEqualTo("PRICED");
        assertThat(j.get("total_usd").asText()).isEqualTo("1.02");
        assertThat(j.at("/classes/cache_write_30m/cost_usd").asText()).isEqualTo("0.5");
        assertThat(j.at("/classes/cache_write_12h/rate_per_mtok").asText()).isEqualTo("5");
        assertThat(j.at("/cache_write_costs/12h").asText()).isEqualTo("0.5");
        assertThat(j.get("missing")).isEmpty();
        // the table shows the retention lines; Fast doubles every class: 1.02 x 2 = 2.04
        final Result t = run("price", "--provider", "openai", "--model", "gpt-6.2-sol", "--input", "10000", "--cache-write", "30m=200000",
                "--cache-write", "12h=100000", "--service-tier", "fast", "--catalog", solCatalog().toString(), "--at", "2026-12-01");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).containsPattern("cache_write_30m\\s+200,000\\s+5\\s+1\\n").containsPattern("total\\s+2.04\\n");
    }

    @Test
    void cacheWrite5mIsASynonymAndBadRetentionsAreRefused() throws Exception {
        // claude-sonnet-4-5 5m write 2,000 x 3.75 / 1e6 = 0.0075 either way
        final Result a = run("price", "--provider", "anthropic", "--model", "claude-sonnet-4-5", "--cache-write", "5m=2000", "--at", "2026-11-01",
                "--json");
        final Result b = run("price", "--provider", "anthropic", "--model", "claude-sonnet-4-5", "--cache-write-5m", "2000", "--at", "2026-11-01",
                "--json");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(new ObjectMapper().readTree(a.out()).get("total_usd").asText()).isEqualTo("0.0075")
                .isEqualTo(new ObjectMapper().readTree(b.out()).get("total_usd").asText());
        final Result bad = run("price", "--provider", "anthropic", "--model", "claude-sonnet-4-5", "--cache-write", "30min=5");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("--cache-write 30min=5").contains("'30min'");
        final Result both = run("price", "--provider", "anthropic", "--model", "claude-sonnet-4-5", "--cache-write", "1h=5", "--cache-write-1h", "7");
        assertThat(both.code()).isEqualTo(1);
        assertThat(both.err()).contains("--cache-write 1h=5").contains("--cache-write-1h 7");
    }

    @Test
    void aClassRegionOrTierWithoutARateIsNotFullyPricedAndExitsThree() throws Exception {
        // claude-sonnet-4-5 has no 30m write rate: 30m 1,000 -> 0 ; input 1,000 x 3 / 1e6 = 0.003 ; total 0.003, a lower bound
        final Result cls = run("price", "--provider", "anthropic", "--model", "claude-sonnet-4-5", "--input", "1000", "--cache-write", "30m=1000",
                "--at", "2026-11-01", "--json");
        assertThat(cls.code()).isEqualTo(3);
        final JsonNode j = new ObjectMapper().readTree(cls.out());
        assertThat(j.get("pricing_status").asText()).isEqualTo("PARTIALLY_PRICED");
        assertThat(j.get("fully_priced").asBoolean()).isFalse();
        assertThat(j.get("total_usd").asText()).isEqualTo("0.003");
        assertThat(j.get("missing").get(0).asText()).contains("cache_write_30m").contains("anthropic/claude-sonnet-4-5@2025-09-29");
        assertThat(cls.err()).contains("Not fully priced").contains("cache_write_30m");
        // unknown region and tier on Sol: 10,000 x 2 / 1e6 = 0.02 at list, flagged
        final Result region = run("price", "--provider", "openai", "--model", "gpt-6.2-sol", "--input", "10000", "--region", "eu",
                "--catalog", solCatalog().toString(), "--at", "2026-12-01");
        assertThat(region.code()).isEqualTo(3);
        assertThat(region.out()).containsPattern("total\\s+0.02\\n").contains("PARTIALLY PRICED").contains("region 'eu'");
        final Result tier = run("price", "--provider", "openai", "--model", "gpt-6.2-sol", "--input", "10000", "--service-tier", "ultrafast",
                "--catalog", solCatalog().toString(), "--at", "2026-12-01", "--json");
        assertThat(tier.code()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(tier.out()).get("notes").toString()).contains("service tier 'ultrafast'");
    }
}
