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

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The providers whose own cost reports can be imported. The name is the one {@code usage_log.provider}
 * carries, so the reconciliation view joins on it.
 */
public enum CostReportProvider {
    /** Anthropic Admin API, {@code GET /v1/organizations/cost_report} (x-api-key + anthropic-version). */
    ANTHROPIC("anthropic", "anthropic"),
    /** OpenAI Costs API, {@code GET /v1/organization/costs} (Authorization: Bearer). */
    OPENAI("openai", "openai"),
    /** Gemini on Google Cloud: the Cloud Billing export to BigQuery (standard usage cost table), saved as CSV. File only. */
    GEMINI("google", "gemini");

    private final String ledgerName;
    private final String commandName;

    CostReportProvider(String ledgerName, String commandName) {
        this.ledgerName = ledgerName;
        this.commandName = commandName;
    }

    /** The name {@code --provider} takes (gemini for the Google billing export). */
    public String commandName() {
        return commandName;
    }

    /** The provider as {@code usage_log.provider} spells it. */
    public String ledgerName() {
        return ledgerName;
    }

    /** The provider for a command or ledger name (case-insensitive), or IllegalArgumentException naming the value and the choices. */
    public static CostReportProvider of(String name) {
        for (CostReportProvider p : values()) {
            if (p.commandName.equalsIgnoreCase(name) || p.ledgerName.equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown provider '" + name + "': use one of "
                + Arrays.stream(values()).map(CostReportProvider::commandName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return ledgerName.toLowerCase(Locale.ROOT);
    }
}
