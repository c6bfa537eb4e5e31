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

import com.openai.client.OpenAIClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.usage.ProviderApi;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.TokenLedger;

/**
 * The OpenAI Java SDK behind the ledger: tag, call and record in one step, for Chat Completions and
 * Responses.
 *
 * <pre>{@code
 * LedgerOpenAi openai = LedgerOpenAi.wrap(OpenAIOkHttpClient.fromEnv(), ledger);
 * ChatCompletion c = openai.chat().create(Attribution.feature("classify_ticket").tenant("acme").user("u-17"), params);
 * }</pre>
 * Sets OpenAI's {@code user} field (≤ 64 chars; the HMAC when hashing is on) unless already set.
 */
public final class LedgerOpenAi {
    private final OpenAIClient client;
    private final TokenLedger ledger;

    private LedgerOpenAi(OpenAIClient client, TokenLedger ledger) {
        this.client = client;
        this.ledger = ledger;
    }

    public static LedgerOpenAi wrap(OpenAIClient client, TokenLedger ledger) {
        return new LedgerOpenAi(client, ledger);
    }

    public Chat chat() {
        return new Chat();
    }

    public Responses responses() {
        return new Responses();
    }

    /** {@code client.chat().completions()} with attribution. */
    public final class Chat {
        private Chat() {
        }

        @SuppressWarnings("deprecation")
        public ChatCompletion create(Attribution attribution, ChatCompletionCreateParams params) {
            try (LedgerCall call = ledger.begin(attribution)) {
                call.provider("openai").modelRequested(params.model().asString());
                ChatCompletionCreateParams tagged = params;
                String user = call.openAiUser();
                if (user != null && params.user().isEmpty()) {
                    tagged = params.toBuilder().user(user).build();
                }
                ChatCompletion completion;
                try {
                    completion = client.chat().completions().create(tagged);
                } catch (RuntimeException e) {
                    call.recordFailure(SdkErrors.openAi(e));
                    throw e;
                }
                if (completion.usage().isPresent()) {
                    SdkUsage.record(call, () -> SdkUsage.openAiChat(completion.usage().get(), completion.model(),
                            completion.serviceTier().map(t -> t.asString()).orElse(null)));
                } else {
                    call.recordFailure("missing_usage");
                }
                return completion;
            }
        }

        /**
         * Streams through the ledger's {@link StreamGuard}. Always asks for the usage chunk
         * ({@code stream_options.include_usage = true}, other stream options kept): without it OpenAI
         * never reports a streamed call's usage, and the agent could only count chunks (COUNTED), the
         * "streamed calls logged at $0" mistake.
         */
        @SuppressWarnings("deprecation")
        public GuardedStream<ChatCompletionChunk> createStreaming(Attribution attribution, ChatCompletionCreateParams params) {
            LedgerCall call = ledger.begin(attribution);
            call.provider("openai").modelRequested(params.model().asString());
            try {
                ChatCompletionCreateParams.Builder b = params.toBuilder();
                String user = call.openAiUser();
                if (user != null && params.user().isEmpty()) {
                    b.user(user);
                }
                b.streamOptions(params.streamOptions().map(ChatCompletionStreamOptions::toBuilder)
                        .orElseGet(ChatCompletionStreamOptions::builder).includeUsage(true).build());
                ChatCompletionCreateParams tagged = b.build();
                StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS);
                StreamResponse<ChatCompletionChunk> upstream = client.chat().completions().createStreaming(tagged);
                return new GuardedStream<>(new GuardedEvents<>(upstream.stream(), upstream, call, guard, ObjectMappers.jsonMapper()));
            } catch (RuntimeException e) {
                call.recordFailure(SdkErrors.openAi(e));
                call.close();
                throw e;
            }
        }
    }

    /** {@code client.responses()} with attribution. */
    public final class Responses {
        private Responses() {
        }

        /** Sets {@code safety_identifier} (OpenAI's successor of {@code user}, ≤ 64 chars; the HMAC when hashing is on) unless set. */
        public Response create(Attribution attribution, ResponseCreateParams params) {
            try (LedgerCall call = ledger.begin(attribution)) {
                call.provider("openai");
                params.model().ifPresent(m -> call.modelRequested(modelName(m)));
                ResponseCreateParams tagged = params;
                String user = call.openAiUser();
                if (user != null && params.safetyIdentifier().isEmpty() && params.user().isEmpty()) {
                    tagged = params.toBuilder().safetyIdentifier(user).build();
                }
                Response response;
                try {
                    response = client.responses().create(tagged);
                } catch (RuntimeException e) {
                    call.recordFailure(SdkErrors.openAi(e));
                    throw e;
                }
                if (response.usage().isPresent()) {
                    SdkUsage.record(call, () -> SdkUsage.openAiResponses(response.usage().get(), modelName(response.model()),
                            response.serviceTier().map(t -> t.asString()).orElse(null)));
                } else {
                    call.recordFailure("missing_usage");
                }
                return response;
            }
        }
    }

    static String modelName(ResponsesModel model) {
        if (model.isString()) {
            return model.asString();
        }
        if (model.isChat()) {
            return model.asChat().asString();
        }
        return model.isOnly() ? model.asOnly().asString() : String.valueOf(model);
    }
}
