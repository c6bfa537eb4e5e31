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

import dev.tokenledger.agent.TokenLedger;
import dev.tokenledger.agent.stream.StreamLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The producer-agent configuration the simulated company's services use: environment
 * {@code simulation}, a spool directory, generous default stream limits, and the assistant's tool-call
 * limit (the stream guard cuts the few answers that loop on tools).
 */
public final class SimulatedLedger {
    private SimulatedLedger() {
    }

    public static TokenLedger.Builder builder(Path spoolDir, String bootstrap, String registryUrl) {
        final TokenLedger.Builder builder = TokenLedger.builder()
                .environment("simulation")
                .bootstrapServers(bootstrap)
                .registryUrl(registryUrl)
                .spoolDir(spoolDir)
                .streamLimits(StreamLimits.of(Duration.ofMinutes(5), 1_000));
        for (FeatureProfile f : CompanyWorkload.standardFeatures()) {
            if (f.toolCallLimit() > 0) {
                builder.streamLimits(f.id(), StreamLimits.of(Duration.ofMinutes(5), f.toolCallLimit()));
            }
        }
        return builder;
    }
}
