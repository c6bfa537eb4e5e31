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
