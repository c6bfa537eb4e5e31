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

import static org.awaitility.Awaitility.await;

import dev.tokenledger.agent.emit.InMemoryAgentMetrics;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link AgentProcessRestartIT}: an application that embeds the agent, makes {@code n}
 * calls while the broker is down, writes their request ids to {@code idsFile}, waits until the agent reports
 * all of them spooled (counted by the metrics only after the spool append, and its fsync under the default
 * EVERY_BATCH policy, returned), prints {@code SPOOLED <n>} and then waits to be killed. It never closes the
 * agent: the parent ends it with SIGKILL.
 *
 * <p>Arguments: {@code bootstrapServers registryUrl topic spoolDir n idsFile}.
 */
public final class SpoolingCaller {
    /** Printed on stdout once every call is in the spool. */
    static final String SPOOLED = "SPOOLED ";
    /** The child exits on its own after this long, in case the parent died without killing it. */
    private static final Duration SELF_DESTRUCT = Duration.ofSeconds(150);

    private SpoolingCaller() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: SpoolingCaller bootstrapServers registryUrl topic spoolDir n idsFile");
            System.exit(2);
        }
        String bootstrap = args[0];
        String registry = args[1];
        String topic = args[2];
        Path spool = Path.of(args[3]);
        int n = Integer.parseInt(args[4]);
        Path idsFile = Path.of(args[5]);

        InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();
        TokenLedger ledger = AgentItSupport.ledger(bootstrap, registry, topic, spool, metrics).build();

        long t0 = System.nanoTime();
        List<String> ids = AgentItSupport.calls(ledger, n);
        long callsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Path tmp = idsFile.resolveSibling(idsFile.getFileName() + ".tmp");
        Files.write(tmp, ids, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, idsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> metrics.spooledCount() + metrics.droppedCount() >= n);
        if (metrics.droppedCount() != 0 || metrics.sentCount() != 0 || ledger.spooledPending() != n) {
            System.err.println("SpoolingCaller: unexpected state " + metrics + ", spooledPending=" + ledger.spooledPending());
            System.exit(3);
        }
        System.out.println(SPOOLED + ledger.spooledPending() + " calls_ms=" + callsMs
                + " spooled_ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        System.out.flush();

        // keep the agent open (its threads running, the spool files open) until the parent kills the process
        new CountDownLatch(1).await(SELF_DESTRUCT.toSeconds(), TimeUnit.SECONDS);
        System.err.println("SpoolingCaller: not killed within " + SELF_DESTRUCT + "; exiting");
        Runtime.getRuntime().halt(4);
    }
}
