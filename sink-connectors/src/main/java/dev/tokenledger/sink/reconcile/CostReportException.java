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
package dev.tokenledger.sink.reconcile;

/** A provider cost report that cannot be imported: the message names the source, where, the value and what is wrong. */
public final class CostReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CostReportException(String message) {
        super(message);
    }

    public CostReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
