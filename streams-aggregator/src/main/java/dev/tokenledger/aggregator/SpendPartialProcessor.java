package dev.tokenledger.aggregator;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Stage one of the two-stage aggregation (the skew answer). Input: costed usage keyed by event_id,
 * spread evenly over partitions whatever the feature. Each event is folded into a per-partition
 * partial sum per (event-time minute, dimension value) in {@link AggregatorTopology#SPEND_PENDING_STORE};
 * every {@code spend.flush.interval.ms} of wall-clock time the partials are rolled up into their
 * MINUTE / HOUR / DAY / MONTH windows and forwarded keyed by {@code DIMENSION|dimension_key} to the
 * merge stage, then cleared. A feature carrying 80 % of the events therefore costs the merge stage
 * one record per partition and window per interval, not one per event.
 *
 * <p>Lateness: a window whose end plus the grace period is not after stream time is closed; the
 * event's partial for it is dropped (and counted in {@link #lateDropped()}). Stream time is read at
 * flush, at most one flush interval after arrival.
 */
final class SpendPartialProcessor implements Processor<String, CostedUsage, String, SpendAggregate> {
    private static final long MINUTE_MS = 60_000L;

    private final SpendWindows windows;
    private final long graceMs;
    private final Duration flushInterval;
    private ProcessorContext<String, SpendAggregate> context;
    private KeyValueStore<String, SpendAggregate> pending;
    private long lateDropped;

    SpendPartialProcessor(SpendWindows windows, Duration grace, Duration flushInterval) {
        this.windows = windows;
        this.graceMs = grace.toMillis();
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, SpendAggregate> context) {
        this.context = context;
        this.pending = context.getStateStore(AggregatorTopology.SPEND_PENDING_STORE);
        if (!flushInterval.isZero()) {
            context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
        }
    }

    @Override
    public void process(Record<String, CostedUsage> record) {
        CostedUsage costed = record.value();
        long occurred = costed.getEvent().getOccurredAt().toEpochMilli();
        long minute = Math.floorDiv(occurred, MINUTE_MS) * MINUTE_MS;
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String zone = windows.zone().getId();
        for (Map.Entry<SpendDimension, String> dim : SpendDimensions.keysOf(costed.getEvent()).entrySet()) {
            String key = minute + "|" + SpendDimensions.storeKey(dim.getKey(), dim.getValue());
            SpendAggregate current = pending.get(key);
            if (current == null) {
                current = SpendMath.empty(dim.getKey(), dim.getValue(), SpendWindow.MINUTE, minute, minute + MINUTE_MS, zone);
            }
            pending.put(key, SpendMath.add(current, costed, now));
        }
        if (flushInterval.isZero()) {
            flush();
        }
    }

    /** Partials dropped because their window had closed (end + grace not after stream time). */
    long lateDropped() {
        return lateDropped;
    }

    private void flush() {
        long streamTime = context.currentStreamTimeMs();
        Map<String, SpendAggregate> rolled = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, SpendAggregate> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, SpendAggregate> kv = it.next();
                done.add(kv.key);
                SpendAggregate minutePartial = kv.value;
                long minute = minutePartial.getWindowStart().toEpochMilli();
                for (SpendWindow w : SpendDimensions.tumblingWindows(minutePartial.getDimension())) {
                    long start = windows.start(w, minute);
                    long end = windows.end(w, minute);
                    if (end + graceMs <= streamTime) {
                        lateDropped++;
                        continue;
                    }
                    SpendAggregate asWindow = SpendAggregate.newBuilder(minutePartial).setWindow(w)
                            .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end)).build();
                    rolled.merge(w.name() + '|' + start + '|'
                                    + SpendDimensions.storeKey(minutePartial.getDimension(), minutePartial.getDimensionKey()),
                            asWindow, SpendMath::merge);
                }
            }
        }
        for (String key : done) {
            pending.delete(key);
        }
        for (SpendAggregate partial : rolled.values()) {
            context.forward(new Record<>(SpendDimensions.storeKey(partial.getDimension(), partial.getDimensionKey()),
                    partial, streamTime));
        }
    }
}
