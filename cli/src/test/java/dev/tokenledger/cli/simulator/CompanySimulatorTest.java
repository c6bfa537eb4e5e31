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

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.avro.StreamTerminationReason;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator drives the real producer agent (its extractors, stream guard and emission pipeline)
 * with a MockProducer underneath: what the agent emits must equal, call by call and class by class,
 * what the simulator recorded as sent.
 */
class CompanySimulatorTest {

    @TempDir
    Path spool;

    @Test
    void everyCallReachesTheAgentOnceWithTheTokensTheSimulatorRecorded() throws Exception {
        final MockProducer<String, UsageEvent> producer = new MockProducer<>(true, null, new StringSerializer(), (t, v) -> new byte[0]);
        final SimulationRecord record = new SimulationRecord();
        final long actions = 3_000;
        try (TokenLedger ledger = SimulatedLedger.builder(spool, "unused:9092", "mock://simulator-test")
                .producer(producer).build()) {
            final CompanySimulator simulator = new CompanySimulator(
                    new WorkloadGenerator(CompanyWorkload.standard(60, 42), 42), ledger, ActionGate.ALLOW_ALL, record);
            simulator.runActions(actions, 3);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> producer.history().size() == record.eventCount());
        }
        final Map<String, UsageEvent> emitted = producer.history().stream().map(ProducerRecord::value)
                .collect(Collectors.toMap(e -> e.getRequestId().toString(), Function.identity()));
        assertThat(emitted).as("one event per call, no duplicate request id").hasSize(producer.history().size());
        assertThat(record.actionsTotal()).isEqualTo(actions);

        for (SentEvent sent : record.events()) {
            final UsageEvent e = emitted.get(sent.eventId());
            assertThat(e).as("event for " + sent.eventId()).isNotNull();
            assertThat(e.getKind().name()).isEqualTo(sent.kind());
            assertThat(e.getFeatureId().toString()).isEqualTo(sent.featureId());
            assertThat(e.getTenantId().toString()).isEqualTo(sent.tenantId());
            assertThat(e.getPlanTier().toString()).isEqualTo(sent.planTier());
            assertThat(e.getProvider().toString()).isEqualTo(sent.provider());
            assertThat(e.getModel().toString()).isEqualTo(sent.model());
            final TokenUsage u = sent.usage();
            assertThat(List.of(e.getInputTokens(), e.getOutputTokens(), e.getReasoningTokens(), e.getCacheWrite5mTokens(),
                    e.getCacheWrite1hTokens(), e.getCacheReadTokens()))
                    .as("tokens of " + sent.featureId() + " " + sent.kind())
                    .containsExactly(u.input(), u.output(), u.reasoning(), u.cacheWrite5m(), u.cacheWrite1h(), u.cacheRead());
        }

        final List<UsageEvent> cut = emitted.values().stream().filter(e -> e.getKind() == UsageKind.STREAM_TERMINATED).toList();
        assertThat(cut).isNotEmpty().hasSize((int) record.streamsCut()).allSatisfy(e -> {
            assertThat(e.getFeatureId().toString()).isEqualTo("ai_assistant");
            assertThat(e.getTerminationReason()).isEqualTo(StreamTerminationReason.TOOL_CALL_LIMIT);
            assertThat(e.getGeneratedOutputTokens()).isEqualTo(e.getOutputTokens());
            assertThat(e.getUsageSource().name()).isEqualTo("COUNTED");
        });
        final List<UsageEvent> failed = emitted.values().stream().filter(e -> e.getKind() == UsageKind.FAILED).toList();
        assertThat(failed).isNotEmpty().hasSize((int) record.retries());
        failed.forEach(f -> {
            final UsageEvent retry = emitted.values().stream()
                    .filter(e -> e.getRootRequestId().equals(f.getRootRequestId()) && e.getAttempt() == f.getAttempt() + 1
                            && e.getTags().get("step").equals(f.getTags().get("step")))
                    .findFirst().orElseThrow();
            assertThat(retry.getReservationId()).isEqualTo(f.getReservationId());
        });

        final Map<CharSequence, List<UsageEvent>> drafts = emitted.values().stream()
                .filter(e -> e.getFeatureId().toString().equals(CompanyWorkload.CHAIN_FEATURE) && e.getKind() == UsageKind.COMPLETED)
                .collect(Collectors.groupingBy(UsageEvent::getRootRequestId));
        assertThat(drafts.values()).isNotEmpty().allSatisfy(chain -> {
            assertThat(chain).hasSize(4);
            assertThat(chain.stream().filter(e -> e.getParentRequestId() == null)).hasSize(1);
        });
    }

    @Test
    void aDeniedActionMakesNoCallAndIsRecordedAsDenied() throws Exception {
        final MockProducer<String, UsageEvent> producer = new MockProducer<>(true, null, new StringSerializer(), (t, v) -> new byte[0]);
        final SimulationRecord record = new SimulationRecord();
        final ActionGate denyRunaway = new ActionGate() {
            @Override
            public Admission admit(UserAction action, String root) {
                return action.feature().runaway() ? Admission.deny("{\"error\":\"budget_exceeded\"}") : Admission.allow("res_" + root);
            }

            @Override
            public void finished(UserAction action, Admission admission, String root, List<SentEvent> sent) {
            }
        };
        try (TokenLedger ledger = SimulatedLedger.builder(spool, "unused:9092", "mock://simulator-test-2").producer(producer).build()) {
            new CompanySimulator(new WorkloadGenerator(CompanyWorkload.standard(60, 7), 7), ledger, denyRunaway, record)
                    .runActions(500, 2);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> producer.history().size() == record.eventCount());
        }
        assertThat(record.denied(CompanyWorkload.RUNAWAY_FEATURE)).isPositive()
                .isEqualTo(record.actions(CompanyWorkload.RUNAWAY_FEATURE));
        assertThat(producer.history()).noneMatch(r -> r.value().getFeatureId().toString().equals(CompanyWorkload.RUNAWAY_FEATURE));
        assertThat(producer.history()).allMatch(r -> r.value().getReservationId().toString().startsWith("res_"));
    }
}
