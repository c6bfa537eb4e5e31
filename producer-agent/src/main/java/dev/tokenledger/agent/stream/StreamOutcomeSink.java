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
