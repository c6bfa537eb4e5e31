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
package dev.tokenledger.cli.simulator;

import dev.tokenledger.agent.Attribution;
import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.RequestIds;
import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.StreamTerminationReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the company against TokenLedger the way its services would: for every user action it asks
 * the budget gate first (one reservation per logical request), then makes each provider call through
 * the producer agent — {@link TokenLedger#begin} with the call's tags, the provider's response JSON to
 * {@link LedgerCall#recordResponse}, or its SSE events to the agent's {@link StreamGuard} — with retries
 * ({@link LedgerCall#retry()}) and agent-chain children drawing on the same reservation. Nothing is
 * written to Kafka except through the agent. Every call is also written to the {@link SimulationRecord},
 * independently of the pipeline, so the warehouse can be checked against it.
 *
 * <p>Pacing: action {@code i} starts at {@code start + i / rate}; a small pool runs actions so a
 * slow one does not stall the clock, and the pacer waits when the pool is full (no unbounded queue).
 */
public final class CompanySimulator {
    private final WorkloadGenerator generator;
    private final TokenLedger ledger;
    private final ActionGate gate;
    private final SimulationRecord record;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public CompanySimulator(WorkloadGenerator generator, TokenLedger ledger, ActionGate gate, SimulationRecord record) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.record = Objects.requireNonNull(record, "record");
    }

    public SimulationRecord record() {
        return record;
    }

    /** Asks a running {@link #run} to stop after the actions in flight. */
    public void stop() {
        stopped.set(true);
    }

    /**
     * Plays actions at {@code actionsPerSecond} for {@code duration} (zero: until {@link #stop()}) and
     * returns when every started action has finished.
     */
    public void run(Duration duration, double actionsPerSecond, int threads) throws InterruptedException {
        if (actionsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0 actions/s: " + actionsPerSecond);
        }
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * 4), r -> {
                    final Thread t = new Thread(r, "tokenledger-simulator");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        final long start = System.nanoTime();
        final long end = duration.isZero() ? Long.MAX_VALUE : start + duration.toNanos();
        final double intervalNanos = 1e9 / actionsPerSecond;
        try {
            for (long i = 0; !stopped.get(); i++) {
                final long due = start + (long) (i * intervalNanos);
                if (due >= end) {
                    break;
                }
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                final UserAction action = generator.next();
                pool.execute(() -> execute(action));
            }
        } finally {
            shutdown(pool);
        }
    }

    /**
     * Keeps playing only {@code featureId}'s actions (drawn from the same seeded sequence; the other
     * features' actions are skipped), {@code actionsPerSecond} of them, until {@code done} or
     * {@code timeout}. The quickstart uses it for the runaway job, which keeps firing until its budget
     * denies it. Returns true when {@code done} became true.
     */
    public boolean runFeatureUntil(String featureId, java.util.function.BooleanSupplier done, Duration timeout,
                                   double actionsPerSecond) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final long pauseNanos = (long) (1e9 / actionsPerSecond);
        while (!done.getAsBoolean() && !stopped.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            UserAction action = generator.next();
            while (!action.feature().id().equals(featureId)) {
                action = generator.next();
            }
            execute(action);
            TimeUnit.NANOSECONDS.sleep(pauseNanos);
        }
        return done.getAsBoolean();
    }

    /** Runs exactly {@code count} actions as fast as the pool allows (tests, benchmarks). */
    public void runActions(long count, int threads) throws InterruptedException {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * 4), new ThreadPoolExecutor.CallerRunsPolicy());
        try {
            for (long i = 0; i < count && !stopped.get(); i++) {
                final UserAction action = generator.next();
                pool.execute(() -> execute(action));
            }
        } finally {
            shutdown(pool);
        }
    }

    private static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
            pool.shutdownNow();
        }
    }

    /** One user action: gate, then every call, then settle the reservation. */
    public void execute(UserAction action) {
        record.actionStarted(action, System.currentTimeMillis());
        final String root = RequestIds.newRequestId();
        final ActionGate.Admission admission = gate.admit(action, root);
        if (!admission.allowed()) {
            record.denied(action, admission.denyBody());
            return;
        }
        final List<SentEvent> sent = new ArrayList<>();
        try {
            String parent = null;
            for (PlannedCall planned : action.calls()) {
                parent = call(action, planned, root, parent, admission.reservationId(), sent);
            }
        } finally {
            gate.finished(action, admission, root, sent);
        }
    }

    /** Makes one provider call (with its failed attempts first); returns the request id of the last attempt. */
    private String call(UserAction action, PlannedCall planned, String root, String parent, String reservationId,
                        List<SentEvent> sent) {
        Attribution attribution = Attribution.feature(action.feature().id())
                .tenant(action.tenant().id()).user(action.userId()).plan(action.tenant().plan().id())
                .root(root).tag("step", planned.step());
        if (parent != null) {
            attribution = attribution.parent(parent);
        }
        if (planned.fallback()) {
            attribution = attribution.tag("fallback", "true");
        }
        for (int attempt = 1; ; attempt++) {
            try (LedgerCall call = ledger.begin(attribution).provider(planned.provider().id())
                    .modelRequested(planned.model()).reservation(reservationId)) {
                if (attempt <= planned.failedAttempts()) {
                    // the provider is overloaded (Anthropic 529 / OpenAI 503): nothing billed, retried
                    call.recordFailure("overloaded");
                    sent.add(sent(call, action, planned, "FAILED", TokenUsage.ZERO));
                    record.retried();
                    attribution = call.retry();
                    continue;
                }
                if (planned.streaming()) {
                    sent.add(stream(call, action, planned));
                } else {
                    final ProviderApi api = api(planned.provider());
                    final String body = switch (planned.provider()) {
                        case ANTHROPIC -> ProviderResponses.anthropicMessage("msg_" + call.requestId(), planned);
                        case OPENAI -> ProviderResponses.openAiCompletion("chatcmpl-" + call.requestId(), planned);
                        case GOOGLE -> ProviderResponses.geminiResponse("resp-" + call.requestId(), planned);
                    };
                    final LedgerCall.Recorded recorded = call.recordResponse(api, body);
                    if (!recorded.ok()) {
                        throw new IllegalStateException("the agent could not read a simulated " + api + " response: " + recorded.error());
                    }
                    sent.add(sent(call, action, planned, "COMPLETED", planned.usage()));
                }
                return call.requestId();
            }
        }
    }

    private SentEvent stream(LedgerCall call, UserAction action, PlannedCall planned) {
        final ProviderApi api = api(planned.provider());
        final StreamGuard guard = call.stream(api);
        final List<SseEvent> events = switch (planned.provider()) {
            case ANTHROPIC -> ProviderResponses.anthropicStream("msg_" + call.requestId(), planned);
            case OPENAI -> ProviderResponses.openAiStream("chatcmpl-" + call.requestId(), planned);
            case GOOGLE -> throw new IllegalStateException("simulated Gemini calls are not streamed (see CallStep)");
        };
        long deltas = 0;
        for (SseEvent event : events) {
            if (ProviderResponses.isOutputDelta(event)) {
                deltas++;
            }
            if (guard.onEvent(event.event(), event.data()) == StreamGuard.Decision.CUT) {
                break;
            }
        }
        if (!guard.isEnded()) {
            guard.complete();
        }
        final StreamTerminationReason reason = guard.terminationReason();
        if (reason == null) {
            return sent(call, action, planned, "COMPLETED", planned.usage());
        }
        // cut by the guard: the input side was reported at message_start; the output is what was streamed
        final TokenUsage full = planned.usage();
        final TokenUsage partial = new TokenUsage(full.input(), deltas, 0, full.cacheWrite5m(), full.cacheWrite1h(), full.cacheRead());
        record.streamCut();
        return sent(call, action, planned, "STREAM_TERMINATED", partial);
    }

    private SentEvent sent(LedgerCall call, UserAction action, PlannedCall planned, String kind, TokenUsage usage) {
        final SentEvent event = new SentEvent(call.requestId(), kind, action.feature().id(), action.tenant().id(), action.userId(),
                action.tenant().plan().id(), planned.provider().id(), planned.model(), usage, Instant.now());
        record.sent(event);
        return event;
    }

    private static ProviderApi api(Provider provider) {
        return switch (provider) {
            case ANTHROPIC -> ProviderApi.ANTHROPIC_MESSAGES;
            case OPENAI -> ProviderApi.OPENAI_CHAT_COMPLETIONS;
            case GOOGLE -> ProviderApi.GEMINI_GENERATE_CONTENT;
        };
    }
}
