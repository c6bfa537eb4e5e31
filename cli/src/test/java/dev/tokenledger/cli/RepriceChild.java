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

import dev.tokenledger.pricing.RepriceJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link RepriceJob} in a child JVM for {@link RepriceIT}: batches of {@code batchSize} adjustments, and before
 * committing batch {@code stopAt} it prints {@code BLOCKED} and waits for ever, its transaction open, so the test can
 * kill it with SIGKILL half-way through. Arguments: bootstrap registry from to batchSize stopAt.
 */
public final class RepriceChild {
    private RepriceChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        final int stopAt = Integer.parseInt(args[5]);
        final CountDownLatch never = new CountDownLatch(1);
        new RepriceJob(args[0], args[1], Map.of()).run(new RepriceJob.Options(Instant.parse(args[2]), Instant.parse(args[3]), false,
                Integer.parseInt(args[4]), "tier added (child)", "child", true, Duration.ofMinutes(5)), (batch, records) -> {
                    System.out.println("batch " + batch + ": " + records + " adjustments sent");
                    if (batch == stopAt) {
                        System.out.println("BLOCKED before committing batch " + batch);
                        System.out.flush();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
    }
}
