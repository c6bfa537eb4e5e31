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

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * ArchUnit rules a service adds to its own test suite so that no LLM call escapes attribution: "it breaks
 * when half the codebase calls the SDK directly" — a direct call emits no usage event.
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.acme")
 * class LlmCallsGoThroughTheLedgerTest {
 *     @ArchTest
 *     static final ArchRule rule = LedgerArchRules.noDirectLlmSdkCalls("com.acme.llm.experimental..");
 * }
 * }</pre>
 *
 * Forbidden: calling an instance method of the Anthropic or OpenAI SDK clients or services
 * ({@code client.messages().create(...)}, {@code client.chat().completions().create(...)}, the async
 * and raw-response variants). Allowed everywhere: building a client (static factories, builders), using
 * the SDKs' model/param classes (the decorators take them), and closing a client. Classes in
 * {@code dev.tokenledger.agent..} and in {@code allowedPackages} (ArchUnit package patterns) are exempt.
 */
public final class LedgerArchRules {
    private static final List<String> CLIENT_PACKAGES = List.of(
            "com.anthropic.client", "com.anthropic.services", "com.openai.client", "com.openai.services");

    private LedgerArchRules() {
    }

    public static ArchRule noDirectLlmSdkCalls(String... allowedPackages) {
        List<String> exempt = new ArrayList<>();
        exempt.add("dev.tokenledger.agent..");
        exempt.addAll(List.of(allowedPackages));
        return noClasses()
                .that().resideOutsideOfPackages(exempt.toArray(String[]::new))
                .should().callMethodWhere(LLM_SDK_CLIENT_CALL)
                .because("LLM calls must go through the TokenLedger agent (LedgerAnthropic, LedgerOpenAi or"
                        + " TokenLedger.begin) so every call is tagged with its feature and its usage recorded;"
                        + " allowed packages: " + exempt)
                // a build whose classes are all exempt (or not yet written) passes
                .allowEmptyShould(true);
    }

    static final DescribedPredicate<JavaMethodCall> LLM_SDK_CLIENT_CALL =
            new DescribedPredicate<>("call an Anthropic/OpenAI SDK client or service directly") {
                @Override
                public boolean test(JavaMethodCall call) {
                    JavaClass owner = call.getTargetOwner();
                    String pkg = owner.getPackageName();
                    boolean sdk = CLIENT_PACKAGES.stream().anyMatch(p -> pkg.equals(p) || pkg.startsWith(p + "."));
                    if (!sdk) {
                        return false;
                    }
                    String name = call.getName();
                    if (name.equals("close") || name.equals("builder") || name.equals("fromEnv")
                            || owner.getSimpleName().endsWith("Builder") || owner.getName().contains("$Builder")) {
                        return false;
                    }
                    // static factories (AnthropicOkHttpClient.fromEnv(), ...) build clients; they do not call the API
                    return call.getTarget().resolveMember()
                            .map(m -> !m.getModifiers().contains(JavaModifier.STATIC))
                            .orElse(true);
                }
            };
}
