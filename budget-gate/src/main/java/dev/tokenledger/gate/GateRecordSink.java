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
package dev.tokenledger.gate;

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.LeaseRequest;

/**
 * Where the gate writes its lease requests and decision records. Implementations must never block the
 * caller ({@link KafkaGateRecordSink} hands records to a background thread).
 */
public interface GateRecordSink extends AutoCloseable {
    void decision(BudgetDecision decision);

    /** A lease request (or a report of lease handed back) for the enforcer. */
    void leaseRequest(LeaseRequest request);

    @Override
    default void close() {
    }
}
