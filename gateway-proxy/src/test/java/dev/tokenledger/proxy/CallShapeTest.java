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
package dev.tokenledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallShapeTest {
    private static final long DEFAULT_CAP = 32_768;

    private static CallShape shape(ProviderRoute route, String pathModel, String body) {
        return CallShape.of(route, pathModel, body.getBytes(StandardCharsets.UTF_8), DEFAULT_CAP);
    }

    @Test
    void eachApisOutputCapIsRead() {
        assertThat(shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true}"))
                .isEqualTo(new CallShape("claude-sonnet-4-5", true, 1024, 61));
        assertThat(shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null, "{\"model\":\"gpt-5\",\"max_completion_tokens\":300,\"max_tokens\":9}")
                .maxOutputTokens()).isEqualTo(300);
        assertThat(shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null, "{\"model\":\"gpt-4o\",\"max_tokens\":9}").maxOutputTokens()).isEqualTo(9);
        assertThat(shape(ProviderRoute.OPENAI_RESPONSES, null, "{\"model\":\"gpt-5\",\"max_output_tokens\":77}").maxOutputTokens()).isEqualTo(77);
        final CallShape gemini = shape(ProviderRoute.GEMINI_GENERATE_CONTENT, "gemini-2.5-flash",
                "{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":256}}");
        assertThat(gemini.model()).isEqualTo("gemini-2.5-flash");
        assertThat(gemini.maxOutputTokens()).isEqualTo(256);
        assertThat(gemini.stream()).isFalse();
        assertThat(shape(ProviderRoute.GEMINI_STREAM_GENERATE_CONTENT, "gemini-2.5-flash", "{}").stream()).isTrue();
    }

    @Test
    void everyChoiceAskedForMayUseTheWholeCap() {
        assertThat(shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null, "{\"model\":\"gpt-5\",\"max_completion_tokens\":300,\"n\":4}")
                .maxOutputTokens()).isEqualTo(1_200);
        assertThat(shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null, "{\"model\":\"gpt-5\",\"n\":2}").maxOutputTokens())
                .as("no cap: the default per choice").isEqualTo(2 * DEFAULT_CAP);
        assertThat(shape(ProviderRoute.GEMINI_GENERATE_CONTENT, "gemini-2.5-flash",
                "{\"generationConfig\":{\"maxOutputTokens\":256,\"candidateCount\":3}}").maxOutputTokens()).isEqualTo(768);
        assertThat(shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"n\":5}")
                .maxOutputTokens()).as("the Messages API has no n: not read").isEqualTo(10);
        assertThatThrownBy(() -> shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null, "{\"model\":\"gpt-5\",\"n\":0}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.field()).isEqualTo("n"));
        assertThatThrownBy(() -> shape(ProviderRoute.GEMINI_GENERATE_CONTENT, "g", "{\"generationConfig\":{\"candidateCount\":1.5}}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.field()).isEqualTo("generationConfig.candidateCount"));
        assertThatThrownBy(() -> shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null,
                "{\"model\":\"gpt-5\",\"max_tokens\":9223372036854775807,\"n\":2}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.field()).isEqualTo("n"));
    }

    @Test
    void noCapMeansTheConfiguredDefault() {
        assertThat(shape(ProviderRoute.OPENAI_CHAT_COMPLETIONS, null, "{\"model\":\"gpt-5\"}").maxOutputTokens()).isEqualTo(DEFAULT_CAP);
    }

    @Test
    void theInputBoundIsTheBodysByteLengthMultibyteTextIncluded() {
        final String body = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"\u00e9t\u00e9 \u6771\u4eac\"}]}";
        assertThat(shape(ProviderRoute.ANTHROPIC_MESSAGES, null, body).inputTokensBound())
                .isEqualTo(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(body.length());
    }

    @Test
    void aBodyThatCannotBeSizedIsRefusedNamingTheField() {
        assertThatThrownBy(() -> shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "not json"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.field()).isEqualTo("body"));
        assertThatThrownBy(() -> shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "[1]"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.field()).isEqualTo("body"));
        assertThatThrownBy(() -> shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "{\"max_tokens\":5}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.field()).isEqualTo("model"));
        assertThatThrownBy(() -> shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "{\"model\":7}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> assertThat(e.getMessage()).contains("'model' must be a string"));
        assertThatThrownBy(() -> shape(ProviderRoute.ANTHROPIC_MESSAGES, null, "{\"model\":\"m\",\"max_tokens\":-3}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class, e -> {
                    assertThat(e.field()).isEqualTo("max_tokens");
                    assertThat(e.getMessage()).contains("got -3");
                });
        assertThatThrownBy(() -> shape(ProviderRoute.GEMINI_GENERATE_CONTENT, "g", "{\"generationConfig\":{\"maxOutputTokens\":\"lots\"}}"))
                .isInstanceOfSatisfying(CallShape.BadBodyException.class,
                        e -> assertThat(e.field()).isEqualTo("generationConfig.maxOutputTokens"));
    }
}
