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

import static dev.tokenledger.pricing.Fixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.avro.PriceEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static String id(Optional<PriceEntry> e) {
        return e.map(PriceEntry::getEntryId).orElse(null);
    }

    @Test
    void exactNameThenAliasThenPattern() {
        final PriceCatalog c = PriceCatalog.of(List.of(
                entry("anthropic", "claude-sonnet-4-5", "2025-09-29", "3", "15")
                        .setAliases(List.of("claude-sonnet-4-5-20250929"))
                        .setModelPatterns(List.of("claude-sonnet-4-5-\\d{8}")).build(),
                entry("anthropic", "claude-sonnet-4-5-20990101", "2025-09-29", "1", "1").build()));
        assertThat(id(c.find("anthropic", "claude-sonnet-4-5", T0))).isEqualTo("anthropic/claude-sonnet-4-5@2025-09-29");
        assertThat(id(c.find("anthropic", "claude-sonnet-4-5-20250929", T0))).isEqualTo("anthropic/claude-sonnet-4-5@2025-09-29");
        assertThat(id(c.find("anthropic", "claude-sonnet-4-5-20260401", T0))).isEqualTo("anthropic/claude-sonnet-4-5@2025-09-29");
        // an exact name beats a pattern that also matches it
        assertThat(id(c.find("anthropic", "claude-sonnet-4-5-20990101", T0))).isEqualTo("anthropic/claude-sonnet-4-5-20990101@2025-09-29");
        // patterns match the whole name only
        assertThat(c.find("anthropic", "claude-sonnet-4-5-2025092999", T0)).isEmpty();
        assertThat(c.find("anthropic", "xclaude-sonnet-4-5-20250929x", T0)).isEmpty();
    }

    @Test
    void providerMustMatchButCaseDoesNot() {
        final PriceCatalog c = PriceCatalog.of(List.of(entry("openai", "gpt-4o", "2024-08-06", "2.5", "10").build()));
        assertThat(c.find("OpenAI", "GPT-4o", T0)).isPresent();
        assertThat(c.find("azure", "gpt-4o", T0)).isEmpty();
    }

    @Test
    void effectiveFromInclusiveEffectiveToExclusive() {
        final PriceEntry old = entry("openai", "o3", "2025-04-16", "10", "40").setEffectiveTo(Instant.parse("2025-06-10T00:00:00Z")).build();
        final PriceEntry cut = entry("openai", "o3", "2025-06-10", "2", "8").build();
        final PriceCatalog c = PriceCatalog.of(List.of(old, cut));
        assertThat(c.find("openai", "o3", Instant.parse("2025-04-15T23:59:59.999Z"))).isEmpty();
        assertThat(id(c.find("openai", "o3", Instant.parse("2025-04-16T00:00:00Z")))).isEqualTo("openai/o3@2025-04-16");
        assertThat(id(c.find("openai", "o3", Instant.parse("2025-06-09T23:59:59.999Z")))).isEqualTo("openai/o3@2025-04-16");
        assertThat(id(c.find("openai", "o3", Instant.parse("2025-06-10T00:00:00Z")))).isEqualTo("openai/o3@2025-06-10");
    }

    @Test
    void openEndedEntriesOverlapAndTheLatestStartWins() {
        // publishing a price change = a new entry with a later effective_from; the old one need not be closed
        final PriceCatalog c = PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "1", "1").build()))
                .with(entry("acme", "m", "2026-03-01", "2", "2").build());
        assertThat(id(c.find("acme", "m", Instant.parse("2026-02-28T23:59:59Z")))).isEqualTo("acme/m@2026-01-01");
        assertThat(id(c.find("acme", "m", Instant.parse("2026-03-01T00:00:00Z")))).isEqualTo("acme/m@2026-03-01");
    }

    @Test
    void aliasInForceIsUsedWhenTheExactNameHasNoEntryAtThatTime() {
        final PriceCatalog c = PriceCatalog.of(List.of(
                entry("acme", "m", "2026-05-01", "9", "9").build(),
                entry("acme", "m-family", "2026-01-01", "1", "1").setAliases(List.of("m")).build()));
        assertThat(id(c.find("acme", "m", Instant.parse("2026-02-01T00:00:00Z")))).isEqualTo("acme/m-family@2026-01-01");
        assertThat(id(c.find("acme", "m", Instant.parse("2026-06-01T00:00:00Z")))).isEqualTo("acme/m@2026-05-01");
    }

    @Test
    void withReplacesAndWithoutRemovesImmutably() {
        final PriceCatalog a = PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "1", "1").build()));
        final PriceCatalog b = a.with(entry("acme", "m", "2026-01-01", "5", "5").build());
        final PriceCatalog empty = b.without("acme/m@2026-01-01");
        assertThat(a.find("acme", "m", T0).orElseThrow().getInputPerMtok()).isEqualByComparingTo("1");
        assertThat(b.find("acme", "m", T0).orElseThrow().getInputPerMtok()).isEqualByComparingTo("5");
        assertThat(b.size()).isEqualTo(1);
        assertThat(empty.find("acme", "m", T0)).isEmpty();
        assertThat(empty.without("nope")).isSameAs(empty);
        assertThat(a.entries()).hasSize(1);
    }

    @Test
    void entriesAreCopiedToTheWireScale() {
        final PriceEntry in = entry("acme", "m", "2026-01-01", "3.5", "15").build();
        final PriceCatalog c = PriceCatalog.of(List.of(in));
        in.setInputPerMtok(new BigDecimal("999"));
        final PriceEntry stored = c.entries().get(0);
        assertThat(stored.getInputPerMtok()).isEqualByComparingTo("3.5");
        assertThat(stored.getInputPerMtok().scale()).isEqualTo(12);
        assertThat(stored.getOutputPerMtok().scale()).isEqualTo(12);
    }

    @Test
    void invalidEntriesAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "-1", "1").build())))
                .hasMessageContaining("acme/m@2026-01-01").hasMessageContaining("input_per_mtok").hasMessageContaining("-1");
        assertThatThrownBy(() -> PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "1", "1")
                .setEffectiveTo(Instant.parse("2026-01-01T00:00:00Z")).build())))
                .hasMessageContaining("effective_to");
        assertThatThrownBy(() -> PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "1", "1")
                .setModelPatterns(List.of("claude-(")).build())))
                .hasMessageContaining("model_patterns").hasMessageContaining("claude-(");
        assertThatThrownBy(() -> PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "0.0000000000001", "1").build())))
                .hasMessageContaining("more than 12 decimals");
        assertThatThrownBy(() -> PriceCatalog.of(List.of(entry("acme", "m", "2026-01-01", "1", "1").build(),
                entry("acme", "m", "2026-01-01", "2", "2").build())))
                .hasMessageContaining("Duplicate").hasMessageContaining("acme/m@2026-01-01");
    }

    @Test
    void closestModelsByEditDistance() {
        final PriceCatalog c = PriceCatalog.loadDefault();
        assertThat(c.closestModels("claude-sonet-4-5", 3)).first().isEqualTo("claude-sonnet-4-5");
        assertThat(c.closestModels("gpt-4o-mni", 1)).containsExactly("gpt-4o-mini");
        assertThat(c.closestModels("x", 5)).hasSize(5);
        assertThat(PriceCatalog.editDistance("kitten", "sitting")).isEqualTo(3);
    }
}
