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
