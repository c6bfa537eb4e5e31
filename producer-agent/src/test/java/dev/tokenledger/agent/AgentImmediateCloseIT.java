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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.agent.emit.AgentMetrics;
import dev.tokenledger.agent.emit.DropPolicy;
import dev.tokenledger.agent.emit.FsyncPolicy;
import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.agent.emit.Spool;
import dev.tokenledger.agent.usage.ProviderUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.localstack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A short-lived process (a script, a batch job, a serverless function) against a real broker and schema
 * registry (local-stack): it starts the agent with the defaults, records its calls and closes the agent at
 * once, before the agent has connected, fetched the topic's metadata or registered the schema. When close()
 * returns, every call must be on the topic once, with the usage it recorded, and nothing may be left in the
 * spool: no other agent will ever start on that directory. Each run writes to a topic of its own (so its
 * schema subject is registered during close too) and is read back with a plain consumer from the beginning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AgentImmediateCloseIT {
    /** The default close.timeout.ms: close() must be done, everything delivered, within it. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(10_000);
    private LocalStack stack;

    @BeforeAll
    void startStack() {
        stack = LocalStack.builder().start();
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @ParameterizedTest(name = "{0} calls")
    @ValueSource(ints = {4, 500})
    void callsRecordedAndClosedAtOnceAreAllOnTheTopicWhenCloseReturns(int calls, @TempDir Path spool) throws Exception {
        String topic = AgentItSupport.newTopic(stack);
        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
        Map<String, ProviderUsage> recorded = new HashMap<>();

        long t0 = System.nanoTime();
        TokenLedger ledger = TokenLedger.builder()
                .environment("it")
                .bootstrapServers(stack.bootstrapServers())
                .registryUrl(stack.registryUrl())
                .topic(topic)
                .spoolDir(spool)
                .metrics(metrics)
                .build();
        for (int i = 0; i < calls; i++) {
            try (LedgerCall call = ledger.begin(Attribution.feature("feature_" + (i % 7)).tenant("t" + (i % 13)))) {
                // counts unique to the call, so a mix-up between events cannot pass
                ProviderUsage usage = new ProviderUsage("openai", "gpt-4.1-mini", 1_000 + i, 10 + i, i % 10, i, 0, 2L * i,
                        Map.of(), null, UsageSource.PROVIDER);
                call.recordUsage(usage);
                recorded.put(call.requestId(), usage);
            }
        }
        boolean liveAtClose = ledger.isLive();
        long tClose = System.nanoTime();
        ledger.close();
        long closeMs = millisSince(tClose);
        System.out.printf("AgentImmediateCloseIT: %d calls; close() called %d ms after start (agent live: %s), "
                        + "returned after %d ms; %s%n", calls, TimeUnit.NANOSECONDS.toMillis(tClose - t0), liveAtClose,
                closeMs, metrics);

        assertThat(Duration.ofMillis(closeMs)).as("close() within close.timeout.ms").isLessThan(CLOSE_TIMEOUT);
        assertThat(metrics.droppedCount()).isZero();
        assertThat(pendingIn(spool)).as("events left in the spool").isZero();

        // with the agent closed and no other agent running: the topic alone must hold every call
        List<UsageEvent> events = AgentItSupport.consumeAll(stack, topic, calls, Duration.ofSeconds(30));
        Set<String> eventIds = new HashSet<>();
        Map<String, Integer> perRequest = new HashMap<>();
        for (UsageEvent e : events) {
            eventIds.add(e.getEventId());
            perRequest.merge(e.getRequestId(), 1, Integer::sum);
            ProviderUsage u = recorded.get(e.getRequestId());
            assertThat(u).as("event %s of a recorded call", e.getEventId()).isNotNull();
            assertThat(e.getKind()).isEqualTo(UsageKind.COMPLETED);
            assertThat(e.getInputTokens()).isEqualTo(u.inputTokens());
            assertThat(e.getOutputTokens()).isEqualTo(u.outputTokens());
            assertThat(e.getReasoningTokens()).isEqualTo(u.reasoningTokens());
            assertThat(e.getCacheWrite5mTokens()).isEqualTo(u.cacheWrite5mTokens());
            assertThat(e.getCacheReadTokens()).isEqualTo(u.cacheReadTokens());
        }
        assertThat(perRequest.keySet()).isEqualTo(recorded.keySet());
        assertThat(perRequest.values()).as("each call once").containsOnly(1);
        assertThat(eventIds).as("one event id per call, none twice").hasSize(calls);
        assertThat(events).hasSize(calls);
        System.out.printf("AgentImmediateCloseIT: %d calls, each once on %s, %d ms from start to read back%n",
                calls, topic, millisSince(t0));
    }

    /** Events a new agent would find in {@code dir}. */
    private static long pendingIn(Path dir) {
        try (Spool spool = new Spool(dir, 1L << 20, 1L << 16, DropPolicy.DROP_NEWEST, FsyncPolicy.NONE, 1000, AgentMetrics.NOOP)) {
            return spool.pending();
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
