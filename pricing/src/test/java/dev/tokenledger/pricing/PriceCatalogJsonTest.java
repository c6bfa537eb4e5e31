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
package dev.tokenledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PriceEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogJsonTest {

    private static List<PriceEntry> parse(String json) throws IOException {
        return PriceCatalogJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void readsEveryFieldExactly() throws IOException {
        final List<PriceEntry> es = parse("""
                {"entries": [{
                  "provider": "acme", "model": "m", "aliases": ["m-2026"], "model_patterns": ["m-\\\\d+"],
                  "effective_from": "2026-01-01", "effective_to": "2026-02-01T12:00:00Z",
                  "input_per_mtok": "0.1", "output_per_mtok": 0.3, "cache_write_5m_per_mtok": "0.125",
                  "cache_write_1h_per_mtok": "0.2", "cache_read_per_mtok": "0.01",
                  "other_rates": {"audio_input": "0.7"},
                  "long_context": {"threshold_tokens": 100000, "input_per_mtok": "0.5", "output_per_mtok": "2.5", "cache_read_per_mtok": "0.05"},
                  "batch_multiplier": "0.5", "service_tier_multipliers": {"priority": "2"}, "region_multipliers": {"eu": "1.1"},
                  "discount_multiplier": "0.9", "source_url": "https://x", "source_read_on": "2026-11-23", "notes": "n"
                }]}""");
        final PriceEntry e = es.get(0);
        assertThat(e.getEntryId()).isEqualTo("acme/m@2026-01-01");
        assertThat(e.getEffectiveTo()).isEqualTo(Instant.parse("2026-02-01T12:00:00Z"));
        assertThat(e.getOutputPerMtok()).isEqualByComparingTo("0.3");
        assertThat(e.getOtherRates().get(0).getPerMtok()).isEqualByComparingTo("0.7");
        assertThat(e.getLongContext().getCacheWrite5mPerMtok()).isNull();
        assertThat(e.getRegionMultipliers().get(0).getName()).isEqualTo("eu");
        assertThat(PriceCatalog.of(es).find("acme", "m-42", Instant.parse("2026-01-15T00:00:00Z"))).isPresent();
    }

    @Test
    void writeThenReadRoundTrips(@TempDir Path dir) throws IOException {
        final List<PriceEntry> shipped = PriceCatalog.loadDefault().entries();
        final Path f = dir.resolve("catalog.json");
        Files.writeString(f, PriceCatalogJson.write(shipped));
        assertThat(PriceCatalog.load(f).entries()).isEqualTo(shipped);
    }

    @Test
    void errorsNameTheEntryFieldAndValue() {
        assertThatThrownBy(() -> parse("{\"entries\": [{\"provider\": \"acme\", \"model\": \"m\", \"effective_from\": \"2026-01-01\","
                + " \"input_per_mtok\": \"three\", \"output_per_mtok\": \"1\", \"source_url\": \"u\", \"source_read_on\": \"2026-11-23\"}]}"))
                .hasMessageContaining("entries[0]").hasMessageContaining("acme/m").hasMessageContaining("input_per_mtok").hasMessageContaining("three");
        assertThatThrownBy(() -> parse("{\"entries\": [{\"provider\": \"acme\", \"model\": \"m\", \"effective_from\": \"2026-01-01\","
                + " \"input_per_mtok\": \"1\", \"output_per_mtok\": \"1\", \"cache_reads_per_mtok\": \"1\", \"source_url\": \"u\", "
                        + "\"source_read_on\": \"2026-11-23\"}]}"))
                .hasMessageContaining("unknown field 'cache_reads_per_mtok'");
        assertThatThrownBy(() -> parse("{\"entries\": [{\"provider\": \"acme\", \"model\": \"m\", \"effective_from\": \"Jan 1\","
                + " \"input_per_mtok\": \"1\", \"output_per_mtok\": \"1\", \"source_url\": \"u\", \"source_read_on\": \"2026-11-23\"}]}"))
                .hasMessageContaining("effective_from").hasMessageContaining("Jan 1");
        assertThatThrownBy(() -> parse("{\"claude-x\": {\"input_cost_per_token\": 1e-6}}"))
                .hasMessageContaining("--format litellm");
    }

    @Test
    void readsAndWritesCacheWriteRatesByRetention() throws IOException {
        final String json = """
                {"entries": [{
                  "provider": "openai", "model": "gpt-x", "effective_from": "2026-11-17",
                  "input_per_mtok": "2", "output_per_mtok": "10", "cache_read_per_mtok": "0.10",
                  "cache_write_per_mtok": {"30m": "2.50", "12h": "5"},
                  "long_context": {"threshold_tokens": 272000, "input_per_mtok": "4", "output_per_mtok": "15",
                                   "cache_write_per_mtok": {"30m": "5", "12h": "10"}},
                  "source_url": "https://x", "source_read_on": "2026-12-05"
                }]}""";
        final PriceEntry e = parse(json).get(0);
        assertThat(e.getCacheWriteRates()).containsOnlyKeys("30m", "12h");
        assertThat(e.getCacheWriteRates().get("30m")).isEqualByComparingTo("2.5");
        assertThat(e.getCacheWriteRates().get("12h")).isEqualByComparingTo("5");
        assertThat(e.getLongContext().getCacheWriteRates().get("12h")).isEqualByComparingTo("10");
        final String written = PriceCatalogJson.write(List.of(e));
        assertThat(written).contains("\"cache_write_per_mtok\"");
        assertThat(parse(written)).containsExactly(e);
        assertThat(parse(json.replace("\"cache_write_per_mtok\": {\"30m\": \"2.50\", \"12h\": \"5\"},", "")).get(0).getCacheWriteRates())
                .isEmpty();
    }

    @Test
    void refusesBadRetentionKeysNamingTheEntryAndKey() {
        final String template = "{\"entries\": [{\"provider\": \"openai\", \"model\": \"gpt-x\", \"effective_from\": \"2026-11-17\","
                + " \"input_per_mtok\": \"2\", \"output_per_mtok\": \"10\", %s \"source_url\": \"u\", \"source_read_on\": \"2026-12-05\"}]}";
        assertThatThrownBy(() -> parse(template.formatted("\"cache_write_per_mtok\": {\"5m\": \"2.5\"},")))
                .hasMessageContaining("entries[0]").hasMessageContaining("openai/gpt-x").hasMessageContaining("cache_write_per_mtok")
                .hasMessageContaining("'5m'").hasMessageContaining("cache_write_5m_per_mtok");
        assertThatThrownBy(() -> parse(template.formatted("\"cache_write_per_mtok\": {\"30min\": \"2.5\"},")))
                .hasMessageContaining("openai/gpt-x").hasMessageContaining("'30min'");
        assertThatThrownBy(() -> parse(template.formatted("\"cache_write_per_mtok\": {\"0h\": \"2.5\"},")))
                .hasMessageContaining("'0h'");
        assertThatThrownBy(() -> parse(template.formatted("\"cache_write_per_mtok\": {\"12h\": \"-1\"},")))
                .hasMessageContaining("cache_write_rates[12h]").hasMessageContaining("-1");
        assertThatThrownBy(() -> parse(template.formatted("\"long_context\": {\"threshold_tokens\": 272000, \"input_per_mtok\": \"4\","
                + " \"output_per_mtok\": \"15\", \"cache_write_per_mtok\": {\"1h\": \"5\"}},")))
                .hasMessageContaining("openai/gpt-x").hasMessageContaining("long_context").hasMessageContaining("'1h'");
        assertThatThrownBy(() -> parse(template.formatted("\"cache_write_per_mtok\": {\"12h\": \"five\"},")))
                .hasMessageContaining("cache_write_per_mtok.12h").hasMessageContaining("five");
    }
}
