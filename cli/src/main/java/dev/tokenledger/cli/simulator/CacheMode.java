package dev.tokenledger.cli.simulator;

/** How a feature uses prompt caching for its stable system-prompt prefix. */
public enum CacheMode {
    /** No caching: the whole prompt is uncached input on every call. */
    NONE,
    /** Anthropic 5-minute ephemeral cache (or OpenAI's automatic cache): first call writes, later calls read. */
    EPHEMERAL_5M,
    /** Anthropic 1-hour cache: first call writes at the 1-hour rate, later calls read. */
    EPHEMERAL_1H
}
