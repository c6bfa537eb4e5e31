package dev.tokenledger.cli.simulator;

import java.time.Instant;

/**
 * The simulator's own record of one usage event it caused: what it fed the agent, independently of
 * what the pipeline made of it.
 *
 * @param eventId  the usage event's id as the agent assigned it
 * @param kind     COMPLETED, FAILED or STREAM_TERMINATED
 * @param featureId the feature tag
 * @param tenantId the tenant tag
 * @param userId   the user tag
 * @param planTier the plan tag
 * @param provider the provider id
 * @param model    the model answered
 * @param usage    the billed tokens per class the provider reported (or the stream delivered)
 * @param sentAt   when the simulator finished the call
 */
public record SentEvent(String eventId, String kind, String featureId, String tenantId, String userId,
                        String planTier, String provider, String model, TokenUsage usage, Instant sentAt) {
}
