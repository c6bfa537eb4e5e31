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
package dev.tokenledger.agent;

/**
 * Thrown when a call is started without a feature tag. Without it the call's cost cannot be attributed
 * to anything, so the agent refuses the call rather than emit an unattributable event.
 */
public final class MissingFeatureTagException extends InvalidTagException {
    public MissingFeatureTagException(String value) {
        super("feature", value, "every LLM call needs a feature tag, e.g. Attribution.feature(\"summarize_email_v2\");"
                + " it names the product feature the cost belongs to");
    }
}
