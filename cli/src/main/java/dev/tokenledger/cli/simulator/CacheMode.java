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

/** How a feature uses prompt caching for its stable system-prompt prefix. */
public enum CacheMode {
    /** No caching: the whole prompt is uncached input on every call. */
    NONE,
    /** Anthropic 5-minute ephemeral cache (or OpenAI's automatic cache): first call writes, later calls read. */
    EPHEMERAL_5M,
    /** Anthropic 1-hour cache: first call writes at the 1-hour rate, later calls read. */
    EPHEMERAL_1H
}
