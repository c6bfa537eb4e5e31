package dev.tokenledger.agent.stream;

import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.StreamTerminationReason;

/** Where a {@link StreamGuard} reports how its stream ended; called exactly once. */
public interface StreamOutcomeSink {
    /** The stream ended normally. */
    void completed(ProviderUsage usage);

    /**
     * The stream was cut or broke.
     *
     * @param generatedOutputTokens output actually generated before the cut (never max_tokens)
     * @param detail                error class / message for UPSTREAM_ERROR, else null
     */
    void terminated(StreamTerminationReason reason, ProviderUsage usage, long generatedOutputTokens, String detail);
}
