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
import static org.awaitility.Awaitility.await;

import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import dev.tokenledger.agent.stream.StreamGuard;
import dev.tokenledger.agent.stream.StreamLimits;
import dev.tokenledger.agent.usage.Fixtures;
import dev.tokenledger.agent.usage.ProviderApi;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.avro.UsageSource;
import dev.tokenledger.localstack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real KRaft broker and schema registry (local-stack): events produced while the
 * broker is down arrive once it is back — also across an agent restart on the same spool — and a stream
 * cut by the guard lands as STREAM_TERMINATED with its partial count. One stack for the class; each test
 * writes to its own topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ProducerAgentIT {
    private static final int CALLS = 10_000;
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

    @Test
    @Order(1)
    void callsMadeWhileTheBrokerIsDownArriveOnceItIsBack(@TempDir Path spool) throws Exception {
        String topic = AgentItSupport.newTopic(stack);
        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
        stack.stopBroker();
        Set<String> ids;
        try (TokenLedger ledger = AgentItSupport.ledger(stack.bootstrapServers(), stack.registryUrl(), topic, spool, metrics).build()) {
            ids = new HashSet<>(AgentItSupport.calls(ledger, CALLS));
            await().atMost(Duration.ofSeconds(60)).until(() -> metrics.spooledCount() == CALLS);
            assertThat(metrics.sentCount()).isZero();
            stack.startBroker();
            await().atMost(Duration.ofSeconds(90)).until(() -> metrics.drainedCount() == CALLS && ledger.isLive());
        } finally {
            stack.startBroker();
        }
        assertThat(metrics.droppedCount()).isZero();
        AgentItSupport.assertEachOnce(AgentItSupport.consumeAll(stack, topic, CALLS, Duration.ofSeconds(90)), ids);
    }

    @Test
    @Order(2)
    void spoolSurvivesAnAgentRestartWhileTheBrokerIsDown(@TempDir Path spool) throws Exception {
        String topic = AgentItSupport.newTopic(stack);
        stack.stopBroker();
        Set<String> ids;
        try {
            InMemoryAgentMetrics first = new InMemoryAgentMetrics();
            try (TokenLedger ledger = AgentItSupport.ledger(stack.bootstrapServers(), stack.registryUrl(), topic, spool, first)
                    .closeTimeout(Duration.ofSeconds(3)).build()) {
                ids = new HashSet<>(AgentItSupport.calls(ledger, CALLS));
            }
            assertThat(first.droppedCount()).as("dropped by the first agent (queue or close)").isZero();
            assertThat(first.spooledCount()).isEqualTo(CALLS);
            assertThat(first.sentCount()).isZero();

            // the process restarts: a new agent on the same spool directory; then the broker comes back
            InMemoryAgentMetrics second = new InMemoryAgentMetrics();
            try (TokenLedger restarted = AgentItSupport.ledger(stack.bootstrapServers(), stack.registryUrl(), topic, spool, second).build()) {
                assertThat(restarted.spooledPending()).isEqualTo(CALLS);
                stack.startBroker();
                await().atMost(Duration.ofSeconds(90)).until(() -> second.drainedCount() == CALLS && restarted.isLive());
            }
        } finally {
            stack.startBroker();
        }
        AgentItSupport.assertEachOnce(AgentItSupport.consumeAll(stack, topic, CALLS, Duration.ofSeconds(90)), ids);
    }

    @Test
    @Order(3)
    void streamCutByTheGuardLandsWithItsPartialCount(@TempDir Path spool) throws Exception {
        String topic = AgentItSupport.newTopic(stack);
        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
        String requestId;
        try (TokenLedger ledger = AgentItSupport.ledger(stack.bootstrapServers(), stack.registryUrl(), topic, spool, metrics)
                .streamLimits("support_agent", StreamLimits.of(Duration.ofMinutes(1), 1)).build()) {
            await().atMost(Duration.ofSeconds(30)).until(ledger::isLive);
            try (LedgerCall call = ledger.begin(Attribution.feature("support_agent").tenant("acme"))) {
                requestId = call.requestId();
                StreamGuard guard = call.stream(ProviderApi.OPENAI_CHAT_COMPLETIONS);
                StreamGuard.Decision d = StreamGuard.Decision.CONTINUE;
                for (String line : Fixtures.read("openai-chat/stream-tool-calls.sse").split("\n", -1)) {
                    d = guard.onSseLine(line);
                    if (d == StreamGuard.Decision.CUT) {
                        break;
                    }
                }
                assertThat(d).isEqualTo(StreamGuard.Decision.CUT);
            }
        }
        UsageEvent e = AgentItSupport.consumeAll(stack, topic, 1, Duration.ofSeconds(90)).get(0);
        assertThat(e.getRequestId()).isEqualTo(requestId);
        assertThat(e.getKind()).isEqualTo(UsageKind.STREAM_TERMINATED);
        assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
        assertThat(e.getGeneratedOutputTokens()).isEqualTo(3);
        assertThat(e.getUsageSource()).isEqualTo(UsageSource.COUNTED);
    }
}
