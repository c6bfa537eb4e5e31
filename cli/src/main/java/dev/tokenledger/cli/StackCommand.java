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
package dev.tokenledger.cli;

import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger stack}: a real Kafka broker (KRaft) and a Confluent-compatible schema
 * registry on 127.0.0.1, with every TokenLedger topic created. Prints exactly one line on stdout,
 * {@code bootstrap=HOST:PORT registry=http://HOST:PORT}, then runs until Ctrl-C or SIGTERM and
 * shuts both down cleanly. Data (topics, offsets, schemas) stays in {@code --data-dir}.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = {"Runs a local Kafka broker (KRaft) and schema registry with all TokenLedger topics.",
                "Prints one line: bootstrap=HOST:PORT registry=http://HOST:PORT, then runs until Ctrl-C."})
public final class StackCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "data/stack",
            description = "Directory that keeps broker data and schemas between runs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092",
            description = "Broker port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Schema registry port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of each TokenLedger topic created on first start (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        LocalStack stack;
        try {
            stack = LocalStack.builder().dataDir(dataDir).kafkaPort(kafkaPort).registryPort(registryPort).start();
        } catch (RuntimeException e) {
            System.err.println("tokenledger stack: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("tokenledger stack: shutting down");
            stack.close();
            stopped.countDown();
        }, "tokenledger-stack-shutdown"));
        stack.createTopics(Topics.ALL, partitions);
        out.println("bootstrap=" + stack.bootstrapServers() + " registry=" + stack.registryUrl());
        out.flush();
        System.err.println("tokenledger stack: running with data in " + stack.dataDir() + "; Ctrl-C to stop");
        stopped.await();
        return 0;
    }
}
