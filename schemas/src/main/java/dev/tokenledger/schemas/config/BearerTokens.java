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
package dev.tokenledger.schemas.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may read an HTTP API of TokenLedger (the aggregator's queries, the dashboard): with a bearer token
 * or tenant tokens configured, every request must carry {@code Authorization: Bearer <token>}; the
 * full-access token reads every figure, a tenant-scoped token only its own tenant's. Without any token
 * configured the API is open. Tokens are compared in constant time ({@link MessageDigest#isEqual}), and
 * every configured token is compared on every request, so the answer time does not tell how much of a
 * guess was right or which token it came close to. Each server wraps this in its own (Vert.x) handler;
 * the rule lives here once, free of any HTTP stack, so a server need not pull in another's dependencies.
 */
public final class BearerTokens {
    public static final String UNAUTHORIZED = "missing or wrong bearer token: send 'Authorization: Bearer <token>'";
    private static final String BEARER = "Bearer ";

    /** What one request may read: nothing, everything, or one tenant's figures. */
    public record Access(boolean allowed, String tenant) {
        public static final Access DENIED = new Access(false, null);
        public static final Access FULL = new Access(true, null);

        public static Access tenant(String tenant) {
            return new Access(true, tenant);
        }
    }

    /** A tenant token as bytes, with the tenant it reads. */
    private record TenantToken(byte[] token, String tenant) {
    }

    private final byte[] token;
    private final List<TenantToken> tenantTokens = new ArrayList<>();

    /**
     * @param token        the full-access token, or null for none
     * @param tenantTokens token -> the tenant whose figures alone that token may read
     */
    public BearerTokens(String token, Map<String, String> tenantTokens) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        tenantTokens.forEach((t, tenant) -> this.tenantTokens.add(new TenantToken(t.getBytes(StandardCharsets.UTF_8), tenant)));
    }

    /** What a request carrying {@code authorization} (the header's value, or null) may read. */
    public Access check(String authorization) {
        if (token == null && tenantTokens.isEmpty()) {
            return Access.FULL;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return Access.DENIED;
        }
        byte[] presented = authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
        String tenant = null;
        for (TenantToken t : tenantTokens) {
            if (MessageDigest.isEqual(presented, t.token()) && tenant == null) {
                tenant = t.tenant();
            }
        }
        if (tenant != null) {
            return Access.tenant(tenant);
        }
        return token != null && MessageDigest.isEqual(presented, token) ? Access.FULL : Access.DENIED;
    }

    /**
     * Parses {@code token=tenant,token=tenant}; an empty or null text is no tenant token. Throws
     * IllegalArgumentException naming the entry that is not {@code token=tenant} or repeats a token.
     */
    public static Map<String, String> parseTenantTokens(String text) {
        Map<String, String> tokens = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return tokens;
        }
        int index = 0;
        for (String entry : text.split(",")) {
            index++;
            String e = entry.trim();
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("entry " + index + " is not token=tenant (tokens are not echoed)");
            }
            if (tokens.put(e.substring(0, eq), e.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("entry " + index + " repeats a token given before");
            }
        }
        return tokens;
    }
}
