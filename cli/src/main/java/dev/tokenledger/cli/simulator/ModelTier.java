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
 * maps to one current model per provider (December 2026), named exactly as the shipped price catalog
 * names it: Claude Opus 5.5 / Sonnet 5.5 / Haiku 5.5, GPT-6.2 Astra / GPT-6.2 Sol / GPT-5.4 mini,
 * Gemini 3.1 Pro / 3.8 Flash / 3.5 Flash-Lite.
 *
 * <p>The small OpenAI model is GPT-5.4 mini rather than a GPT-6 model on purpose: the company's cached
 * OpenAI feature (autocomplete_code) runs on it, and OpenAI bills 30-minute cache writes from GPT-5.6 on,
 * which the simulated OpenAI responses do not report ({@link ProviderResponses} writes cached reads
 * only). GPT-5.4 mini bills no cache write, so the simulated responses stay what OpenAI would answer.
 */
public enum ModelTier {
    FLAGSHIP("claude-opus-5-5", "gpt-6.2-astra", "gemini-3.1-pro"),
    MID("claude-sonnet-5-5", "gpt-6.2-sol", "gemini-3.8-flash"),
    SMALL("claude-haiku-5-5", "gpt-5.4-mini", "gemini-3.5-flash-lite");

    private final String anthropicModel;
    private final String openAiModel;
    private final String googleModel;

    ModelTier(String anthropicModel, String openAiModel, String googleModel) {
        this.anthropicModel = anthropicModel;
        this.openAiModel = openAiModel;
        this.googleModel = googleModel;
    }

    /** The model this tier uses at {@code provider}. */
    public String model(Provider provider) {
        return switch (provider) {
            case ANTHROPIC -> anthropicModel;
            case OPENAI -> openAiModel;
            case GOOGLE -> googleModel;
        };
    }
}
