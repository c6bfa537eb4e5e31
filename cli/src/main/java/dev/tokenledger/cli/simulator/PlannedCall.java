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
