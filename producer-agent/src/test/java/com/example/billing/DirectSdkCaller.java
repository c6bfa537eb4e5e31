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
package com.example.billing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;

/** Fixture for the ArchUnit rule: a service class calling the Anthropic SDK directly (a violation). */
public final class DirectSdkCaller {
    private final AnthropicClient client;

    public DirectSdkCaller(AnthropicClient client) {
        this.client = client;
    }

    public Message summarize(String text) {
        return client.messages().create(MessageCreateParams.builder()
                .model("claude-haiku-4-5").maxTokens(256).addUserMessage(text).build());
    }
}
