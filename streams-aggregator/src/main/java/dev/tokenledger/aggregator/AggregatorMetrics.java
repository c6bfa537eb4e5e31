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
