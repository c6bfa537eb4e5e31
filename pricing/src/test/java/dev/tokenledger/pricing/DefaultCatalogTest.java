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

import dev.tokenledger.avro.PriceEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped catalog: sources, dates and the models the issue asks for. */
class DefaultCatalogTest {

    private static final PriceCatalog CATALOG = PriceCatalog.loadDefault();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void everyEntryHasAProviderSourceAndAReadDate() {
        assertThat(CATALOG.size()).isGreaterThanOrEqualTo(45);
        for (PriceEntry e : CATALOG.entries()) {
            assertThat(e.getSourceUrl()).as(e.getEntryId()).startsWith("https://");
            assertThat(e.getSourceReadOn()).as(e.getEntryId()).isBeforeOrEqualTo(LocalDate.parse("2026-11-23"));
            assertThat(e.getNotes()).as(e.getEntryId()).isNotBlank();
        }
    }

    @Test
    void theModelsTheIssueNamesArePricedToday() {
        final List<String[]> required = List.of(
                new String[] {"anthropic", "claude-fable-5-1"}, new String[] {"anthropic", "claude-fable-5"},
                new String[] {"anthropic", "claude-opus-5-5"}, new String[] {"anthropic", "claude-opus-5"},
                new String[] {"anthropic", "claude-sonnet-5-5"}, new String[] {"anthropic", "claude-sonnet-5"},
                new String[] {"anthropic", "claude-haiku-5-5"}, new String[] {"anthropic", "claude-opus-4-5"},
                new String[] {"anthropic", "claude-sonnet-4-5-20250929"}, new String[] {"anthropic", "claude-haiku-4-5"},
                new String[] {"anthropic", "claude-opus-4-1"}, new String[] {"anthropic", "claude-opus-4"},
                new String[] {"anthropic", "claude-sonnet-4"}, new String[] {"anthropic", "claude-sonnet-4-6"},
                new String[] {"anthropic", "claude-3-7-sonnet-20250219"}, new String[] {"anthropic", "claude-3-5-haiku"},
                new String[] {"anthropic", "claude-3-haiku"},
                new String[] {"openai", "gpt-5.5"}, new String[] {"openai", "gpt-5.4"}, new String[] {"openai", "gpt-5"},
                new String[] {"openai", "gpt-5-mini"}, new String[] {"openai", "gpt-5-nano"}, new String[] {"openai", "gpt-4.1"},
                new String[] {"openai", "gpt-4.1-mini"}, new String[] {"openai", "gpt-4.1-nano"}, new String[] {"openai", "gpt-4o"},
                new String[] {"openai", "gpt-4o-mini"}, new String[] {"openai", "o3"}, new String[] {"openai", "o4-mini"},
                new String[] {"openai", "gpt-4-turbo"}, new String[] {"openai", "gpt-3.5-turbo"},
                new String[] {"google", "gemini-2.5-pro"}, new String[] {"google", "gemini-2.5-flash"},
                new String[] {"google", "gemini-2.5-flash-lite"}, new String[] {"google", "gemini-3-pro-preview"},
                new String[] {"google", "gemini-3-flash-preview"});
        for (String[] r : required) {
            assertThat(CATALOG.find(r[0], r[1], NOW)).as(r[0] + "/" + r[1]).isPresent();
        }
    }

    @Test
    void claudeCacheRatesArePerModelNotOneGlobalMultiplier() {
        // Most Claude rows: 5m = 1.25x, 1h = 2x, read = 0.1x input; Fable 5.1 and Opus 5.5 differ (0.025x, 0.05x)
        final PriceEntry sonnet = CATALOG.find("anthropic", "claude-sonnet-4-5", NOW).orElseThrow();
        assertThat(sonnet.getCacheWrite5mPerMtok()).isEqualByComparingTo(sonnet.getInputPerMtok().multiply(new java.math.BigDecimal("1.25")));
        assertThat(sonnet.getCacheWrite1hPerMtok()).isEqualByComparingTo(sonnet.getInputPerMtok().multiply(new java.math.BigDecimal("2")));
        assertThat(sonnet.getCacheReadPerMtok()).isEqualByComparingTo(sonnet.getInputPerMtok().multiply(new java.math.BigDecimal("0.1")));
        assertThat(CATALOG.find("anthropic", "claude-fable-5-1", NOW).orElseThrow().getCacheReadPerMtok()).isEqualByComparingTo("0.25");
        assertThat(CATALOG.find("anthropic", "claude-opus-5-5", NOW).orElseThrow().getCacheReadPerMtok()).isEqualByComparingTo("0.20");
    }

    @Test
    void articleDisagreementsAreRecorded() {
        assertThat(CATALOG.find("anthropic", "claude-opus-4-5", NOW).orElseThrow().getNotes()).contains("DISAGREEMENT");
        assertThat(CATALOG.find("anthropic", "claude-haiku-4-5", NOW).orElseThrow().getNotes()).contains("DISAGREEMENT");
    }
}
