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

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Prices what the simulator itself recorded with the pricing library, independently of the
 * pipeline: the quickstart sizes the runaway feature's budget with it, and tests compare the
 * warehouse's costs with it.
 */
public final class RecordPricer {
    private final PriceCatalog catalog;

    public RecordPricer(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    /** The shipped catalog. */
    public static RecordPricer withDefaultCatalog() {
        return new RecordPricer(PriceCatalog.loadDefault());
    }

    /** The full priced record of one sent event. */
    public CostedUsage price(SentEvent sent) {
        return UsagePricer.price(event(sent.eventId(), UsageKind.valueOf(sent.kind()), sent.featureId(), sent.provider(),
                sent.model(), sent.usage(), sent.sentAt()), catalog, sent.sentAt());
    }

    /** Total cost of one sent event. */
    public BigDecimal cost(SentEvent sent) {
        return price(sent).getTotalCostUsd();
    }

    /** What a planned call would cost if it completed at {@code at}. */
    public BigDecimal cost(String featureId, PlannedCall call, Instant at) {
        return UsagePricer.price(event("plan", UsageKind.COMPLETED, featureId, call.provider().id(), call.model(),
                call.usage(), at), catalog, at).getTotalCostUsd();
    }

    private static UsageEvent event(String id, UsageKind kind, String featureId, String provider, String model,
                                    TokenUsage u, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId(id).setKind(kind).setOccurredAt(at).setFeatureId(featureId)
                .setRequestId(id).setProvider(provider).setModel(model)
                .setInputTokens(u.input()).setOutputTokens(u.output()).setReasoningTokens(u.reasoning())
                .setCacheWrite5mTokens(u.cacheWrite5m()).setCacheWrite1hTokens(u.cacheWrite1h())
                .setCacheReadTokens(u.cacheRead()).setOtherTokens(Map.of()).setTags(Map.of())
                .build();
    }
}
