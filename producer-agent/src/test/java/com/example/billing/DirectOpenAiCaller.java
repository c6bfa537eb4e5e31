package com.example.billing;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/** Fixture for the ArchUnit rule: a service class calling the OpenAI SDK directly (a violation). */
public final class DirectOpenAiCaller {
    private final OpenAIClient client;

    public DirectOpenAiCaller(OpenAIClient client) {
        this.client = client;
    }

    public ChatCompletion classify(String text) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage(text).build());
    }
}
