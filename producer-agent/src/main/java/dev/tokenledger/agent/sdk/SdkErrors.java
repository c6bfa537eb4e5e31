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
package dev.tokenledger.agent.sdk;

/** Error classes for FAILED events from SDK exceptions: {@code http_<status>} for API errors, else the exception's name. */
final class SdkErrors {
    private SdkErrors() {
    }

    static String anthropic(RuntimeException e) {
        if (e instanceof com.anthropic.errors.AnthropicServiceException s) {
            return "http_" + s.statusCode();
        }
        return e.getClass().getSimpleName();
    }

    static String openAi(RuntimeException e) {
        if (e instanceof com.openai.errors.OpenAIServiceException s) {
            return "http_" + s.statusCode();
        }
        return e.getClass().getSimpleName();
    }
}
