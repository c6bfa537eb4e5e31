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
package dev.tokenledger.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces user ids with {@code HMAC-SHA256(key, userId)} in lowercase hex (64 chars, which also fits
 * OpenAI's {@code user} field) before they leave the process. The same key gives the same pseudonym,
 * so per-user analytics still work; without the key the id cannot be recovered or guessed by brute force
 * over known user ids.
 */
public final class UserIdHasher {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public UserIdHasher(byte[] keyBytes) {
        if (keyBytes == null || keyBytes.length < 16) {
            throw new IllegalArgumentException("user-id HMAC key must be at least 16 bytes, got "
                    + (keyBytes == null ? "none" : keyBytes.length + " bytes"));
        }
        this.key = new SecretKeySpec(keyBytes.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    public String hash(String userId) {
        byte[] digest = macs.get().doFinal(userId.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            out[2 * i] = HEX[(digest[i] >>> 4) & 0xf];
            out[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(out);
    }
}
