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

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The aggregator's own Kafka Streams metrics (JMX group {@code stream-tokenledger-metrics}, tagged
 * with the thread and the task): {@value #SPEND_LATE}-total / -rate counts window updates skipped
 * because the window had closed (later than the grace period); {@value #UNPRICED}-total / -rate
 * counts events no price entry covered (priced at $0 and flagged UNPRICED).
 */
final class AggregatorMetrics {
    static final String SCOPE = "tokenledger";
    static final String SPEND_LATE = "spend-late";
    static final String UNPRICED = "unpriced-events";

    private AggregatorMetrics() {
    }

    /** A rate + total sensor of this task. */
    static Sensor sensor(ProcessorContext<?, ?> context, String operation) {
        return context.metrics().addRateTotalSensor(SCOPE, "task-" + context.taskId(), operation, Sensor.RecordingLevel.INFO);
    }
}
