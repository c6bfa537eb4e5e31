package dev.tokenledger.agent.emit;

import dev.tokenledger.avro.UsageEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves usage events from the caller's thread to Kafka without ever blocking or failing the caller.
 *
 * <ul>
 *   <li>Caller thread: {@link #emit} only offers to a bounded in-memory queue (no I/O, no Kafka call:
 *       {@code KafkaProducer.send} can block for {@code max.block.ms}). A full queue drops per
 *       {@link DropPolicy}, counted in {@link AgentMetrics#dropped}.</li>
 *   <li>Sender thread: while Kafka is known reachable and the spool is empty ("live"), sends each event
 *       with the idempotent producer, key = feature_id, to {@code topic}; otherwise appends it to the
 *       {@link Spool}. A failed send (exception or callback error) switches to spooling.</li>
 *   <li>Drainer thread: probes Kafka while not live; drains the spool in order (sending a batch, waiting for
 *       every acknowledgement, then releasing it); when the spool is empty switches back to live. New events
 *       keep going to the spool until then, so spooled events are sent before newer ones.</li>
 * </ul>
 * Event ids are assigned before enqueue and never change, so a re-sent event is recognisable downstream.
 */
public final class EventPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPipeline.class);
    private static final int BATCH = 512;
    private static final long MIN_PARK_NANOS = 1_000_000L;
    private static final long MAX_PARK_NANOS = 20_000_000L;
    /** How long close() waits, past its own time-out, for the sender to spool what it still holds. */
    private static final long SPOOL_REST_MILLIS = 30_000L;

    private final String topic;
    private final Producer<String, UsageEvent> producer;
    private final Spool spool;
    private final AgentMetrics metrics;
    private final DropPolicy dropPolicy;
    private final ArrayBlockingQueue<Pending> queue;
    private final ConcurrentLinkedQueue<Pending> failed = new ConcurrentLinkedQueue<>();
    private final long probeIntervalNanos;
    private final long drainAckTimeoutMillis;
    private final Object liveLock = new Object();
    private final Object drainerSignal = new Object();
    private final AtomicLong queueDrops = new AtomicLong();
    /** Drainer-only: ids Kafka acknowledged while an earlier record of their batch failed (not yet released). */
    private final java.util.Set<String> ackedAhead = new java.util.HashSet<>();
    private final SpoolCodec senderCodec = new SpoolCodec();
    private final SpoolCodec drainerCodec = new SpoolCodec();
    private final Thread sender;
    private final Thread drainer;
    private volatile boolean live;
    private volatile boolean closing;
    /** Set by close() when its time-out ran out: the sender spools the rest instead of sending it. */
    private volatile boolean spoolRest;
    private volatile boolean senderDone;
    private long queueDropsLogged;
    private long lastDropLogNanos;
    private String lastDownReason;

    private record Pending(UsageEvent event, long enqueuedNanos) {
    }

    public EventPipeline(String topic, Producer<String, UsageEvent> producer, Spool spool, int queueCapacity,
                         DropPolicy dropPolicy, Duration probeInterval, Duration drainAckTimeout, AgentMetrics metrics) {
        this.topic = Objects.requireNonNull(topic);
        this.producer = Objects.requireNonNull(producer);
        this.spool = Objects.requireNonNull(spool);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.dropPolicy = dropPolicy;
        this.probeIntervalNanos = probeInterval.toNanos();
        this.drainAckTimeoutMillis = drainAckTimeout.toMillis();
        this.metrics = metrics;
        this.sender = new Thread(this::runSender, "tokenledger-sender");
        this.drainer = new Thread(this::runDrainer, "tokenledger-drainer");
        sender.setDaemon(true);
        drainer.setDaemon(true);
        sender.start();
        drainer.start();
    }

    /**
     * Hands an event over. Never blocks, never throws.
     *
     * @return false when the event (or, with DROP_OLDEST, an older one) was dropped
     */
    public boolean emit(UsageEvent event) {
        Pending p = new Pending(event, System.nanoTime());
        if (closing) {
            metrics.dropped("queue", 1);
            queueDrops.incrementAndGet();
            return false;
        }
        if (queue.offer(p)) {
            metrics.queued();
            return true;
        }
        if (dropPolicy == DropPolicy.DROP_NEWEST) {
            metrics.dropped("queue", 1);
            queueDrops.incrementAndGet();
            return false;
        }
        while (!queue.offer(p)) {
            if (queue.poll() != null) {
                metrics.dropped("queue", 1);
                queueDrops.incrementAndGet();
            }
        }
        metrics.queued();
        return false;
    }

    /** True while events go straight to Kafka (reachable, nothing spooled). */
    public boolean isLive() {
        return live;
    }

    public long spooledPending() {
        return spool.pending();
    }

    public int queued() {
        return queue.size();
    }

    // ---------------------------------------------------------------- sender

    private void runSender() {
        List<Pending> batch = new ArrayList<>(BATCH);
        long idleParkNanos = MIN_PARK_NANOS;
        try {
            while (true) {
                // Never block on the queue's condition: a waiting consumer makes every offer() on the caller's
                // thread signal it (a futex wake-up, microseconds). Poll, and park with a growing back-off when
                // idle; usage events tolerate a few milliseconds of batching.
                Pending first = queue.poll();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    idleParkNanos = MIN_PARK_NANOS;
                } else if (!closing) {
                    LockSupport.parkNanos(idleParkNanos);
                    idleParkNanos = Math.min(idleParkNanos * 2, MAX_PARK_NANOS);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                spoolFailed();
                if (!batch.isEmpty()) {
                    process(batch);
                    batch.clear();
                }
                logQueueDrops();
                if (closing && queue.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("TokenLedger sender thread failed; events will be dropped from now on", e);
        } finally {
            senderDone = true;
        }
    }

    private void process(List<Pending> batch) {
        for (int i = 0; i < batch.size(); i++) {
            // checked per event: a failed send (KafkaProducer reports metadata time-outs through the future and
            // the callback, after blocking max.block.ms) flips to spooling for the rest of the batch
            synchronized (liveLock) {
                if (!live || spoolRest) {
                    toSpool(batch, i);
                    return;
                }
            }
            Pending p = batch.get(i);
            try {
                producer.send(new ProducerRecord<>(topic, p.event.getFeatureId(), p.event), (md, ex) -> {
                    if (ex == null) {
                        metrics.sent(System.nanoTime() - p.enqueuedNanos);
                    } else {
                        failed.add(p);
                        markDown(ex);
                    }
                });
            } catch (RuntimeException e) {
                markDown(e);
                synchronized (liveLock) {
                    toSpool(batch, i);
                }
                return;
            }
        }
    }

    private void toSpool(List<Pending> batch, int from) {
        List<byte[]> payloads = new ArrayList<>(batch.size() - from);
        for (int i = from; i < batch.size(); i++) {
            payloads.add(senderCodec.encode(batch.get(i).event));
        }
        int written = spool.append(payloads);
        if (written > 0) {
            metrics.spooled(written);
        }
        synchronized (drainerSignal) {
            drainerSignal.notifyAll();
        }
    }

    private void spoolFailed() {
        if (failed.isEmpty()) {
            return;
        }
        List<Pending> retry = new ArrayList<>();
        Pending p;
        while ((p = failed.poll()) != null) {
            retry.add(p);
        }
        synchronized (liveLock) {
            toSpool(retry, 0);
        }
    }

    private void markDown(Exception cause) {
        synchronized (liveLock) {
            if (live) {
                live = false;
                lastDownReason = cause.toString();
                LOG.warn("Kafka unreachable ({}); spooling usage events to disk until it is back", lastDownReason);
            }
        }
        synchronized (drainerSignal) {
            drainerSignal.notifyAll();
        }
    }

    private void logQueueDrops() {
        long drops = queueDrops.get();
        if (drops != queueDropsLogged) {
            long now = System.nanoTime();
            if (now - lastDropLogNanos > 1_000_000_000L) {
                LOG.error("TokenLedger queue full (capacity {}, policy {}): {} usage events dropped so far",
                        queue.remainingCapacity() + queue.size(), dropPolicy, drops);
                queueDropsLogged = drops;
                lastDropLogNanos = now;
            }
        }
    }

    // ---------------------------------------------------------------- drainer

    private void runDrainer() {
        long nextAttempt = 0;
        while (!closing) {
            try {
                if (live) {
                    waitSignal(TimeUnit.MILLISECONDS.toNanos(200));
                    continue;
                }
                if (System.nanoTime() < nextAttempt) {
                    waitSignal(nextAttempt - System.nanoTime());
                    continue;
                }
                boolean ok = spool.isEmpty() && failed.isEmpty() ? probe() : drainOnce();
                if (ok) {
                    synchronized (liveLock) {
                        if (spool.isEmpty() && failed.isEmpty() && !live) {
                            live = true;
                            LOG.info("Kafka reachable: sending usage events directly");
                        }
                    }
                    nextAttempt = 0;
                } else {
                    nextAttempt = System.nanoTime() + probeIntervalNanos;
                }
                if (closing) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("TokenLedger drainer failed; retrying", e);
                nextAttempt = System.nanoTime() + probeIntervalNanos;
            }
        }
    }

    private void waitSignal(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        synchronized (drainerSignal) {
            TimeUnit.NANOSECONDS.timedWait(drainerSignal, nanos);
        }
    }

    private boolean probe() {
        try {
            producer.partitionsFor(topic);
            return true;
        } catch (RuntimeException e) {
            logDown(e);
            return false;
        }
    }

    private void logDown(Exception e) {
        String reason = e.toString();
        if (!reason.equals(lastDownReason)) {
            lastDownReason = reason;
            LOG.warn("Kafka not reachable yet ({}); {} usage events spooled", reason, spool.pending());
        }
    }

    /** Sends one spool batch and releases what Kafka acknowledged, in order. True when it all went. */
    private boolean drainOnce() throws InterruptedException {
        List<Spool.Entry> entries = spool.read(BATCH);
        if (entries.isEmpty()) {
            spool.rewind();
            return spool.isEmpty();
        }
        List<Future<?>> acks = new ArrayList<>(entries.size());
        List<String> ids = new ArrayList<>(entries.size());
        long start = System.nanoTime();
        for (Spool.Entry entry : entries) {
            UsageEvent event;
            try {
                event = drainerCodec.decode(entry.payload());
            } catch (IllegalArgumentException e) {
                LOG.error("Usage spool: dropping an undecodable record: {}", e.getMessage());
                metrics.dropped("spool", 1);
                acks.add(null);
                ids.add(null);
                continue;
            }
            ids.add(event.getEventId());
            if (ackedAhead.remove(event.getEventId())) {
                // Kafka already has it (acknowledged after an earlier failure in its batch): do not send it twice
                acks.add(null);
                continue;
            }
            Future<?> f;
            try {
                f = producer.send(new ProducerRecord<>(topic, event.getFeatureId(), event));
            } catch (RuntimeException e) {
                logDown(e);
                break;
            }
            acks.add(f);
            // KafkaProducer returns an already-failed future when metadata did not arrive within max.block.ms:
            // stop here rather than block again for every remaining record of the batch
            if (f.isDone() && failedNow(f)) {
                break;
            }
        }
        return commitAcknowledged(entries, acks, ids, start);
    }

    private boolean failedNow(Future<?> f) throws InterruptedException {
        try {
            f.get();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            logDown(e.getCause() instanceof Exception c ? c : e);
            return true;
        }
    }

    /**
     * Waits for every send of the batch, releases the acknowledged prefix from the spool and remembers the ids
     * acknowledged after the first failure, so the retry from the failure skips them (no duplicate in Kafka
     * within this process; after a crash they may be sent again, and consumers dedup on event_id).
     */
    private boolean commitAcknowledged(List<Spool.Entry> entries, List<Future<?>> acks, List<String> ids, long start)
            throws InterruptedException {
        int firstFailure = -1;
        for (int i = 0; i < acks.size(); i++) {
            Future<?> f = acks.get(i);
            boolean ok = true;
            if (f != null) {
                try {
                    f.get(drainAckTimeoutMillis, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (firstFailure < 0) {
                        logDown(e.getCause() instanceof Exception c ? c : e);
                    }
                    ok = false;
                }
            }
            if (!ok && firstFailure < 0) {
                firstFailure = i;
            } else if (ok && firstFailure >= 0 && f != null && ids.get(i) != null) {
                ackedAhead.add(ids.get(i));
            }
        }
        int committed = firstFailure < 0 ? acks.size() : firstFailure;
        if (committed > 0) {
            spool.commit(entries.get(committed - 1).next(), committed);
            metrics.drained(committed);
            long elapsed = System.nanoTime() - start;
            for (int i = 0; i < committed; i++) {
                if (acks.get(i) != null) {
                    metrics.sent(elapsed);
                }
            }
        }
        if (committed < entries.size()) {
            spool.rewind();
            return false;
        }
        return true;
    }

    /**
     * Stops accepting events, sends (or spools) what is queued, waits up to {@code timeout} for Kafka to
     * acknowledge in-flight events, spools whatever was not acknowledged, and closes the spool.
     *
     * <p>Nothing already handed over is lost to the time-out: when it runs out with the sender still busy
     * (a send blocked for {@code max.block.ms}, a slow disk), the sender spools the rest of what it holds
     * and what is queued, and close waits for that (local disk only, bounded at 30 s) before closing the spool.
     */
    public void close(Duration timeout) {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(sender);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            sender.join(Math.max(1, timeout.toMillis()));
            if (sender.isAlive()) {
                spoolRest = true;
                LockSupport.unpark(sender);
                sender.join(SPOOL_REST_MILLIS);
                if (sender.isAlive()) {
                    LOG.error("TokenLedger sender still busy {} ms after close timed out; {} queued usage events are spooled without it, the batch it holds may be lost",
                            SPOOL_REST_MILLIS, queue.size());
                }
            }
            synchronized (drainerSignal) {
                drainerSignal.notifyAll();
            }
            drainer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (RuntimeException e) {
            LOG.warn("Kafka producer close failed: {}", e.toString());
        }
        if (drainer.isAlive()) {
            drainer.interrupt();
        }
        // leftovers: events still queued (sender timed out) and sends that failed on close
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        Pending p;
        while ((p = failed.poll()) != null) {
            rest.add(p);
        }
        if (!rest.isEmpty()) {
            synchronized (liveLock) {
                toSpool(rest, 0);
            }
        }
        long pending = spool.pending();
        spool.close();
        if (pending > 0) {
            LOG.info("TokenLedger closed with {} usage events spooled; they are sent by the next agent started on the same spool.dir", pending);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
