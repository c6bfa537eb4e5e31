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
 * One server-sent event as a provider streams it.
 *
 * @param event the {@code event:} field (Anthropic names every event; OpenAI sends none: null)
 * @param data  the {@code data:} payload (JSON, or {@code [DONE]})
 */
public record SseEvent(String event, String data) {

    /** The event as it appears on the wire, terminated by a blank line. */
    public String toWire() {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    }
}
