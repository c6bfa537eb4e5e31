package com.example.billing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.sdk.LedgerAnthropic;

/** Fixture for the ArchUnit rule: the same call through the agent's decorator (compliant). */
public final class CompliantCaller {
    private final LedgerAnthropic claude;

    public CompliantCaller(AnthropicClient client, TokenLedger ledger) {
        this.claude = LedgerAnthropic.wrap(client, ledger);
    }

    public Message summarize(String tenant, String text) {
        return claude.messages().create(Attribution.feature("summarize_invoice").tenant(tenant),
                MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(256).addUserMessage(text).build());
    }

    public void shutdown(AnthropicClient client) {
        client.close();
    }
}
