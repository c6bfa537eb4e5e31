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
package dev.tokenledger.pricing;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test): how many usage events per second one thread prices into a complete
 * {@link CostedUsage} (catalog lookup by exact name / alias / pattern + exact BigDecimal arithmetic),
 * against a same-run baseline that builds the UNPRICED record of the same events (allocation of the
 * record without lookup or arithmetic). Prints both rates and the ratio.
 *
 * <pre>
 * cd pricing && mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.tokenledger.pricing.PricingBenchmark
 * </pre>
 */
public final class PricingBenchmark {

    private PricingBenchmark() {
    }

    public static void main(String[] args) {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final PriceCatalog catalog = PriceCatalog.loadDefault();
        final String[][] models = {
                {"anthropic", "claude-sonnet-4-5"}, {"anthropic", "claude-sonnet-4-5-20250929"}, {"anthropic", "claude-haiku-5-5"},
                {"anthropic", "claude-opus-5-20260801"}, {"openai", "gpt-5"}, {"openai", "gpt-4o-mini"}, {"google", "gemini-2.5-pro"},
                {"anthropic", "claude-unknown-9"}};
        final Random rnd = new Random(42);
        final List<UsageEvent> events = new ArrayList<>();
        final Instant base = Instant.parse("2026-11-20T00:00:00Z");
        for (int i = 0; i < 4096; i++) {
            final String[] m = models[rnd.nextInt(models.length)];
            events.add(Fixtures.event(m[0], m[1], base.plusSeconds(i))
                    .setInputTokens(rnd.nextInt(300_000)).setOutputTokens(rnd.nextInt(4000)).setCacheReadTokens(rnd.nextInt(50_000))
                    .setCacheWrite5mTokens(rnd.nextInt(5000)).setBatch(rnd.nextInt(10) == 0).build());
        }
        final Instant now = Instant.now();
        for (int round = 0; round < 3; round++) {
            BigDecimal sink = BigDecimal.ZERO;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink = sink.add(UsagePricer.unpriced(events.get(i & 4095), now).getTotalCostUsd());
            }
            final long baselineNs = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink = sink.add(UsagePricer.price(events.get(i & 4095), catalog, now).getTotalCostUsd());
            }
            final long pricedNs = System.nanoTime() - t0;
            final double baselineRate = n / (baselineNs / 1e9);
            final double pricedRate = n / (pricedNs / 1e9);
            System.out.printf("round %d: priced %,.0f events/s (%.2f us/event); baseline (UNPRICED record) %,.0f events/s; ratio %.2f (sink %s)%n",
                    round + 1, pricedRate, pricedNs / 1e3 / n, baselineRate, pricedRate / baselineRate, sink.signum());
        }
    }
}
