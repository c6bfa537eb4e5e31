package dev.tokenledger.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows one streamed response event by event: keeps the provider's usage as it is reported, counts
 * output deltas (for a stream cut before the provider reported usage) and tool calls (for the stream
 * guard). Not thread-safe: fed by the thread reading the stream.
 */
public interface StreamUsageAccumulator {
    /**
     * @param eventName the SSE {@code event:} name, or null when the stream has none (OpenAI chat, Gemini)
     * @param data      the parsed {@code data:} payload
     */
    void accept(String eventName, JsonNode data);

    /** True once the provider has sent the usage that covers the whole response. */
    boolean usageFinal();

    /**
     * Authoritative usage when {@link #usageFinal()}; otherwise the best the stream supports: provider
     * numbers seen so far (Anthropic's input counts arrive first) with the output replaced by the count of
     * received deltas, marked COUNTED.
     */
    ProviderUsage usage();

    /** Output deltas (chunks carrying generated content or tool arguments) received so far. */
    long outputDeltas();

    /** Tool calls the model has started so far in this response. */
    int toolCalls();

    /** The provider name. */
    String provider();

    /** Model as answered, once known. */
    String model();
}
