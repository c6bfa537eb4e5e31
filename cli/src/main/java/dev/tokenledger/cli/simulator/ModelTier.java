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
