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
package dev.tokenledger.dashboard;

import dev.tokenledger.schemas.config.BearerTokens;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may read the dashboard's API: the project's bearer-token rule ({@link BearerTokens}, the one the
 * aggregator's API applies). A tenant-scoped token's tenant is left on the request; the routes then
 * answer only that tenant's figures and refuse another tenant's with 403.
 */
final class DashboardAuth implements Handler<RoutingContext> {
    /** Routing-context key of the tenant a tenant-scoped token may read (absent: full access). */
    static final String TENANT = "tokenledger.tenant";

    private final BearerTokens tokens;

    DashboardAuth(BearerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void handle(RoutingContext ctx) {
        BearerTokens.Access access = tokens.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (!access.allowed()) {
            DashboardJson.respond(ctx, 401, DashboardJson.error(BearerTokens.UNAUTHORIZED));
            return;
        }
        if (access.tenant() != null) {
            ctx.put(TENANT, access.tenant());
        }
        ctx.next();
    }

    /** Why a token scoped to {@code scoped} may not read {@code asked}'s figures, or null when it may. */
    static String refusal(String scoped, String asked) {
        if (scoped == null || asked == null || scoped.equals(asked)) {
            return null;
        }
        return "this token reads only tenant '" + scoped + "': it cannot open tenant '" + asked + "'";
    }
}
