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
package dev.tokenledger.cli.simulator;

/**
 * The three price points the articles' company buys: a flagship for hard reasoning, a mid model as
 * the production default, a small model for classification, extraction and auto-complete. Each tier
 * maps to one real model per provider, named exactly as the shipped price catalog names it.
 */
public enum ModelTier {
    FLAGSHIP("claude-opus-4-5", "gpt-4o"),
    MID("claude-sonnet-4-5", "gpt-4o"),
    SMALL("claude-haiku-4-5", "gpt-4o-mini");

    private final String anthropicModel;
    private final String openAiModel;

    ModelTier(String anthropicModel, String openAiModel) {
        this.anthropicModel = anthropicModel;
        this.openAiModel = openAiModel;
    }

    /** The model this tier uses at {@code provider}. */
    public String model(Provider provider) {
        return provider == Provider.ANTHROPIC ? anthropicModel : openAiModel;
    }
}
