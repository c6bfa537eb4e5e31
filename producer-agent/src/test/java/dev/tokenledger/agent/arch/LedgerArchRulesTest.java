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
package dev.tokenledger.agent.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.billing.CompliantCaller;
import com.example.billing.DirectOpenAiCaller;
import com.example.billing.DirectSdkCaller;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class LedgerArchRulesTest {

    @Test
    void catchesDirectSdkCalls() {
        JavaClasses classes = new ClassFileImporter().importClasses(DirectSdkCaller.class, DirectOpenAiCaller.class);
        EvaluationResult result = LedgerArchRules.noDirectLlmSdkCalls().evaluate(classes);
        assertThat(result.hasViolation()).isTrue();
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertThat(report).contains("DirectSdkCaller.summarize").contains("AnthropicClient.messages()")
                .contains("MessageService.create")
                .contains("DirectOpenAiCaller.classify").contains("ChatCompletionService.create");
    }

    @Test
    void passesCallsThroughTheAgentAndClientLifecycle() {
        JavaClasses classes = new ClassFileImporter().importClasses(CompliantCaller.class);
        assertThat(LedgerArchRules.noDirectLlmSdkCalls().evaluate(classes).hasViolation()).isFalse();
    }

    @Test
    void allowListExemptsPackages() {
        JavaClasses classes = new ClassFileImporter().importClasses(DirectSdkCaller.class, DirectOpenAiCaller.class);
        assertThat(LedgerArchRules.noDirectLlmSdkCalls("com.example.billing..").evaluate(classes).hasViolation()).isFalse();
    }

    @Test
    void theAgentItselfIsExempt() {
        JavaClasses agent = new ClassFileImporter().importClasses(
                dev.tokenledger.agent.sdk.LedgerAnthropic.class, dev.tokenledger.agent.sdk.LedgerOpenAi.class);
        assertThat(agent).isNotEmpty();
        assertThat(LedgerArchRules.noDirectLlmSdkCalls().evaluate(agent).hasViolation()).isFalse();
    }
}
