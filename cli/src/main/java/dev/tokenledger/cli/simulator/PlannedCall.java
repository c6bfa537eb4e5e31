package dev.tokenledger.cli.simulator;

/**
 * One provider call of a user action, fully decided in advance so a seed replays the same run.
 *
 * @param step            the step name (tagged {@code step})
 * @param provider        who serves it
 * @param model           the model called (as the catalog names it)
 * @param maxTokens       the {@code max_tokens} the caller sets
 * @param usage           what the provider bills when the call completes
 * @param streaming       true when the answer is streamed (SSE)
 * @param toolCalls       tool calls the streamed answer makes before its final text
 * @param failedAttempts  how many attempts fail with a provider overload before this one succeeds
 *                        (each is a retry under the same reservation)
 * @param fallback        true when this call re-runs a failed small-model answer on a larger model
 */
public record PlannedCall(String step, Provider provider, String model, long maxTokens, TokenUsage usage,
                          boolean streaming, int toolCalls, int failedAttempts, boolean fallback) {
}
