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
package dev.tokenledger.pricing;

/**
 * A usage event the aggregator (and the budget enforcer) refuses. Thrown by the validating processors and turned into a
 * dead-letter record (original bytes and headers plus the reason) by {@link UsageDeadLetterHandler}.
 */
public final class InvalidUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final DeadLetterReason reason;

    public InvalidUsageException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
