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
package dev.tokenledger.proxy;

import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.InvalidTagException;
import dev.tokenledger.agent.LedgerContext;
import dev.tokenledger.agent.LedgerHeaders;
import java.util.Map;
import java.util.function.Function;

/**
 * The tags of one proxied call: the {@code x-tokenledger-feature}, {@code -tenant}, {@code -user},
 * {@code -plan}, {@code -root-request} and {@code -parent-request} headers, else the {@code tokenledger-*}
 * members of W3C {@code baggage}, else the route defaults of the config (a route's own default feature, then the
 * proxy-wide one). The rules (length, charset) are the
 * producer agent's ({@link LedgerHeaders#readStrict}); a bad value is refused, never dropped, so a
 * mistyped tenant cannot turn into untagged spend.
 */
public final class ProxyTags {
    /** Prefix of the proxy's tag headers before the agent's names: {@code x-tokenledger-feature}. */
    public static final String HEADER_PREFIX = "x-";
    /** The header a call without a feature tag is told to send. */
    public static final String FEATURE_HEADER = HEADER_PREFIX + LedgerHeaders.FEATURE;

    private final String defaultFeature;
    private final Map<ProviderRoute, String> routeFeatures;
    private final String defaultTenant;
    private final String defaultPlan;

    /** Empty or null defaults mean none. */
    public ProxyTags(String defaultFeature, String defaultTenant, String defaultPlan) {
        this(defaultFeature, Map.of(), defaultTenant, defaultPlan);
    }

    /** {@code routeFeatures}: the default feature of some routes, over {@code defaultFeature}. */
    public ProxyTags(String defaultFeature, Map<ProviderRoute, String> routeFeatures, String defaultTenant, String defaultPlan) {
        this.defaultFeature = blankToNull(defaultFeature);
        this.routeFeatures = Map.copyOf(routeFeatures);
        this.defaultTenant = blankToNull(defaultTenant);
        this.defaultPlan = blankToNull(defaultPlan);
    }

    /** A request that cannot be tagged: answered 400 naming {@link #header()}. */
    public static final class RefusedException extends RuntimeException {
        private final String header;
        private final String rule;

        RefusedException(String header, String message, String rule) {
            super(message);
            this.header = header;
            this.rule = rule;
        }

        public String header() {
            return header;
        }

        public String rule() {
            return rule;
        }
    }

    /**
     * The attribution of a request whose headers {@code header} looks up by lowercase name.
     *
     * @throws RefusedException no feature tag and no default, or a tag breaking its rule
     */
    public Attribution read(Function<String, String> header) {
        return read(null, header);
    }

    /** As {@link #read(Function)} for a call on {@code route}, whose own default feature (if any) comes before the proxy-wide one. */
    public Attribution read(ProviderRoute route, Function<String, String> header) {
        final String fallbackFeature = route != null && routeFeatures.containsKey(route) ? routeFeatures.get(route) : defaultFeature;
        final LedgerContext ctx;
        try {
            ctx = LedgerHeaders.readStrict(header, HEADER_PREFIX);
        } catch (InvalidTagException e) {
            throw new RefusedException(e.tag(), e.getMessage(), e.rule());
        }
        if (ctx == null && fallbackFeature == null) {
            throw new RefusedException(FEATURE_HEADER, "Missing header " + FEATURE_HEADER + ": every call through the TokenLedger proxy needs "
                    + "a feature tag naming the product feature its cost belongs to (or W3C baggage member " + LedgerHeaders.FEATURE
                    + ", or a default.feature in the proxy's config).", "required");
        }
        Attribution a = Attribution.feature(ctx != null ? ctx.featureId() : fallbackFeature);
        final String tenant = ctx != null && ctx.tenantId() != null ? ctx.tenantId() : defaultTenant;
        final String plan = ctx != null && ctx.planTier() != null ? ctx.planTier() : defaultPlan;
        if (tenant != null) {
            a = a.tenant(tenant);
        }
        if (plan != null) {
            a = a.plan(plan);
        }
        if (ctx != null) {
            if (ctx.userId() != null) {
                a = a.user(ctx.userId());
            }
            if (ctx.rootRequestId() != null) {
                a = a.root(ctx.rootRequestId());
            }
            if (ctx.requestId() != null) {
                a = a.parent(ctx.requestId());
            }
        }
        return a;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
