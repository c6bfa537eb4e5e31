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
package dev.tokenledger.aggregator;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may call the query API. With a bearer token or tenant tokens configured, every request must
 * carry {@code Authorization: Bearer <token>}: the full-access token reads every figure, a
 * tenant-scoped token ({@code http.tenant.tokens}) only its own tenant's, which the routes enforce
 * with {@link TenantScope} from the tenant this handler leaves on the request. Without any token
 * configured the API is open. Tokens are compared in constant time ({@link MessageDigest#isEqual}),
 * and every configured token is compared on every request, so the answer time does not tell how much
 * of a guess was right or which token it came close to.
 */
final class BearerAuth implements Handler<RoutingContext> {
    /** Routing-context key of the tenant a tenant-scoped token may read (absent: full access). */
    static final String TENANT = "tokenledger.tenant";
    static final String UNAUTHORIZED = "missing or wrong bearer token: send 'Authorization: Bearer <token>'";
    private static final String BEARER = "Bearer ";

    /** What one request may read: nothing, everything, or one tenant's figures. */
    record Access(boolean allowed, String tenant) {
        static final Access DENIED = new Access(false, null);
        static final Access FULL = new Access(true, null);

        static Access tenant(String tenant) {
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
    BearerAuth(String token, Map<String, String> tenantTokens) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        tenantTokens.forEach((t, tenant) -> this.tenantTokens.add(new TenantToken(t.getBytes(StandardCharsets.UTF_8), tenant)));
    }

    /** What a request carrying {@code authorization} (the header's value, or null) may read. */
    Access check(String authorization) {
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

    @Override
    public void handle(RoutingContext ctx) {
        Access access = check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (!access.allowed()) {
            SpendJson.respond(ctx, 401, SpendJson.error(UNAUTHORIZED));
            return;
        }
        if (access.tenant() != null) {
            ctx.put(TENANT, access.tenant());
        }
        ctx.next();
    }
}
