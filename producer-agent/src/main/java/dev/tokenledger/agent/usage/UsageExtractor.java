package dev.tokenledger.agent.usage;

/** Reads the authoritative usage block of one whole (non-streamed) provider response. */
@FunctionalInterface
public interface UsageExtractor {
    /**
     * @param json the raw response body
     * @throws UsageExtractionException when the body is not JSON or carries no usable usage block; the
     *                                  message names the API, the field and the value
     */
    ProviderUsage extract(String json);
}
