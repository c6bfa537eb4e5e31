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

import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.agent.stream.StreamOutcomeSink;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LLM call in flight, started by {@link TokenLedger#begin(Attribution)}. Exactly one usage event is
 * emitted per call: the first of {@link #recordUsage}, {@link #recordResponse}, {@link #recordFailure}, a
 * {@link #stream stream guard} outcome, or, if none of those happened, {@link #close()} records the call
 * as FAILED with error class {@code not_recorded} (the caller threw before recording), so no call is lost.
 *
 * <p>While open, the call is the current {@link LedgerContext} of the thread that began it: calls begun
 * inside it (retries, fallbacks, agent steps) join its root request and name it as their parent.
 * Recording never throws into the caller except for programming errors on tags.
 */
public final class LedgerCall implements AutoCloseable, StreamOutcomeSink {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerCall.class);

    private final TokenLedger ledger;
    private final Attribution attribution;
    private final String requestId;
    private final String rootRequestId;
    private final String parentRequestId;
    private final String tenant;
    private final String plan;
    private final String rawUser;
    private final String emittedUser;
    private final long startNanos;
    private final LedgerContext context;
    private final LedgerContext.Scope scope;
    private final Thread owner;
    private final AtomicBoolean recorded = new AtomicBoolean();
    private String provider;
    private String modelRequested;
    private String reservationId;
    private Instant occurredAt;
    private boolean batch;
    private String region;
    private volatile StreamGuard guard;

    LedgerCall(TokenLedger ledger, Attribution a, LedgerContext outer) {
        this(ledger, a, outer, true);
    }

    /** {@code bindToThread} false: the call is not made current on this thread (a server multiplexing calls on an event loop). */
    LedgerCall(TokenLedger ledger, Attribution a, LedgerContext outer, boolean bindToThread) {
        this.ledger = ledger;
        this.attribution = a;
        this.requestId = RequestIds.newRequestId();
        this.rootRequestId = a.rootRequestId() != null ? a.rootRequestId()
                : outer != null && outer.rootRequestId() != null ? outer.rootRequestId() : requestId;
        this.parentRequestId = a.parentRequestId() != null ? a.parentRequestId() : outer != null ? outer.requestId() : null;
        this.tenant = a.tenantId() != null ? a.tenantId() : outer != null ? outer.tenantId() : null;
        this.plan = a.planTier() != null ? a.planTier() : outer != null ? outer.planTier() : null;
        this.rawUser = a.userId() != null ? a.userId() : outer != null ? outer.userId() : null;
        this.emittedUser = rawUser == null ? null : ledger.userIdForExport(rawUser);
        this.startNanos = ledger.nanoTime();
        this.context = new LedgerContext(a.featureId(), tenant, rawUser, plan, rootRequestId, requestId, a.tags());
        this.owner = bindToThread ? Thread.currentThread() : null;
        this.scope = bindToThread ? context.activate() : () -> { };
    }

    // ------------------------------------------------------------ describing the call

    /** Provider name when no usage block says it (e.g. for a failed call): anthropic, openai, google, bedrock. */
    public LedgerCall provider(String providerName) {
        this.provider = providerName;
        return this;
    }

    /** The model the caller asked for (the event's model is the one the provider answered). */
    public LedgerCall modelRequested(String model) {
        this.modelRequested = model;
        return this;
    }

    /** The budget reservation this call draws from (set by the gate). */
    public LedgerCall reservation(String id) {
        this.reservationId = id;
        return this;
    }

    /** Event time override (simulators replaying history); default: when the call is recorded. */
    public LedgerCall occurredAt(Instant when) {
        this.occurredAt = when;
        return this;
    }

    /** The call went through the provider's batch API. */
    public LedgerCall batch(boolean viaBatchApi) {
        this.batch = viaBatchApi;
        return this;
    }

    public LedgerCall region(String inferenceRegion) {
        this.region = inferenceRegion;
        return this;
    }

    // ------------------------------------------------------------ ids and provider fields

    public String requestId() {
        return requestId;
    }

    public String rootRequestId() {
        return rootRequestId;
    }

    public String parentRequestId() {
        return parentRequestId;
    }

    public Attribution attribution() {
        return attribution;
    }

    /** This call as a context: activate it on another thread, or write it into outgoing HTTP headers. */
    public LedgerContext context() {
        return context;
    }

    /** Attribution for a retry or fallback of this call: same tags, root and parent, attempt + 1. */
    public Attribution retry() {
        Attribution a = attribution.root(rootRequestId).attempt(attribution.attemptNumber() + 1);
        return parentRequestId == null ? a : a.parent(parentRequestId);
    }

    /** Attribution for a call this one causes (agent step): same tags and root, parent = this call. */
    public Attribution child() {
        return context.childAttribution();
    }

    /**
     * Value for OpenAI's {@code user} field (the HMAC when hashing is on), or null without a user.
     *
     * @throws InvalidTagException when longer than OpenAI's 64 characters
     */
    public String openAiUser() {
        return emittedUser == null ? null : TagRules.userId("user", emittedUser, TagRules.OPENAI_USER_MAX);
    }

    /** Value for Anthropic's {@code metadata.user_id} (≤ 256 characters), or null without a user. */
    public String anthropicUserId() {
        return emittedUser == null ? null : TagRules.userId("user", emittedUser, TagRules.ANTHROPIC_USER_ID_MAX);
    }

    // ------------------------------------------------------------ recording

    /** Records a completed call with usage already mapped (e.g. by an SDK decorator). */
    public void recordUsage(ProviderUsage usage) {
        emit(UsageKind.COMPLETED, usage, null, null, null);
    }

    /** What {@link #recordResponse} did. */
    public record Recorded(UsageKind kind, UsageSource source, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Reads the usage block of a whole provider response and records the call as COMPLETED. A body the
     * extractor cannot read is recorded as FAILED with error class {@code malformed_usage} (and no tokens);
     * the reason is returned and logged, never thrown.
     */
    public Recorded recordResponse(ProviderApi api, String responseBody) {
        if (provider == null) {
            provider = api.provider();
        }
        try {
            ProviderUsage usage = api.extractor().extract(responseBody);
            emit(UsageKind.COMPLETED, usage, null, null, null);
            return new Recorded(UsageKind.COMPLETED, usage.source(), null);
        } catch (RuntimeException e) {
            LOG.warn("TokenLedger: usage of call {} (feature {}) unreadable, recorded as FAILED: {}", requestId, attribution.featureId(), e.getMessage());
            emit(UsageKind.FAILED, ProviderUsage.none(api.provider(), null), "malformed_usage", null, null);
            return new Recorded(UsageKind.FAILED, UsageSource.NONE, e.getMessage());
        }
    }

    /** Records a failed call (no usage known), e.g. {@code http_429}, {@code timeout}, {@code overloaded}. */
    public void recordFailure(String errorClass) {
        emit(UsageKind.FAILED, ProviderUsage.none(provider, null), errorClass, null, null);
    }

    /** Records a failed call from its exception (the error class is the exception's simple name). */
    public void recordFailure(Throwable error) {
        recordFailure(error == null ? "unknown" : error.getClass().getSimpleName());
    }

    /** Records a failed call that still consumed tokens (partial usage the provider reported). */
    public void recordFailure(String errorClass, ProviderUsage partialUsage) {
        emit(UsageKind.FAILED, partialUsage, errorClass, null, null);
    }

    /**
     * A guard for this call's streamed response, with the limits configured for its feature. Feed it the SSE
     * lines; it records COMPLETED or STREAM_TERMINATED for this call.
     */
    public StreamGuard stream(ProviderApi api) {
        if (provider == null) {
            provider = api.provider();
        }
        StreamGuard g = ledger.newGuard(this, api);
        guard = g;
        return g;
    }

    StreamLimits limits() {
        return ledger.limitsFor(attribution.featureId());
    }

    @Override
    public void completed(ProviderUsage usage) {
        emit(UsageKind.COMPLETED, usage, null, null, null);
    }

    @Override
    public void terminated(StreamTerminationReason reason, ProviderUsage usage, long generatedOutputTokens, String detail) {
        emit(UsageKind.STREAM_TERMINATED, usage, detail == null ? null : errorClassOf(detail), reason, generatedOutputTokens);
    }

    private static String errorClassOf(String detail) {
        int colon = detail.indexOf(':');
        String c = colon > 0 ? detail.substring(0, colon) : detail;
        return c.length() > 64 ? c.substring(0, 64) : c;
    }

    public boolean isRecorded() {
        return recorded.get();
    }

    private void emit(UsageKind kind, ProviderUsage usage, String errorClass, StreamTerminationReason reason, Long generated) {
        if (!recorded.compareAndSet(false, true)) {
            LOG.debug("call {} already recorded; ignoring a second {}", requestId, kind);
            return;
        }
        try {
            String prov = usage != null && usage.provider() != null ? usage.provider() : provider != null ? provider : "unknown";
            String model = usage != null && usage.model() != null ? usage.model() : modelRequested != null ? modelRequested : "unknown";
            long latencyMs = (ledger.nanoTime() - startNanos) / 1_000_000L;
            UsageEvent e = new UsageEvent(
                    RequestIds.newEventId(), kind, occurredAt != null ? occurredAt : ledger.now(),
                    attribution.featureId(), tenant, emittedUser, plan,
                    requestId, rootRequestId, parentRequestId, attribution.attemptNumber(), ledger.environment(),
                    prov, model, modelRequested != null && !modelRequested.equals(model) ? modelRequested : null,
                    usage == null ? 0L : usage.inputTokens(), usage == null ? 0L : usage.outputTokens(),
                    usage == null ? 0L : usage.reasoningTokens(), usage == null ? 0L : usage.cacheWrite5mTokens(),
                    usage == null ? 0L : usage.cacheWrite1hTokens(), usage == null ? 0L : usage.cacheReadTokens(),
                    usage == null ? Map.of() : usage.otherTokens(), usage == null ? null : usage.serviceTier(),
                    batch, usage != null && usage.region() != null ? usage.region() : region, latencyMs, errorClass, reservationId, reason,
                    generated, usage == null ? UsageSource.NONE : usage.source(), attribution.tags(),
                    usage == null ? Map.of() : usage.cacheWriteTokens());
            ledger.emit(e);
        } catch (RuntimeException ex) {
            LOG.error("TokenLedger: could not record call {} (feature {})", requestId, attribution.featureId(), ex);
        }
    }

    /** Records {@code not_recorded} if nothing was recorded (a stream still being read records itself), and restores the thread's previous context. */
    @Override
    public void close() {
        StreamGuard g = guard;
        if (!recorded.get() && (g == null || g.isEnded())) {
            emit(UsageKind.FAILED, ProviderUsage.none(provider, null), "not_recorded", null, null);
        }
        if (Thread.currentThread() == owner) {
            scope.close();
        }
    }
}
