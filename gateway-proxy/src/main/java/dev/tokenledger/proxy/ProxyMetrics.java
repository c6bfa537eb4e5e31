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
package dev.tokenledger.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the proxy is doing, in Micrometer: {@code tokenledger.proxy.requests} by route and outcome
 * (forwarded, denied, bad_request, upstream_error, client_cancel, internal_error, not_found), {@code tokenledger.proxy.stream.cuts} by
 * reason (TIMEOUT, TOOL_CALL_LIMIT, CLIENT_CANCEL, BUDGET_CEILING, UPSTREAM_ERROR), and two latency
 * histograms: {@code tokenledger.proxy.admission} (request in to request sent upstream: what the proxy adds
 * before the provider) and {@code tokenledger.proxy.duration} (request in to response end).
 */
final class ProxyMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer admission;
    private final Timer duration;

    ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.admission = Timer.builder("tokenledger.proxy.admission").description("From the request's arrival to its dispatch upstream")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
        this.duration = Timer.builder("tokenledger.proxy.duration").description("From the request's arrival to the end of the response")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
    }

    void request(ProviderRoute route, String outcome) {
        final String r = route == null ? "none" : route.name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent("r|" + r + "|" + outcome, k -> Counter.builder("tokenledger.proxy.requests").tag("route", r)
                .tag("outcome", outcome).description("Requests by route and outcome").register(registry)).increment();
    }

    void cut(String reason) {
        counters.computeIfAbsent("c|" + reason, k -> Counter.builder("tokenledger.proxy.stream.cuts").tag("reason", reason)
                .description("Streams ended by the guard or a disconnect, by reason").register(registry)).increment();
    }

    void admission(long nanos) {
        admission.record(Duration.ofNanos(nanos));
    }

    void duration(long nanos) {
        duration.record(Duration.ofNanos(nanos));
    }
}
