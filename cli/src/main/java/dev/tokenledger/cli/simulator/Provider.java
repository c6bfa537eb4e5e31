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

/** The providers the simulated company calls, with the id TokenLedger events carry. */
public enum Provider {
    ANTHROPIC("anthropic"),
    OPENAI("openai"),
    GOOGLE("google");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    /** The provider id as it appears on usage events and in the price catalog. */
    public String id() {
        return id;
    }
}
