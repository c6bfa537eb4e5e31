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

import dev.tokenledger.schemas.config.BearerTokens;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Who may call the query API: the rule of {@link BearerTokens} (shared with the dashboard) on every
 * request. The full-access token reads every figure, a tenant-scoped token ({@code http.tenant.tokens})
 * only its own tenant's, which the routes enforce with {@link TenantScope} from the tenant this handler
 * leaves on the request. Without any token configured the API is open.
 */
final class BearerAuth implements Handler<RoutingContext> {
    /** Routing-context key of the tenant a tenant-scoped token may read (absent: full access). */
    static final String TENANT = "tokenledger.tenant";
    static final String UNAUTHORIZED = BearerTokens.UNAUTHORIZED;

    private final BearerTokens tokens;

    /**
     * @param token        the full-access token, or null for none
     * @param tenantTokens token -> the tenant whose figures alone that token may read
     */
    BearerAuth(String token, Map<String, String> tenantTokens) {
        this.tokens = new BearerTokens(token, tenantTokens);
    }

    @Override
    public void handle(RoutingContext ctx) {
        BearerTokens.Access access = tokens.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
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
