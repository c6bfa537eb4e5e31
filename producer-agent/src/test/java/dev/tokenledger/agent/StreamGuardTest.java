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

import static dev.tokenledger.agent.TestLedgers.awaitEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.stream.StreamGuard.Decision;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream guard fed by recorded-shape SSE, with a fake clock; events checked on a MockProducer. */
class StreamGuardTest {
    @TempDir
    Path spool;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private MockProducer<String, UsageEvent> producer;
    private TokenLedger ledger;

    @BeforeEach
    void start() {
        producer = TestLedgers.mockProducer();
        ledger = TestLedgers.builder(spool, producer)
                .nanoClock(nanos::get)
                .streamLimits(StreamLimits.of(Duration.ofSeconds(30), 10))
                .streamLimits("tool_agent", StreamLimits.of(Duration.ofSeconds(30), 1))
                .build();
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    /** Feeds the fixture line by line until the guard says CUT; returns the decision of the last line fed. */
    private static Decision feed(StreamGuard guard, String fixture, int maxEvents) {
        Decision d = Decision.CONTINUE;
        int events = 0;
        for (String line : Fixtures.read(fixture).split("\n", -1)) {
            d = guard.onSseLine(line);
            if (d == Decision.CUT) {
                return d;
            }
            if (line.isEmpty() && ++events >= maxEvents) {
                break;
            }
        }
        return d;
    }

    @Test
    void completeStreamRecordsTheProviderUsage() {
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES);
            assertThat(feed(guard, "anthropic/stream-tool-use.sse", Integer.MAX_VALUE)).isEqualTo(Decision.CONTINUE);
            guard.complete();
        }
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.PROVIDER);
        assertThat(e.getInputTokens()).isEqualTo(472);
        assertThat(e.getOutputTokens()).isEqualTo(89);
        assertThat(e.getTerminationReason()).isNull();
    }

    @Test
    void openAiStreamEndingWithDoneAndUsageChunkCompletes() {
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS);
            feed(guard, "openai-chat/stream-final-chunk-with-choices.sse", Integer.MAX_VALUE);
            assertThat(guard.isEnded()).isTrue();
        }
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
        assertThat(e.getInputTokens()).isEqualTo(57);
        assertThat(e.getModel()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void toolCallLimitCutsAndRecordsWhatWasGenerated() {
        AtomicBoolean hook = new AtomicBoolean();
        try (LedgerCall call = ledger.begin(Attribution.feature("tool_agent"))) {
            StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS).onCut(() -> hook.set(true));
            assertThat(feed(guard, "openai-chat/stream-tool-calls.sse", Integer.MAX_VALUE)).isEqualTo(Decision.CUT);
            assertThat(guard.terminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
            // after the cut every further line says CUT
            assertThat(guard.onSseLine("data: {}")).isEqualTo(Decision.CUT);
        }
        assertThat(hook).isTrue();
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
        // three chunks arrived (first call, its arguments, second call), not max_tokens
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(3);
        assertThat(e.getOutputTokens()).isEqualTo(3);
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.COUNTED);
    }

    @Test
    void toolCallsAreCountedPerLogicalRequestAcrossCalls() {
        String root;
        try (LedgerCall first = ledger.begin(Attribution.feature("tool_agent"))) {
            root = first.rootRequestId();
            StreamGuard g = first.stream(ProviderApi.ANTHROPIC_MESSAGES);
            assertThat(feed(g, "anthropic/stream-tool-use.sse", Integer.MAX_VALUE)).isEqualTo(Decision.CONTINUE);
            g.complete();
        }
        try (LedgerCall second = ledger.begin(Attribution.feature("tool_agent").root(root))) {
            StreamGuard g = second.stream(ProviderApi.ANTHROPIC_MESSAGES);
            assertThat(feed(g, "anthropic/stream-tool-use.sse", Integer.MAX_VALUE)).isEqualTo(Decision.CUT);
        }
        UsageEvent cut = awaitEvents(producer, 2).get(1);
        assertThat(cut.getTerminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
        assertThat(cut.getRootRequestId()).isEqualTo(root);
        assertThat(cut.getInputTokens()).isEqualTo(472);
        assertThat(cut.getGeneratedOutputTokens()).isEqualTo(3);
    }

    @Test
    void wallClockLimitCutsAStalledStream() {
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS);
            feed(guard, "openai-chat/stream-cut.sse", 2);
            nanos.addAndGet(Duration.ofSeconds(29).toNanos());
            assertThat(guard.check()).isEqualTo(Decision.CONTINUE);
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(guard.check()).isEqualTo(Decision.CUT);
        }
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.TIMEOUT);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(2);
    }

    @Test
    void aStreamDebitsItsHoldAsItRunsAndIsCutPastTwiceTheHold() {
        // $3 / $15 per million: the 472 input tokens cost $0.001416 and each output token $0.000015
        dev.tokenledger.avro.PriceEntry price = dev.tokenledger.avro.PriceEntry.newBuilder()
                .setEntryId("anthropic/test@2026-01-01").setProvider("anthropic").setModel("claude-sonnet-4-5")
                .setEffectiveFrom(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                .setInputPerMtok(dev.tokenledger.schemas.Money.of("3")).setOutputPerMtok(dev.tokenledger.schemas.Money.of("15"))
                .setSourceUrl("https://example.test/pricing").setSourceReadOn(java.time.LocalDate.of(2026, 1, 1)).build();
        dev.tokenledger.gate.BudgetGate gate = new dev.tokenledger.gate.BudgetGate("g1", Duration.ofSeconds(5),
                Duration.ofMinutes(10), System::currentTimeMillis, new dev.tokenledger.gate.GateRecordSink() {
                    @Override
                    public void leaseRequest(dev.tokenledger.avro.LeaseRequest r) {
                    }

                    @Override
                    public void decision(dev.tokenledger.avro.BudgetDecision d) {
                    }
                });
        // a hold of $0.000725 (the caller under-sized it): the ceiling is 2 x = $0.00145, passed when
        // 0.001416 + n x 0.000015 > 0.00145, i.e. at the 3rd output token (the fixture streams 4)
        dev.tokenledger.gate.GateReservation hold = gate.reserve(new dev.tokenledger.gate.GateCall("chat", "acme",
                "root-1", "req-1", null, "claude-sonnet-4-5", "mid"), new java.math.BigDecimal("0.000725")).reservation();
        Decision d;
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES).debitTo(hold, price, 472);
            d = feed(guard, "anthropic/stream-cut.sse", Integer.MAX_VALUE);
        }
        assertThat(d).as("debited %s", hold.debited()).isEqualTo(Decision.CUT);
        assertThat(hold.ceilingReached()).isTrue();
        // 0.001416 + 3 x 0.000015 = 0.001461 debited in all
        assertThat(hold.debited()).isEqualByComparingTo("0.001461");
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.BUDGET_CEILING);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(3);
        assertThat(e.getInputTokens()).isEqualTo(472);
    }

    @Test
    void budgetCeilingFromTheGateCutsOnTheNextEvent() throws Exception {
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES);
            feed(guard, "anthropic/stream-cut.sse", 3);
            Thread gate = new Thread(guard::budgetCeilingReached);
            gate.start();
            gate.join(5000);
            assertThat(guard.onSseLine("event: content_block_delta")).isEqualTo(Decision.CUT);
        }
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.BUDGET_CEILING);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(2);
    }

    @Test
    void clientCancelRecordsPartialUsageWithTheReportedInput() {
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES);
            feed(guard, "anthropic/stream-cut.sse", Integer.MAX_VALUE);
            guard.cancel();
        }
        UsageEvent e = awaitEvents(producer, 1).get(0);
        assertThat(e.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.CLIENT_CANCEL);
        assertThat(e.getInputTokens()).isEqualTo(472);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(4);
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.COUNTED);
    }

    @Test
    void streamEndingWithoutUsageOrWithGarbageIsAnUpstreamError() {
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES);
            feed(guard, "anthropic/stream-cut.sse", Integer.MAX_VALUE);
            guard.complete();
        }
        try (LedgerCall call = ledger.begin(Attribution.feature("chat"))) {
            StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS);
            feed(guard, "openai-chat/stream-cut.sse", 1);
            assertThat(guard.onEvent(null, "{not json")).isEqualTo(Decision.CUT);
        }
        var events = awaitEvents(producer, 2);
        assertThat(events.get(0).getTerminationReason()).isEqualTo(StreamTerminationReason.UPSTREAM_ERROR);
        assertThat(events.get(0).getErrorClass()).isEqualTo("stream_ended_without_usage");
        assertThat(events.get(0).getGeneratedOutputTokens()).isEqualTo(4);
        assertThat(events.get(1).getTerminationReason()).isEqualTo(StreamTerminationReason.UPSTREAM_ERROR);
        assertThat(events.get(1).getErrorClass()).isEqualTo("malformed_stream_event");
        assertThat(events.get(1).getGeneratedOutputTokens()).isEqualTo(1);
    }

    @Test
    void watchdogCutsAStreamThatNeverSendsAnythingAgain(@TempDir Path otherSpool) {
        MockProducer<String, UsageEvent> p = TestLedgers.mockProducer();
        try (TokenLedger real = TestLedgers.builder(otherSpool, p).streamLimits(StreamLimits.of(Duration.ofMillis(300), 5)).build()) {
            LedgerCall call = real.begin(Attribution.feature("chat"));
            StreamGuard guard = call.stream(ProviderApi.ANTHROPIC_MESSAGES);
            feed(guard, "anthropic/stream-cut.sse", 2);
            call.close(); // the reader moved on; the stream is still open
            UsageEvent e = awaitEvents(p, 1).get(0);
            assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.TIMEOUT);
            assertThat(guard.isEnded()).isTrue();
        }
    }
}
