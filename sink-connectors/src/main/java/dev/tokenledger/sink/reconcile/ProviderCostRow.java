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
package dev.tokenledger.sink.reconcile;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One imported row: what a provider billed for one UTC day, model and workspace / project, in exact USD.
 *
 * @param provider   as {@code usage_log.provider} spells it
 * @param day        the UTC day of the report's one-day bucket
 * @param model      the model the report names ({@link ProviderCostReports#NO_MODEL} when the line has none)
 * @param scopeId    Anthropic workspace_id or OpenAI project_id; empty when the report is not grouped by it
 * @param amountUsd  the sum of the report lines, in USD (Anthropic's cents already divided by 100)
 * @param reportLines the report's own line labels summed into the row (description or line_item, cost_type/token_type,
 *                    Google sku.description)
 * @param longContextUsd the part of amountUsd billed at a long-context rate (the likely cause of a drift when the ledger
 *                    applied none)
 * @param regionalUsd the part of amountUsd billed with a regional inference geo
 */
public record ProviderCostRow(String provider, LocalDate day, String model, String scopeId, BigDecimal amountUsd,
                              List<String> reportLines, BigDecimal longContextUsd, BigDecimal regionalUsd) {

    /** This row with one more report line added: amounts summed, the label kept once. */
    ProviderCostRow plus(BigDecimal usd, String label, boolean longContext, boolean regional) {
        List<String> labels = new ArrayList<>(reportLines);
        if (label != null && !labels.contains(label)) {
            labels.add(label);
        }
        return new ProviderCostRow(provider, day, model, scopeId, amountUsd.add(usd), List.copyOf(labels),
                longContext ? longContextUsd.add(usd) : longContextUsd, regional ? regionalUsd.add(usd) : regionalUsd);
    }

    /** An empty row to add lines to. */
    static ProviderCostRow empty(String provider, LocalDate day, String model, String scopeId) {
        return new ProviderCostRow(provider, day, model, scopeId, BigDecimal.ZERO, List.of(), BigDecimal.ZERO, BigDecimal.ZERO);
    }
}
