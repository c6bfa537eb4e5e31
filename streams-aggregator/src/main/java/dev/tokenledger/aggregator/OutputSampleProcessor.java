package dev.tokenledger.aggregator;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage one of the reservation-sizing stats. Input: costed usage keyed by event_id. Each COMPLETED or
 * STREAM_TERMINATED event leaves a (feature, hour, output tokens, input-side tokens) sample in
 * {@link AggregatorTopology#OUTPUT_SAMPLES_STORE}; every flush interval the samples are folded into
 * one {@link TokenHistograms} per feature and hour, forwarded keyed by feature_id, and cleared.
 * FAILED calls are left out: they say nothing about how long an answer is.
 */
final class OutputSampleProcessor implements Processor<String, CostedUsage, String, byte[]> {
    private static final long HOUR_MS = 3_600_000L;
    private final Duration flushInterval;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, String> samples;

    OutputSampleProcessor(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.samples = context.getStateStore(AggregatorTopology.OUTPUT_SAMPLES_STORE);
        if (!flushInterval.isZero()) {
            context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
        }
    }

    @Override
    public void process(Record<String, CostedUsage> record) {
        UsageEvent e = record.value().getEvent();
        if (e.getKind() == UsageKind.FAILED) {
            return;
        }
        long hour = Math.floorDiv(e.getOccurredAt().toEpochMilli(), HOUR_MS) * HOUR_MS;
        long inputSide = e.getInputTokens() + e.getCacheWrite5mTokens() + e.getCacheWrite1hTokens() + e.getCacheReadTokens();
        samples.put(e.getEventId(), hour + "|" + e.getOutputTokens() + "|" + inputSide + "|" + e.getFeatureId());
        if (flushInterval.isZero()) {
            flush();
        }
    }

    private void flush() {
        Map<String, TokenHistograms> byFeatureHour = new HashMap<>();
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, String> it = samples.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                done.add(kv.key);
                String[] parts = kv.value.split("\\|", 4);
                long hour = Long.parseLong(parts[0]);
                byFeatureHour.computeIfAbsent(hour + "|" + parts[3], k -> new TokenHistograms(hour))
                        .record(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            }
        }
        for (String key : done) {
            samples.delete(key);
        }
        long ts = context.currentStreamTimeMs();
        for (Map.Entry<String, TokenHistograms> h : byFeatureHour.entrySet()) {
            String feature = h.getKey().substring(h.getKey().indexOf('|') + 1);
            context.forward(new Record<>(feature, h.getValue().encode(), ts));
        }
    }
}
