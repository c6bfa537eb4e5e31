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
package dev.tokenledger.agent.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.gate.GateReservation;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.agent.usage.SseParser;
import dev.tokenledger.agent.usage.StreamUsageAccumulator;
import dev.tokenledger.agent.usage.UsageExtractionException;
import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.pricing.UsagePricer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one streamed response and decides when to cut it. A plain class fed by the code that reads the
 * stream (SSE lines or parsed events), testable without a network.
 *
 * <p>Rules, checked on every event and on {@link #check()} (the ledger's watchdog calls it periodically, so
 * a stream that stalls without sending anything is cut too):
 * <ul>
 *   <li>TIMEOUT: the logical request has run longer than {@link StreamLimits#maxDuration()};</li>
 *   <li>TOOL_CALL_LIMIT: its calls have started more than {@link StreamLimits#maxToolCalls()} tool calls;</li>
 *   <li>BUDGET_CEILING: the budget gate called {@link #budgetCeilingReached()};</li>
 *   <li>CLIENT_CANCEL / UPSTREAM_ERROR: the caller reported a disconnect or a broken stream.</li>
 * </ul>
 * Whatever ends the stream, the outcome is reported once to the {@link StreamOutcomeSink}: COMPLETED with the
 * provider's usage, or STREAM_TERMINATED with the reason and the output tokens actually generated up to the
 * cut (the provider's count if it sent one, otherwise the deltas received, marked COUNTED). After a cut,
 * {@link Decision#CUT} tells the reader to stop, and {@link #onCut(Runnable)} hooks (e.g. closing the HTTP
 * response) run once.
 *
 * <p>Thread-safe: the reading thread feeds events while the watchdog or the gate may cut concurrently.
 */
public final class StreamGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StreamGuard.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the reader should do next. */
    public enum Decision {
        CONTINUE,
        CUT
    }

    private final ProviderApi api;
    private final StreamLimits limits;
    private final LogicalRequests.State request;
    private final LongSupplier nanoClock;
    private final StreamOutcomeSink sink;
    private final StreamUsageAccumulator acc;
    private final SseParser sse = new SseParser();
    private final List<Runnable> onCut = new ArrayList<>();
    private int toolCallsCounted;
    private boolean ended;
    private StreamTerminationReason reason;
    private volatile boolean budgetCeiling;
    private GateReservation meteredHold;
    private PriceEntry meterPrice;
    private long meterInputSideTokens;
    private BigDecimal metered = BigDecimal.ZERO;

    public StreamGuard(ProviderApi api, StreamLimits limits, LogicalRequests.State request, LongSupplier nanoClock,
                       StreamOutcomeSink sink) {
        this.api = api;
        this.limits = limits;
        this.request = request;
        this.nanoClock = nanoClock;
        this.sink = sink;
        this.acc = api.newStreamAccumulator();
    }

    /** Feeds one line of a {@code text/event-stream} body. */
    public synchronized Decision onSseLine(String line) {
        if (ended) {
            return decision();
        }
        SseParser.SseEvent ev = sse.feed(line);
        return ev == null ? check() : onEvent(ev.name(), ev.data());
    }

    /**
     * Feeds one event.
     *
     * @param eventName SSE event name or null
     * @param data      the event's JSON payload; {@code [DONE]} (OpenAI's terminator) completes the stream
     */
    public synchronized Decision onEvent(String eventName, String data) {
        if (ended) {
            return decision();
        }
        if (data == null || data.isBlank()) {
            return check();
        }
        if ("[DONE]".equals(data.trim())) {
            complete();
            return decision();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            upstreamError("malformed_stream_event: " + api + " sent a stream event that is not JSON: "
                    + (data.length() > 120 ? data.substring(0, 120) + "..." : data));
            return decision();
        }
        if ("error".equals(eventName) || "error".equals(node.path("type").asText(null))
                || (node.has("error") && !node.has("choices") && !node.has("candidates"))) {
            upstreamError("upstream_error: " + node.path("error"));
            return decision();
        }
        try {
            acc.accept(eventName, node);
        } catch (UsageExtractionException e) {
            upstreamError("malformed_usage: " + e.getMessage());
            return decision();
        }
        int tools = acc.toolCalls();
        if (tools > toolCallsCounted) {
            request.toolCalls.addAndGet(tools - toolCallsCounted);
            toolCallsCounted = tools;
        }
        if (request.toolCalls.get() > limits.maxToolCalls()) {
            cut(StreamTerminationReason.TOOL_CALL_LIMIT, null);
            return decision();
        }
        if (pastCeiling()) {
            cut(StreamTerminationReason.BUDGET_CEILING, null);
            return decision();
        }
        return check();
    }

    /**
     * Admit-and-debit (the gate's mid-stream overrun rule): prices the stream as it runs, at
     * {@code price} for {@code inputSideTokens} of input and the output generated so far (the same
     * worst-case rates the hold was sized with), and debits the growth to {@code hold}. Past
     * {@link GateReservation#CEILING_MULTIPLE} x the hold the stream is cut with BUDGET_CEILING and
     * what was generated is recorded. The hold is shared by the logical request's retries and
     * fallbacks, so their streams draw from one ceiling.
     */
    public synchronized StreamGuard debitTo(GateReservation hold, PriceEntry price, long inputSideTokens) {
        this.meteredHold = hold;
        this.meterPrice = price;
        this.meterInputSideTokens = inputSideTokens;
        return this;
    }

    private boolean pastCeiling() {
        if (meteredHold == null) {
            return false;
        }
        final long output = Math.max(safeUsage().outputTokens(), acc.outputDeltas());
        final BigDecimal cost = UsagePricer.worstCase(meterPrice, meterInputSideTokens, output);
        final BigDecimal growth = cost.subtract(metered);
        if (growth.signum() <= 0) {
            return meteredHold.ceilingReached();
        }
        metered = cost;
        return !meteredHold.debit(growth);
    }

    /** Applies the time and budget rules; call it when no event arrived for a while. */
    public synchronized Decision check() {
        if (ended) {
            return decision();
        }
        if (budgetCeiling) {
            cut(StreamTerminationReason.BUDGET_CEILING, null);
        } else if (nanoClock.getAsLong() - request.startNanos > limits.maxDuration().toNanos()) {
            cut(StreamTerminationReason.TIMEOUT, null);
        }
        return decision();
    }

    /** The budget gate: the logical request reached its ceiling (2x the reservation); cut now. */
    public void budgetCeilingReached() {
        budgetCeiling = true;
        check();
    }

    /** The client went away; record what was generated so far. */
    public synchronized void cancel() {
        if (!ended) {
            cut(StreamTerminationReason.CLIENT_CANCEL, null);
        }
    }

    /** The stream broke (I/O error, provider error event, undecodable data). */
    public synchronized void upstreamError(String detail) {
        if (!ended) {
            cut(StreamTerminationReason.UPSTREAM_ERROR, detail);
        }
    }

    public void upstreamError(Throwable t) {
        upstreamError(t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    /**
     * The stream ended. With a complete provider usage block this records COMPLETED; if the body ended
     * without one (cut by the network or by the provider) it is recorded as an upstream error with the
     * counted usage.
     */
    public synchronized void complete() {
        if (ended) {
            return;
        }
        SseParser.SseEvent last = sse.finish();
        if (last != null) {
            onEvent(last.name(), last.data());
            if (ended) {
                return;
            }
        }
        ProviderUsage usage = safeUsage();
        if (acc.usageFinal()) {
            ended = true;
            sink.completed(usage);
        } else if (api == ProviderApi.OPENAI_CHAT_COMPLETIONS) {
            // without stream_options.include_usage OpenAI never sends usage: a normal end, counted
            ended = true;
            sink.completed(usage);
        } else {
            cut(StreamTerminationReason.UPSTREAM_ERROR, "stream_ended_without_usage");
        }
    }

    /** Registers a hook run once when the stream is cut (e.g. close the HTTP response). */
    public synchronized StreamGuard onCut(Runnable hook) {
        if (ended && reason != null) {
            hook.run();
        } else {
            onCut.add(hook);
        }
        return this;
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    /** Why the stream was cut, or null if it was not (yet). */
    public synchronized StreamTerminationReason terminationReason() {
        return reason;
    }

    /** Usage as known now. */
    public synchronized ProviderUsage usageSoFar() {
        return safeUsage();
    }

    public synchronized long outputDeltas() {
        return acc.outputDeltas();
    }

    private ProviderUsage safeUsage() {
        try {
            return acc.usage();
        } catch (UsageExtractionException e) {
            LOG.warn("Stream usage unreadable ({}); counting received deltas instead", e.getMessage());
            return ProviderUsage.counted(acc.provider(), acc.model(), acc.outputDeltas());
        }
    }

    private void cut(StreamTerminationReason why, String detail) {
        ended = true;
        reason = why;
        ProviderUsage usage = safeUsage();
        try {
            sink.terminated(why, usage, usage.outputTokens(), detail);
        } catch (RuntimeException e) {
            LOG.error("Recording a stream termination failed", e);
        }
        for (Runnable hook : onCut) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("Stream cut hook failed: {}", e.toString());
            }
        }
        onCut.clear();
    }

    private Decision decision() {
        return reason != null ? Decision.CUT : Decision.CONTINUE;
    }
}
