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

import java.util.List;

/**
 * What the simulator asks before it dispatches a user action: the budget gate, exactly as a
 * gateway would call it — one reservation per logical request (root request id), held at the
 * action's worst case, shared by every call, retry and fallback of the action.
 */
public interface ActionGate {

    /** The answer for one action. */
    record Admission(boolean allowed, String reservationId, String denyBody) {
        public static Admission allow(String reservationId) {
            return new Admission(true, reservationId, null);
        }

        public static Admission deny(String body) {
            return new Admission(false, null, body);
        }
    }

    /** Reserves the worst case of {@code action} under {@code rootRequestId}, or denies it. */
    Admission admit(UserAction action, String rootRequestId);

    /** The action finished with these usage events (on their way to Kafka); settles or releases the hold. */
    void finished(UserAction action, Admission admission, String rootRequestId, List<SentEvent> sent);

    /** A gate that allows everything (for clusters without an enforcer). */
    ActionGate ALLOW_ALL = new ActionGate() {
        @Override
        public Admission admit(UserAction action, String rootRequestId) {
            return Admission.allow(null);
        }

        @Override
        public void finished(UserAction action, Admission admission, String rootRequestId, List<SentEvent> sent) {
        }
    };
}
