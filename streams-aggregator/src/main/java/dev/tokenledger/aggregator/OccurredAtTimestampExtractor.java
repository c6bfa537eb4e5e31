package dev.tokenledger.aggregator;

import dev.tokenledger.avro.UsageEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a usage record is its {@code occurred_at} (when the call finished), not when the
 * record reached Kafka: an event spooled by an offline producer still lands in the window it
 * happened in. Anything else falls back to the record timestamp.
 */
public final class OccurredAtTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof UsageEvent) {
            return ((UsageEvent) record.value()).getOccurredAt().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
