package dev.tokenledger.agent.sdk;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.TokenLedger;

/**
 * The Anthropic Java SDK behind the ledger: tag, call and record in one step.
 *
 * <pre>{@code
 * LedgerAnthropic claude = LedgerAnthropic.wrap(AnthropicOkHttpClient.fromEnv(), ledger);
 * Message m = claude.messages().create(Attribution.feature("summarize_email_v2").tenant("acme").user("u-17"), params);
 * }</pre>
 * Sets {@code metadata.user_id} (hashed if the ledger hashes user ids) unless the params already carry
 * metadata, records {@code Message.usage()} as COMPLETED, or an SDK exception as FAILED
 * ({@code http_<status>}) before rethrowing it.
 */
public final class LedgerAnthropic {
    private final AnthropicClient client;
    private final TokenLedger ledger;

    private LedgerAnthropic(AnthropicClient client, TokenLedger ledger) {
        this.client = client;
        this.ledger = ledger;
    }

    public static LedgerAnthropic wrap(AnthropicClient client, TokenLedger ledger) {
        return new LedgerAnthropic(client, ledger);
    }

    public Messages messages() {
        return new Messages();
    }

    /** {@code client.messages()} with attribution. */
    public final class Messages {
        private Messages() {
        }

        public Message create(Attribution attribution, MessageCreateParams params) {
            try (LedgerCall call = ledger.begin(attribution)) {
                call.provider("anthropic").modelRequested(params.model().asString());
                MessageCreateParams tagged = params;
                String userId = call.anthropicUserId();
                if (userId != null && params.metadata().isEmpty()) {
                    tagged = params.toBuilder().metadata(Metadata.builder().userId(userId).build()).build();
                }
                Message message;
                try {
                    message = client.messages().create(tagged);
                } catch (RuntimeException e) {
                    call.recordFailure(SdkErrors.anthropic(e));
                    throw e;
                }
                call.recordUsage(SdkUsage.anthropic(message.usage(), message.model().asString()));
                return message;
            }
        }
    }
}
