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

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP basic auth of the registry, when configured with {@code user:password}: a request without
 * exactly that {@code Authorization} header is answered 401 with a {@code WWW-Authenticate}
 * challenge. The header is compared in constant time ({@link MessageDigest#isEqual}).
 */
final class BasicAuth implements Handler<RoutingContext> {
    private final byte[] expected;

    /** @param userInfo {@code user:password}, or null for an open registry */
    BasicAuth(String userInfo) {
        this.expected = userInfo == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a request carrying {@code authorization} (the header's value, or null) may call the registry. */
    boolean allows(String authorization) {
        if (expected == null) {
            return true;
        }
        return authorization != null && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), expected);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (allows(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"tokenledger-registry\"");
        RegistryJson.respond(ctx, 401, RegistryJson.error(401, "Unauthorized"));
    }
}
