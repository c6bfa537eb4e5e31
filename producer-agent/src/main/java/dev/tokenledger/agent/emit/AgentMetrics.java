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
package dev.tokenledger.agent.emit;

/**
 * Counters of the agent's emission path. Implementations must be thread-safe and cheap:
 * {@link #queued()} and {@link #dropped} are called on the caller's thread.
 */
public interface AgentMetrics {
    /** An event entered the in-memory queue. */
    void queued();

    /** An event was acknowledged by Kafka; {@code latencyNanos} from enqueue to acknowledgement. */
    void sent(long latencyNanos);

    /** Events were written to the disk spool because Kafka was unreachable (or a backlog was draining). */
    void spooled(int count);

    /** Spooled events were acknowledged by Kafka and released from the spool. */
    void drained(int count);

    /** Events were thrown away; {@code where} is "queue" or "spool". Every dropped event is counted. */
    void dropped(String where, int count);

    /** Bytes of a damaged spool region that were skipped (a torn or corrupted record). */
    void spoolCorruption(long bytesSkipped);

    /** A metrics sink that records nothing. */
    AgentMetrics NOOP = new AgentMetrics() {
        @Override
        public void queued() {
        }

        @Override
        public void sent(long latencyNanos) {
        }

        @Override
        public void spooled(int count) {
        }

        @Override
        public void drained(int count) {
        }

        @Override
        public void dropped(String where, int count) {
        }

        @Override
        public void spoolCorruption(long bytesSkipped) {
        }
    };
}
