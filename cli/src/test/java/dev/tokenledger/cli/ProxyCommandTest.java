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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProxyCommandTest {

    @Test
    void anUnknownUpstreamProviderIsRefusedWithExitCode2() {
        final CliRun.Result r = CliRun.runCapturingSystemStreams("proxy", "--upstream", "mistral=http://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--upstream mistral=http://127.0.0.1:1: expected PROVIDER=URL with PROVIDER anthropic, openai or google");
    }

    @Test
    void aBadSettingIsRefusedNamingTheKeyBeforeAnythingStarts() {
        final CliRun.Result r = CliRun.runCapturingSystemStreams("proxy", "--upstream", "openai=http://127.0.0.1:1/v1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("upstream.openai.url").contains("must have no path");
        final CliRun.Result limits = CliRun.runCapturingSystemStreams("proxy", "--set", "stream.feature.limits=summarize");
        assertThat(limits.code()).isEqualTo(2);
        assertThat(limits.err()).contains("stream.feature.limits");
    }
}
