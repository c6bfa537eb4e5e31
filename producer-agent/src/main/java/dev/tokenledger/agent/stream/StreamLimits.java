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

import java.time.Duration;

/**
 * Limits of one streamed logical request (all streamed calls sharing a root_request_id): wall-clock time
 * since its first streamed call, and tool calls started across its calls. Whichever is hit first cuts.
 *
 * @param maxToolCalls 0 means no tool calls are allowed at all (the first one cuts)
 */
public record StreamLimits(Duration maxDuration, int maxToolCalls) {
    public StreamLimits {
        if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("stream maxDuration must be positive, got " + maxDuration);
        }
        if (maxToolCalls < 0) {
            throw new IllegalArgumentException("stream maxToolCalls must be >= 0, got " + maxToolCalls);
        }
    }

    public static StreamLimits of(Duration maxDuration, int maxToolCalls) {
        return new StreamLimits(maxDuration, maxToolCalls);
    }
}
