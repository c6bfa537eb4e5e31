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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.schemas.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded synthetic workload for the IT and the benchmark: 12 features, one carrying 80 % of the
 * calls, a long tail of tenants (cubic skew over 2,000 ids), four priced models and one unknown
 * model, every token class, some FAILED and STREAM_TERMINATED calls. Also computes the exact cost
 * of an event from the rates it publishes, independently of the pricing module.
 */
final class UsageWorkload {
    static final List<String> FEATURES = List.of("support_chat", "summarize_email", "search_rerank", "code_review",
            "doc_qa", "translate", "classify_ticket", "draft_reply", "extract_invoice", "meeting_notes",
            "sql_assistant", "agent_planner");
    static final String UNKNOWN_MODEL = "claude-opus-9-preview";

    /** model -> rates per million: input, output, cache write 5m, cache write 1h, cache read. */
    static final Map<String, String[]> RATES = Map.of(
            "claude-sonnet-4-5", new String[] {"3", "15", "3.75", "6", "0.30"},
            "claude-haiku-4-5", new String[] {"1", "5", "1.25", "2", "0.10"},
            "claude-opus-4-1", new String[] {"15", "75", "18.75", "30", "1.50"},
            "claude-3-5-haiku", new String[] {"0.80", "4", "1", "1.6", "0.08"});
    private static final List<String> MODELS = List.of("claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1",
            "claude-3-5-haiku");

    private UsageWorkload() {
    }

    static List<PriceEntry> prices() {
        List<PriceEntry> out = new ArrayList<>();
        RATES.forEach((model, r) -> out.add(AggregatorFixtures.price("anthropic/" + model + "@2025-01-01", model,
                Instant.parse("2025-01-01T00:00:00Z"), null, r[0], r[1], r[2], r[3], r[4])));
        return out;
    }

    /** {@code n} events with occurred_at spread over the {@code spreadMs} before {@code now}. */
    static List<UsageEvent> generate(long seed, int n, Instant now, long spreadMs) {
        Random r = new Random(seed);
        List<UsageEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String feature = r.nextInt(100) < 80 ? FEATURES.get(0) : FEATURES.get(1 + r.nextInt(FEATURES.size() - 1));
            double u = r.nextDouble();
            String tenant = "tenant-" + (int) (u * u * u * 2000);
            String model = r.nextInt(500) == 0 ? UNKNOWN_MODEL : MODELS.get(r.nextInt(MODELS.size()));
            int k = r.nextInt(100);
            UsageKind kind = k < 3 ? UsageKind.FAILED : k < 5 ? UsageKind.STREAM_TERMINATED : UsageKind.COMPLETED;
            long output = kind == UsageKind.FAILED ? 0 : 1 + r.nextInt(4000);
            events.add(UsageEvent.newBuilder()
                    .setEventId(String.format("evt-%d-%08d", seed, i)).setKind(kind)
                    .setOccurredAt(Instant.ofEpochMilli(now.toEpochMilli() - (long) (r.nextDouble() * spreadMs)))
                    .setFeatureId(feature).setTenantId(tenant).setUserId("user-" + r.nextInt(50))
                    .setPlanTier(r.nextBoolean() ? "pro" : "enterprise")
                    .setRequestId("req-" + seed + "-" + i).setRootRequestId("root-" + seed + "-" + (i / 3))
                    .setProvider(AggregatorFixtures.PROVIDER).setModel(model)
                    .setInputTokens(r.nextInt(20_000)).setOutputTokens(output).setReasoningTokens(output / 4)
                    .setCacheWrite5mTokens(r.nextInt(4) == 0 ? r.nextInt(8000) : 0)
                    .setCacheWrite1hTokens(r.nextInt(10) == 0 ? r.nextInt(8000) : 0)
                    .setCacheReadTokens(r.nextInt(2) == 0 ? r.nextInt(50_000) : 0)
                    .build());
        }
        return events;
    }

    /** Exact cost from the published rates (tokens x rate / 1e6 per class); zero for the unknown model. */
    static BigDecimal expectedCost(UsageEvent e) {
        String[] r = RATES.get(e.getModel());
        if (r == null) {
            return Money.ZERO;
        }
        BigDecimal total = BigDecimal.ZERO
                .add(new BigDecimal(r[0]).multiply(BigDecimal.valueOf(e.getInputTokens())))
                .add(new BigDecimal(r[1]).multiply(BigDecimal.valueOf(e.getOutputTokens())))
                .add(new BigDecimal(r[2]).multiply(BigDecimal.valueOf(e.getCacheWrite5mTokens())))
                .add(new BigDecimal(r[3]).multiply(BigDecimal.valueOf(e.getCacheWrite1hTokens())))
                .add(new BigDecimal(r[4]).multiply(BigDecimal.valueOf(e.getCacheReadTokens())));
        return Money.toScale(total.movePointLeft(6));
    }
}
