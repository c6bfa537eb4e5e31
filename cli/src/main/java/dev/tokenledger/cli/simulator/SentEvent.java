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
