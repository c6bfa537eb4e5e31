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
package dev.tokenledger.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.avro.ReasonCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gate's answer. An allow may carry the {@link GateReservation} to commit or release; a deny
 * carries the deny payload (scope, reason_code, budget window, limit/spent/reserved, the amount
 * asked, the call's ids) and renders as HTTP 429 with {@link #toHttp429(Instant)}.
 */
public final class GateDecision {
    /** Allowed: every budget scope has room (or no budget applies). */
    public static final GateDecision ALLOW = new GateDecision(true, false, false, ReasonCode.WITHIN_BUDGET.name(), null, null, null, null, null);
    /** Allowed because the state is stale and the budget's stale policy is OPEN. */
    public static final GateDecision ALLOW_STALE_OPEN = new GateDecision(true, false, true, ReasonCode.STALE_STATE.name(), null, null, null, null, null);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean allowed;
    private final boolean shadowDeny;
    private final boolean stale;
    private final String reasonCode;
    private final String scopeKey;
    private final BudgetState state;
    private final GateCall call;
    private final BigDecimal reserveDelta;
    private final GateReservation reservation;

    GateDecision(boolean allowed, boolean shadowDeny, boolean stale, String reasonCode, String scopeKey, BudgetState state, GateCall call,
                 BigDecimal reserveDelta, GateReservation reservation) {
        this.allowed = allowed;
        this.shadowDeny = shadowDeny;
        this.stale = stale;
        this.reasonCode = reasonCode;
        this.scopeKey = scopeKey;
        this.state = state;
        this.call = call;
        this.reserveDelta = reserveDelta;
        this.reservation = reservation;
    }

    GateDecision withCall(GateCall c, BigDecimal delta, GateReservation r) {
        return new GateDecision(allowed, shadowDeny, stale, reasonCode, scopeKey, state, c, delta, r);
    }

    public boolean allowed() {
        return allowed;
    }

    /** ALERT_ONLY: the budget would have denied; the call is allowed and the decision logged (enforced=false). */
    public boolean shadowDeny() {
        return shadowDeny;
    }

    /** The state was older than the staleness bound and the stale policy decided. */
    public boolean stale() {
        return stale;
    }

    public String reasonCode() {
        return reasonCode;
    }

    /** Scope that denied (or would have), null for a plain allow. */
    public String scopeKey() {
        return scopeKey;
    }

    /** The BudgetState that decided, null for a plain allow. */
    public BudgetState state() {
        return state;
    }

    public GateCall call() {
        return call;
    }

    public BigDecimal reserveDelta() {
        return reserveDelta;
    }

    /** The hold to commit or release (allowed decisions from {@link BudgetGate#reserve}). */
    public GateReservation reservation() {
        return reservation;
    }

    /** An HTTP 429 response a gateway returns for a deny. */
    public record HttpDenial(int status, long retryAfterSeconds, String contentType, String body) {
        /** Headers to set: Retry-After (seconds) and Content-Type. */
        public Map<String, String> headers() {
            return Map.of("Retry-After", Long.toString(retryAfterSeconds), "Content-Type", contentType);
        }
    }

    /** Seconds until the DENY lifts by itself (see {@link #liftsAt}), at least 1. */
    public long retryAfterSeconds(Instant now) {
        if (state == null) {
            return 1;
        }
        final long ms = liftsAt(now).toEpochMilli() - now.toEpochMilli();
        return Math.max(1, (ms + 999) / 1000);
    }

    /**
     * When the deny lifts by itself: the period end, or for a BURST_LIMIT deny (a day that spent its
     * burst allowance of a longer budget) the end of the current day of the period. Days are counted
     * in 24-hour steps from the period start, which is a local midnight of the budget's zone; on a
     * daylight-saving change day the answer can be an hour off (the state carries no zone).
     */
    public Instant liftsAt(Instant now) {
        final Instant end = state.getPeriodEnd();
        if (!ReasonCode.BURST_LIMIT.name().equals(reasonCode)) {
            return end;
        }
        final long day = 86_400_000L;
        final long start = state.getPeriodStart().toEpochMilli();
        final long dayEnd = start + (Math.floorDiv(now.toEpochMilli() - start, day) + 1) * day;
        return dayEnd < end.toEpochMilli() ? Instant.ofEpochMilli(dayEnd) : end;
    }

    /** The JSON body and Retry-After of the 429 a gateway returns for this deny. */
    public HttpDenial toHttp429(Instant now) {
        if (allowed) {
            throw new IllegalStateException("toHttp429 on an allowed decision (" + reasonCode + ")");
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "budget_exceeded");
        body.put("message", message());
        body.put("reason_code", reasonCode);
        body.put("scope_key", scopeKey);
        if (state != null) {
            body.put("budget_id", state.getBudgetId());
        }
        body.put("feature_id", call != null ? call.featureId() : state != null ? state.getFeatureId() : null);
        body.put("tenant_id", call != null ? call.tenantId() : state != null ? state.getTenantId() : null);
        body.put("model", call != null ? call.model() : null);
        body.put("model_tier", call != null ? call.modelTier() : null);
        if (state != null) {
            final Map<String, Object> window = new LinkedHashMap<>();
            window.put("period_start", state.getPeriodStart().toString());
            window.put("period_end", state.getPeriodEnd().toString());
            body.put("budget_window", window);
            body.put("limit_usd", plain(state.getLimitUsd()));
            body.put("spent_usd", plain(state.getSpentUsd()));
            body.put("reserved_usd", plain(state.getReservedUsd()));
        }
        body.put("reserve_delta_usd", reserveDelta == null ? null : plain(reserveDelta));
        body.put("request_id", call != null ? call.requestId() : null);
        body.put("parent_request_id", call != null ? call.parentRequestId() : null);
        body.put("root_request_id", call != null ? call.rootRequestId() : null);
        final long retry = retryAfterSeconds(now);
        body.put("retry_after_seconds", retry);
        try {
            return new HttpDenial(429, retry, "application/json", JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A human-readable explanation of the deny. */
    public String message() {
        final String feature = call != null ? call.featureId() : state != null ? state.getFeatureId() : "?";
        if (ReasonCode.STALE_STATE.name().equals(reasonCode)) {
            return "Budget state for " + scopeKey + " is stale and its stale policy is CLOSED: calls for feature '" + feature
                    + "' are refused until the budget enforcer is back.";
        }
        if (state == null) {
            return "Denied: " + reasonCode;
        }
        final String what = ReasonCode.BURST_LIMIT.name().equals(reasonCode) ? "used its daily burst allowance of its budget"
                : "reached its budget";
        return "Budget scope " + scopeKey + " " + what + " of $" + cents(state.getLimitUsd()) + " for this period ($"
                + cents(state.getSpentUsd()) + " spent, $" + cents(state.getReservedUsd()) + " reserved"
                + (reserveDelta != null ? ", this call needs up to $" + reserveDelta.setScale(4, RoundingMode.UP).toPlainString() : "")
                + "). It resets at " + liftsAt(Instant.now()) + "; ask the budget owner for an override if this is urgent.";
    }

    private static String cents(BigDecimal x) {
        return x.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String plain(BigDecimal x) {
        return x.stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return (allowed ? "ALLOW" : "DENY") + "(" + reasonCode + (scopeKey != null ? " " + scopeKey : "") + (shadowDeny ? " shadow" : "")
                + ")";
    }
}
