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
import dev.tokenledger.localstack.LocalStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool survives the death of the PROCESS, not just an agent closed and reopened in one JVM
 * ({@link ProducerAgentIT}): with the broker stopped, a child JVM ({@link SpoolingCaller}) makes the calls,
 * reports them spooled and is killed with SIGKILL (no close, no flush); then the broker is started and a new
 * agent in this JVM, on the same spool directory, sends every event exactly once.
 *
 * <p>{@code -Dit.restart.calls=N} changes the number of calls (default 10,000).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class AgentProcessRestartIT {
    private static final int CALLS = Integer.getInteger("it.restart.calls", 10_000);
    /** Exit status of a JVM ended by SIGKILL (128 + 9). */
    private static final int KILLED = 137;
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
    void spoolSurvivesAKilledAgentProcessWhileTheBrokerIsDown(@TempDir Path dir) throws Exception {
        String topic = AgentItSupport.newTopic(stack);
        Path spool = dir.resolve("spool");
        Path idsFile = dir.resolve("request-ids.txt");
        Path log = Paths.get("target", "spooling-caller.log").toAbsolutePath();
        long t0 = System.nanoTime();
        stack.stopBroker();
        Process child = null;
        Set<String> ids;
        try {
            child = startChild(topic, spool, idsFile, log);
            Process running = child;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> spooledLine(log, running) != null);
            String spooled = spooledLine(log, running);
            assertThat(spooled).startsWith(SpoolingCaller.SPOOLED + CALLS + " ");

            // the process dies: SIGKILL, no close(), no flush, no shutdown hook
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child gone after SIGKILL").isTrue();
            assertThat(child.exitValue()).as("killed, not exited").isEqualTo(KILLED);
            long killedMs = millisSince(t0);

            ids = new HashSet<>(Files.readAllLines(idsFile, StandardCharsets.UTF_8));
            assertThat(ids).hasSize(CALLS);

            // a new agent (the restarted process) on the same spool directory; then the broker comes back
            InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
            try (TokenLedger restarted = AgentItSupport.ledger(stack.bootstrapServers(), stack.registryUrl(), topic, spool, metrics).build()) {
                assertThat(restarted.spooledPending()).as("events found in the killed process's spool").isEqualTo(CALLS);
                stack.startBroker();
                await().atMost(Duration.ofSeconds(45))
                        .until(() -> metrics.drainedCount() == CALLS && restarted.isLive());
            }
            assertThat(metrics.droppedCount()).isZero();
            assertThat(metrics.corruptBytes()).isZero();
            System.out.printf("AgentProcessRestartIT: %s; killed after %d ms, drained after %d ms%n",
                    spooled, killedMs, millisSince(t0));
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            stack.startBroker();
        }
        AgentItSupport.assertEachOnce(AgentItSupport.consumeAll(stack, topic, CALLS, Duration.ofSeconds(30)), ids);
        System.out.printf("AgentProcessRestartIT: %d calls, each once on %s, %d ms in all%n", CALLS, topic, millisSince(t0));
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Starts {@link SpoolingCaller} on the test classpath; its stdout and stderr go to {@code log}. */
    private Process startChild(String topic, Path spool, Path idsFile, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                SpoolingCaller.class.getName(),
                stack.bootstrapServers(), stack.registryUrl(), topic, spool.toString(), String.valueOf(CALLS), idsFile.toString());
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        System.out.printf("AgentProcessRestartIT: child pid %d, log %s%n", p.pid(), log);
        return p;
    }

    /** The child's {@code SPOOLED} line, or null while it has not printed it; fails at once if the child died. */
    private static String spooledLine(Path log, Process child) throws IOException {
        String text = Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        // complete lines only: the child may be half-way through writing the last one
        List<String> lines = List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n"));
        for (String line : lines) {
            if (line.startsWith(SpoolingCaller.SPOOLED)) {
                return line;
            }
        }
        if (!child.isAlive()) {
            throw new AssertionError("SpoolingCaller exited with " + child.exitValue() + " before spooling:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return null;
    }
}
