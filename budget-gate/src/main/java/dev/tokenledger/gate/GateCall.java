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

/**
 * Who is asking the gate: the attribution of one call. {@code rootRequestId} identifies the logical
 * request (user action) the hold covers: retries and fallbacks with the same root reuse the hold.
 */
public record GateCall(String featureId, String tenantId, String rootRequestId, String requestId, String parentRequestId,
                       String model, String modelTier) {

    public GateCall {
        if (featureId == null || featureId.isBlank()) {
            throw new IllegalArgumentException("GateCall.featureId is required (got '" + featureId + "')");
        }
        if (rootRequestId == null || rootRequestId.isBlank()) {
            throw new IllegalArgumentException("GateCall.rootRequestId is required (got '" + rootRequestId + "')");
        }
    }

    public static GateCall of(String featureId, String tenantId, String rootRequestId) {
        return new GateCall(featureId, tenantId, rootRequestId, rootRequestId, null, null, null);
    }
}
