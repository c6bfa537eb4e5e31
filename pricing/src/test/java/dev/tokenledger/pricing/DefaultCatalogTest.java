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
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The shipped catalog: sources, dates and the models the issue asks for. */
class DefaultCatalogTest {

    private static final PriceCatalog CATALOG = PriceCatalog.loadDefault();
    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void everyEntryHasAProviderSourceAndAReadDate() {
        assertThat(CATALOG.size()).isGreaterThanOrEqualTo(70);
        for (PriceEntry e : CATALOG.entries()) {
            assertThat(e.getSourceUrl()).as(e.getEntryId()).isNotBlank().startsWith("https://");
            assertThat(e.getSourceReadOn()).as(e.getEntryId()).isNotNull()
                    .isBetween(LocalDate.parse("2026-11-23"), LocalDate.parse("2026-12-05"));
            assertThat(e.getNotes()).as(e.getEntryId()).isNotBlank();
        }
    }

    @Test
    void noTwoEntriesOfOneModelOverlapInTime() {
        // PriceCatalog lets the latest effective_from win, which would hide a forgotten effective_to: the shipped
        // file states every change as consecutive entries (old effective_to == new effective_from), never as overlap.
        final Map<String, List<PriceEntry>> byModel = new TreeMap<>();
        for (PriceEntry e : CATALOG.entries()) {
            byModel.computeIfAbsent(e.getProvider() + "/" + e.getModel(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<PriceEntry>> m : byModel.entrySet()) {
            final List<PriceEntry> list = m.getValue(); // entries() is sorted by effective_from within a model
            for (int i = 1; i < list.size(); i++) {
                final PriceEntry prev = list.get(i - 1);
                final PriceEntry next = list.get(i);
                assertThat(prev.getEffectiveTo()).as(prev.getEntryId() + " must end before " + next.getEntryId() + " starts")
                        .isNotNull();
                assertThat(prev.getEffectiveTo()).as(prev.getEntryId() + " then " + next.getEntryId())
                        .isBeforeOrEqualTo(next.getEffectiveFrom());
            }
        }
    }

    @Test
    void usOnlyInferenceCosts1point1xFromOpus46OnAndOlderClaudeModelsHaveNoRegion() {
        // data-residency page: inference_geo is supported on Opus 4.6, Sonnet 4.6 and later; older models reject it (400)
        final List<String> geo = List.of("claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-4-7", "claude-opus-4-8",
                "claude-opus-5", "claude-opus-5-5", "claude-sonnet-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5",
                "claude-fable-5-1", "claude-fable-5-2", "claude-mythos-5", "claude-mythos-5-1", "claude-mythos-5-2");
        for (PriceEntry e : CATALOG.entries()) {
            if (!e.getProvider().equals("anthropic")) {
                continue;
            }
            final Map<String, BigDecimal> regions = new TreeMap<>();
            e.getRegionMultipliers().forEach(r -> regions.put(r.getName(), r.getMultiplier()));
            if (geo.contains(e.getModel())) {
                assertThat(regions).as(e.getEntryId()).containsOnlyKeys("us", "global");
                assertThat(regions.get("us")).as(e.getEntryId()).isEqualByComparingTo("1.1");
                assertThat(regions.get("global")).as(e.getEntryId()).isEqualByComparingTo("1");
            } else {
                assertThat(regions).as(e.getEntryId()).isEmpty();
            }
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
                new String[] {"google", "gemini-3-flash-preview"},
                new String[] {"anthropic", "claude-fable-5-2"}, new String[] {"anthropic", "claude-mythos-5-2"},
                new String[] {"anthropic", "claude-opus-4-6"}, new String[] {"anthropic", "claude-opus-4-7"},
                new String[] {"openai", "gpt-6.2-astra"}, new String[] {"openai", "gpt-6.2-sol"}, new String[] {"openai", "gpt-6.1-sol"},
                new String[] {"openai", "gpt-6.1-terra"}, new String[] {"openai", "gpt-6-astra"}, new String[] {"openai", "gpt-6-sol"},
                new String[] {"openai", "gpt-6-luna"}, new String[] {"openai", "gpt-5.6"}, new String[] {"openai", "gpt-5.6-sol"},
                new String[] {"openai", "gpt-5.6-terra"}, new String[] {"openai", "gpt-5.6-luna"}, new String[] {"openai", "gpt-5.2"},
                new String[] {"google", "gemini-3.8-flash"}, new String[] {"google", "gemini-3.6-flash"},
                new String[] {"google", "gemini-3.5-flash"}, new String[] {"google", "gemini-3.5-flash-lite"},
                new String[] {"google", "gemini-3.1-flash-lite"}, new String[] {"google", "gemini-3.1-pro"});
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
