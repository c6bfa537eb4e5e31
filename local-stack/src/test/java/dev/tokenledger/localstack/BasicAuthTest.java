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
package dev.tokenledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The registry's basic-auth check, without a server. */
class BasicAuthTest {
    private final BasicAuth auth = new BasicAuth("alice:s3cret");

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theConfiguredUserAndPasswordPass() {
        assertThat(auth.allows(basic("alice:s3cret"))).isTrue();
    }

    @Test
    void aWrongPasswordOfTheSameLengthIsRefused() {
        assertThat(auth.allows(basic("alice:s3creT"))).isFalse();
    }

    @Test
    void aPasswordOfAnotherLengthIsRefused() {
        assertThat(auth.allows(basic("alice:s3cret2"))).isFalse();
        assertThat(auth.allows(basic("alice:"))).isFalse();
    }

    @Test
    void aMissingHeaderOrAnotherSchemeIsRefused() {
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("")).isFalse();
        assertThat(auth.allows("Bearer s3cret")).isFalse();
    }

    @Test
    void withoutCredentialsTheRegistryIsOpen() {
        assertThat(new BasicAuth(null).allows(null)).isTrue();
    }
}
