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
package dev.tokenledger.gate;

import dev.tokenledger.avro.OutputTokenStats;
import dev.tokenledger.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The output size a feature's calls really reach: the p99 of output tokens the aggregator publishes
 * per feature on {@code tokenledger.output-stats.v1}, held in memory. A hold sized from it instead
 * of {@code max_tokens} reserves what the feature spends, not what it could (a 4,096 max_tokens
 * feature whose answers stay under 600 tokens otherwise holds 7x its real cost and starves the
 * budget of headroom); a rare longer answer is admitted up to the 2x ceiling. The p99 is trusted
 * only with enough samples behind it.
 */
public final class OutputTokenSizes implements AutoCloseable {
    /** Fewer samples than this and the p99 says too little: sizing falls back to max_tokens. */
    public static final long MIN_SAMPLES = 100;

    private final Map<String, OutputTokenStats> byFeature = new ConcurrentHashMap<>();
    private volatile AutoCloseable feed;

    /** Sizes fed by {@link #onStats} (tests, or a caller with its own consumer). */
    public OutputTokenSizes() {
    }

    /** Reads {@code tokenledger.output-stats.v1} in the background; {@code clientConfig} adds SASL/SSL and the like. */
    public static OutputTokenSizes connect(String bootstrapServers, String registryUrl, Map<String, Object> clientConfig) {
        final OutputTokenSizes sizes = new OutputTokenSizes();
        sizes.feed = CompactedTopicFeed.start(bootstrapServers, registryUrl, clientConfig, OutputTokenStats.class,
                Topics.OUTPUT_STATS_TOPIC, (feature, stats) -> sizes.onStats(stats), "tokenledger-output-stats-feed");
        return sizes;
    }

    public void onStats(OutputTokenStats stats) {
        if (stats != null) {
            byFeature.put(stats.getFeatureId(), stats);
        }
    }

    /** The feature's p99 output tokens, when at least {@link #MIN_SAMPLES} calls stand behind it. */
    public OptionalLong p99(String featureId) {
        final OutputTokenStats s = featureId == null ? null : byFeature.get(featureId);
        return s == null || s.getSampleCount() < MIN_SAMPLES ? OptionalLong.empty() : OptionalLong.of(s.getP99OutputTokens());
    }

    /** Waits until the stats topic has been read to its end (true), or times out; true at once without a feed. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return !(feed instanceof CompactedTopicFeed<?> f) || f.awaitReady(timeout);
    }

    @Override
    public void close() throws Exception {
        if (feed != null) {
            feed.close();
        }
    }
}
