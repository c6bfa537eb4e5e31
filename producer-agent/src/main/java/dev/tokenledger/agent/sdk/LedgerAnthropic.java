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

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.usage.ProviderApi;
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
                SdkUsage.record(call, () -> SdkUsage.anthropic(message.usage(), message.model().asString()));
                return message;
            }
        }

        /**
         * Streams through the ledger's {@link StreamGuard} (limits of the attribution's feature): iterate
         * {@link GuardedStream#stream()} and close it (try-with-resources). The stream stops early when the
         * guard cuts; the call is recorded as COMPLETED at the end, STREAM_TERMINATED on a cut, a read error
         * or an early close.
         */
        public GuardedStream<RawMessageStreamEvent> createStreaming(Attribution attribution, MessageCreateParams params) {
            LedgerCall call = ledger.begin(attribution);
            call.provider("anthropic").modelRequested(params.model().asString());
            try {
                MessageCreateParams tagged = params;
                String userId = call.anthropicUserId();
                if (userId != null && params.metadata().isEmpty()) {
                    tagged = params.toBuilder().metadata(Metadata.builder().userId(userId).build()).build();
                }
                StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES);
                StreamResponse<RawMessageStreamEvent> upstream = client.messages().createStreaming(tagged);
                return new GuardedStream<>(new GuardedEvents<>(upstream.stream(), upstream, call, guard, ObjectMappers.jsonMapper()));
            } catch (RuntimeException e) {
                call.recordFailure(SdkErrors.anthropic(e));
                call.close();
                throw e;
            }
        }
    }
}
