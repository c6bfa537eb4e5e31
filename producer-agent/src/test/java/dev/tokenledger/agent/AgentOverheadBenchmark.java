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

import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Caller-thread cost of recording one LLM call with the agent ({@code begin} + record + {@code close}),
 * with Kafka up and with the broker stopped (events go to the disk spool), next to same-run baselines:
 * the timer alone and building the same UsageEvent by hand. Paced at about {@code rate} calls/s so the
 * background threads keep up, as in a service. Not a test: run it with
 * <pre>
 * mvn -B -q -o -pl producer-agent test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tokenledger.agent.AgentOverheadBenchmark [-Dexec.args="20000 100000 10000"]
 * </pre>
 * args: warm-up calls, measured calls, target rate (calls/s). Target (DESIGN.md): p99 ≤ 20 µs, also with Kafka down.
 */
public final class AgentOverheadBenchmark {
    private static volatile Object sink;

    private interface Op {
        void run(int i);
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        long intervalNanos = 1_000_000_000L / rate;
        String body = Fixtures.read("anthropic/message-cache-ttl.json");
        ProviderUsage usage = ProviderApi.ANTHROPIC_MESSAGES.extractor().extract(body);
        Attribution attribution = Attribution.feature("summarize_email_v2").tenant("acme").user("u-17").plan("pro");

        System.out.printf(Locale.ROOT, "TokenLedger agent caller-thread overhead: %d warm-up + %d measured calls per scenario at ~%d calls/s%n",
                warmup, measured, rate);
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(List.of(Topics.USAGE), 3);
            Histogram timer = run("baseline: timer only", warmup, measured, intervalNanos, i -> { });
            Histogram event = run("baseline: build the UsageEvent alone", warmup, measured, intervalNanos, i -> sink = event(usage, i));

            Histogram up;
            Histogram upJson;
            InMemoryAgentMetrics upMetrics = new InMemoryAgentMetrics();
            try (TokenLedger ledger = ledger(stack, Files.createTempDirectory("bench-up"), upMetrics)) {
                waitLive(ledger);
                up = run("agent, Kafka up: begin + recordUsage + close", warmup, measured, intervalNanos, i -> {
                    try (LedgerCall call = ledger.begin(attribution)) {
                        call.recordUsage(usage);
                    }
                });
                upJson = run("agent, Kafka up: begin + recordResponse(JSON) + close", warmup, measured, intervalNanos, i -> {
                    try (LedgerCall call = ledger.begin(attribution)) {
                        call.recordResponse(ProviderApi.ANTHROPIC_MESSAGES, body);
                    }
                });
            }
            System.out.printf(Locale.ROOT, "  emission (Kafka up): %s; send latency enqueue->ack p50 %d us, p99 %d us%n", upMetrics,
                    upMetrics.sendLatencyMicros().getValueAtPercentile(50), upMetrics.sendLatencyMicros().getValueAtPercentile(99));

            stack.stopBroker();
            Histogram down;
            InMemoryAgentMetrics downMetrics = new InMemoryAgentMetrics();
            try (TokenLedger ledger = ledger(stack, Files.createTempDirectory("bench-down"), downMetrics)) {
                down = run("agent, Kafka down (spooling): begin + recordUsage + close", warmup, measured, intervalNanos, i -> {
                    try (LedgerCall call = ledger.begin(attribution)) {
                        call.recordUsage(usage);
                    }
                });
            }
            System.out.printf(Locale.ROOT, "  emission (Kafka down): %s%n", downMetrics);
            // the first baseline ran on a colder JVM: take it again in the same state as the agent runs; ratios use this one
            Histogram eventFirst = event;
            event = run("baseline: build the UsageEvent alone (end of run)", warmup, measured, intervalNanos, i -> sink = event(usage, i));

            System.out.println();
            System.out.println("| scenario | p50 µs | p99 µs | p99.9 µs | max µs | p99 / UsageEvent-build p99 |");
            System.out.println("|---|---|---|---|---|---|");
            row("timer only (baseline)", timer, event);
            row("build the UsageEvent alone (baseline, start of run)", eventFirst, event);
            row("build the UsageEvent alone (baseline, end of run)", event, event);
            row("agent, Kafka up", up, event);
            row("agent, Kafka up, incl. JSON usage parse", upJson, event);
            row("agent, Kafka down (spooling)", down, event);
            System.out.printf(Locale.ROOT, "%ntarget p99 <= 20 us: Kafka up %s, Kafka down %s%n",
                    up.getValueAtPercentile(99) <= 20_000 ? "MET" : "NOT MET", down.getValueAtPercentile(99) <= 20_000 ? "MET" : "NOT MET");
        }
    }

    private static TokenLedger ledger(LocalStack stack, Path spool, InMemoryAgentMetrics metrics) {
        return TokenLedger.builder().environment("bench").bootstrapServers(stack.bootstrapServers()).registryUrl(stack.registryUrl())
                .spoolDir(spool).queueCapacity(65_536).probeInterval(Duration.ofMillis(200)).closeTimeout(Duration.ofSeconds(5))
                .metrics(metrics).build();
    }

    private static void waitLive(TokenLedger ledger) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ledger.isLive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static UsageEvent event(ProviderUsage u, int i) {
        return new UsageEvent(RequestIds.newEventId(), UsageKind.COMPLETED, Instant.now(), "summarize_email_v2", "acme", "u-17", "pro",
                RequestIds.newRequestId(), null, null, 1, "bench", u.provider(), u.model(), null, u.inputTokens(), u.outputTokens(),
                u.reasoningTokens(), u.cacheWrite5mTokens(), u.cacheWrite1hTokens(), u.cacheReadTokens(), u.otherTokens(), u.serviceTier(),
                false, null, (long) i, null, null, null, null, u.source(), java.util.Map.of(), java.util.Map.of());
    }

    private static Histogram run(String name, int warmup, int measured, long intervalNanos, Op op) {
        Histogram h = new Histogram(10_000_000_000L, 3);
        long next = System.nanoTime();
        for (int i = 0; i < warmup + measured; i++) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
            }
            next += intervalNanos;
            long t0 = System.nanoTime();
            op.run(i);
            long t1 = System.nanoTime();
            if (i >= warmup) {
                h.recordValue(t1 - t0);
            }
        }
        System.out.printf(Locale.ROOT, "  %-60s p50 %6.2f us  p99 %6.2f us  p99.9 %7.2f us%n", name,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0);
        return h;
    }

    private static void row(String name, Histogram h, Histogram baseline) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.1f | %.1fx |%n", name,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                h.getMaxValue() / 1000.0, (double) h.getValueAtPercentile(99) / Math.max(1, baseline.getValueAtPercentile(99)));
    }
}
