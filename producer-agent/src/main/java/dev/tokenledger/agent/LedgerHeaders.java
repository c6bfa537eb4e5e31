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

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Carries attribution across services in HTTP headers, so a downstream service's LLM calls join the
 * caller's logical request.
 *
 * <p>Headers written and read: {@code tokenledger-feature}, {@code tokenledger-tenant},
 * {@code tokenledger-user}, {@code tokenledger-plan}, {@code tokenledger-root-request},
 * {@code tokenledger-parent-request}. A W3C {@code baggage} header is accepted too, with the same keys
 * (or dotted: {@code tokenledger.feature}); explicit headers win over baggage entries.
 * The parent request of the downstream calls is the caller's request id.
 *
 * <p>Header values are validated with the same {@link TagRules} as local tags; a bad value is ignored
 * (and the context built from the rest) rather than failing the incoming request.
 */
public final class LedgerHeaders {
    public static final String FEATURE = "tokenledger-feature";
    public static final String TENANT = "tokenledger-tenant";
    public static final String USER = "tokenledger-user";
    public static final String PLAN = "tokenledger-plan";
    public static final String ROOT_REQUEST = "tokenledger-root-request";
    public static final String PARENT_REQUEST = "tokenledger-parent-request";
    public static final String BAGGAGE = "baggage";

    private LedgerHeaders() {
    }

    /** Writes the headers for an outgoing request made within {@code ctx}. */
    public static void write(LedgerContext ctx, BiConsumer<String, String> header) {
        if (ctx == null) {
            return;
        }
        putIfPresent(header, FEATURE, ctx.featureId());
        putIfPresent(header, TENANT, ctx.tenantId());
        putIfPresent(header, USER, ctx.userId());
        putIfPresent(header, PLAN, ctx.planTier());
        putIfPresent(header, ROOT_REQUEST, ctx.rootRequestId());
        putIfPresent(header, PARENT_REQUEST, ctx.requestId());
    }

    /** Writes the headers of the context current on this thread, if any. */
    public static void writeCurrent(BiConsumer<String, String> header) {
        write(LedgerContext.current(), header);
    }

    /**
     * Reads an incoming request's headers.
     *
     * @param header looks a header up by lowercase name (case-insensitively), null when absent
     * @return the context to {@link LedgerContext#activate() activate} while serving it, or null when the
     *         request carries no feature tag
     */
    public static LedgerContext read(Function<String, String> header) {
        return read(header, "", false);
    }

    /**
     * Reads an incoming request's tags for a gateway that must refuse a bad tag instead of dropping it: the
     * headers {@code headerPrefix + "tokenledger-feature"}, ... (the proxy uses {@code "x-"}), then the
     * {@code tokenledger-*} members of W3C {@code baggage}. The same rules as {@link #read(Function)}.
     *
     * @return the context, or null when the request carries no feature tag
     * @throws InvalidTagException a present value breaks its rule; the exception's tag is the header (or
     *                             baggage member) that carried it
     */
    public static LedgerContext readStrict(Function<String, String> header, String headerPrefix) {
        return read(header, headerPrefix, true);
    }

    private static LedgerContext read(Function<String, String> header, String prefix, boolean strict) {
        Map<String, String> baggage = parseBaggage(header.apply(BAGGAGE));
        String feature = tag(header, prefix, baggage, FEATURE, TagRules::identifier, "feature", strict);
        if (feature == null) {
            return null;
        }
        String tenant = tag(header, prefix, baggage, TENANT, TagRules::identifier, "tenant", strict);
        String user = tag(header, prefix, baggage, USER, (t, v) -> TagRules.userId(t, v, TagRules.MAX_USER_LENGTH), "user", strict);
        String plan = tag(header, prefix, baggage, PLAN, TagRules::identifier, "plan", strict);
        String root = tag(header, prefix, baggage, ROOT_REQUEST, TagRules::identifier, "root_request_id", strict);
        String parent = tag(header, prefix, baggage, PARENT_REQUEST, TagRules::identifier, "parent_request_id", strict);
        return new LedgerContext(feature, tenant, user, plan, root, parent, Map.of());
    }

    /** Reads from a header map whose keys may use any case. */
    public static LedgerContext read(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return read(lower::get);
    }

    /** The value for a W3C baggage header carrying the context (for services that only forward baggage). */
    public static String toBaggage(LedgerContext ctx) {
        StringBuilder sb = new StringBuilder();
        appendBaggage(sb, FEATURE, ctx.featureId());
        appendBaggage(sb, TENANT, ctx.tenantId());
        appendBaggage(sb, USER, ctx.userId());
        appendBaggage(sb, PLAN, ctx.planTier());
        appendBaggage(sb, ROOT_REQUEST, ctx.rootRequestId());
        appendBaggage(sb, PARENT_REQUEST, ctx.requestId());
        return sb.toString();
    }

    static Map<String, String> parseBaggage(String baggage) {
        if (baggage == null || baggage.isBlank()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (String member : baggage.split(",")) {
            String kv = member;
            int semi = kv.indexOf(';');
            if (semi >= 0) {
                kv = kv.substring(0, semi);
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = baggageKey(kv.substring(0, eq));
            String value = kv.substring(eq + 1).trim();
            try {
                value = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (key.equals("tokenledger-root-request-id")) {
                key = ROOT_REQUEST;
            } else if (key.equals("tokenledger-parent-request-id")) {
                key = PARENT_REQUEST;
            }
            out.put(key, value);
        }
        return out;
    }

    /** A baggage member's key as this class reads it: trimmed, lowercase, {@code .} and {@code _} as {@code -}. */
    private static String baggageKey(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT).replace('.', '-').replace('_', '-');
    }

    /**
     * {@code baggage} without its TokenLedger members (every key {@link #parseBaggage} reads as
     * {@code tokenledger-*}), the others untouched and in order; null when nothing is left. A gateway forwards this
     * instead of the caller's header, so the tags (the raw user id among them) never reach a third party.
     */
    public static String withoutLedgerMembers(String baggage) {
        if (baggage == null) {
            return null;
        }
        final StringBuilder kept = new StringBuilder();
        for (String member : baggage.split(",")) {
            final String key = member.split("[=;]", 2)[0];
            if (member.isBlank() || baggageKey(key).startsWith("tokenledger-")) {
                continue;
            }
            if (kept.length() > 0) {
                kept.append(',');
            }
            kept.append(member.trim());
        }
        return kept.length() == 0 ? null : kept.toString();
    }

    private static void appendBaggage(StringBuilder sb, String key, String value) {
        if (value == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static void putIfPresent(BiConsumer<String, String> header, String name, String value) {
        if (value != null) {
            header.accept(name, value);
        }
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a.trim() : (b != null && !b.isBlank() ? b.trim() : null);
    }

    private interface Rule {
        String check(String tag, String value);
    }

    /** One tag, header first then baggage; an invalid value is dropped (agent) or refused naming where it came from (strict). */
    private static String tag(Function<String, String> header, String prefix, Map<String, String> baggage, String name, Rule rule,
                              String tagName, boolean strict) {
        final String fromHeader = header.apply(prefix + name);
        final boolean inHeader = fromHeader != null && !fromHeader.isBlank();
        final String value = first(fromHeader, baggage.get(name));
        if (value == null) {
            return null;
        }
        if (strict) {
            return rule.check(inHeader ? prefix + name : BAGGAGE + " member " + name, value);
        }
        try {
            return rule.check(tagName, value);
        } catch (InvalidTagException e) {
            return null;
        }
    }
}
