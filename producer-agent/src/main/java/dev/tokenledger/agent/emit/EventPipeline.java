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
package dev.tokenledger.agent.emit;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.UsageKeys;
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
 * The pipeline starts not live: until the drainer's first probe has the topic's metadata, events go to the
 * spool, and the drainer sends them from there. {@link #close(Duration)} keeps both threads at work until
 * everything is delivered or its time-out runs out, so a process that records a few calls and exits at once
 * still delivers them.
 *
 * <p>Event ids are assigned before enqueue and never change, so a re-sent event is recognisable downstream.
 */
public final class EventPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPipeline.class);
    private static final int BATCH = 512;
    private static final long MIN_PARK_NANOS = 1_000_000L;
    private static final long MAX_PARK_NANOS = 20_000_000L;
    /** How long close() waits, past its own time-out, for the sender to spool what it still holds. */
    private static final long SPOOL_REST_MILLIS = 30_000L;
    /**
     * How long close() waits, past its own time-out and the producer's close, for the drainer to come back
     * from the call that closing the producer ended and to release what Kafka acknowledged (local work only).
     */
    private static final long DRAINER_STOP_MILLIS = 2_000L;
    /** While closing, a failed delivery attempt is retried this soon (or per the probe interval if shorter). */
    private static final long CLOSE_RETRY_NANOS = 50_000_000L;

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
    /** Events Kafka acknowledged, sent live or released from the spool: the close log's "sent" figures. */
    private final AtomicLong delivered = new AtomicLong();
    /** Drainer-only: ids Kafka acknowledged while an earlier record of their batch failed (not yet released). */
    private final java.util.Set<String> ackedAhead = new java.util.HashSet<>();
    private final SpoolCodec senderCodec = new SpoolCodec();
    private final SpoolCodec drainerCodec = new SpoolCodec();
    private final Thread sender;
    private final Thread drainer;
    private volatile boolean live;
    /** Set by close(), after {@link #closeDeadlineNanos}: no new events; both threads work until the deadline. */
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;
    /** Set by close() once it stops waiting for delivery (all done, or the deadline): a sender still busy spools the rest. */
    private volatile boolean spoolRest;
    private volatile boolean senderDone;
    private long queueDropsLogged;
    private long lastDropLogNanos;
    private volatile String lastDownReason;

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
            signalDrainer();
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
                producer.send(new ProducerRecord<>(topic, UsageKeys.keyOf(p.event), p.event), (md, ex) -> {
                    if (ex == null) {
                        delivered.incrementAndGet();
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
        toSpool(batch, from, senderCodec);
    }

    /** Appends events to the spool with {@code codec} (one per thread: a codec is not thread-safe). */
    private void toSpool(List<Pending> batch, int from, SpoolCodec codec) {
        List<byte[]> payloads = new ArrayList<>(batch.size() - from);
        for (int i = from; i < batch.size(); i++) {
            payloads.add(codec.encode(batch.get(i).event));
        }
        int written = spool.append(payloads);
        if (written > 0) {
            metrics.spooled(written);
        }
        signalDrainer();
    }

    private void signalDrainer() {
        synchronized (drainerSignal) {
            drainerSignal.notifyAll();
        }
    }

    private void spoolFailed() {
        if (failed.isEmpty()) {
            return;
        }
        // Taken and spooled under one lock: the drainer declares Kafka live only when both the failed list and the spool
        // are empty (under the same lock), so an event is never between the two when it looks. Taken outside the lock,
        // a failed send could reach the spool just after the drainer had gone live, and sit there until the next outage.
        synchronized (liveLock) {
            List<Pending> retry = new ArrayList<>();
            Pending p;
            while ((p = failed.poll()) != null) {
                retry.add(p);
            }
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
        signalDrainer();
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

    /**
     * Until close: probes or drains while not live, and drains the spool whenever it holds anything, live or not
     * (a spooled event is never left for the next outage to pick up). Once closing, it goes on delivering the spool
     * (and what the sender still spools) while Kafka answers, and stops when the sender is done and the spool empty,
     * or at the close deadline; close() waits for it before closing the spool.
     */
    private void runDrainer() {
        long nextAttempt = 0;
        while (true) {
            try {
                if (closing && (closeDeadlinePassed() || (senderDone && spool.isEmpty()))) {
                    return;
                }
                if (live && spool.isEmpty()) {
                    waitSignal(closing ? CLOSE_RETRY_NANOS : TimeUnit.MILLISECONDS.toNanos(200));
                    continue;
                }
                long now = System.nanoTime();
                if (now < nextAttempt) {
                    waitSignal((closing ? Math.min(nextAttempt, closeDeadlineNanos) : nextAttempt) - now);
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
                    nextAttempt = System.nanoTime() + (closing ? Math.min(probeIntervalNanos, CLOSE_RETRY_NANOS) : probeIntervalNanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                if (closing && closeDeadlinePassed()) {
                    // close() ran out of time and may have closed the spool under a drainer stuck past its grace
                    LOG.warn("TokenLedger drainer stopped at close: {}", e.toString());
                    return;
                }
                LOG.error("TokenLedger drainer failed; retrying", e);
                nextAttempt = System.nanoTime() + probeIntervalNanos;
            }
        }
    }

    private boolean closeDeadlinePassed() {
        return System.nanoTime() - closeDeadlineNanos >= 0;
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
            if (closing && closeDeadlinePassed()) {
                return; // the sends the deadline cut off: the close line reports them
            }
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
                f = producer.send(new ProducerRecord<>(topic, UsageKeys.keyOf(event), event));
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

    /** How long to wait for one acknowledgement: the drain time-out, and once closing no later than the deadline. */
    private long ackWaitMillis() {
        if (!closing) {
            return drainAckTimeoutMillis;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(closeDeadlineNanos - System.nanoTime());
        return Math.max(0, Math.min(drainAckTimeoutMillis, left));
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
                    f.get(ackWaitMillis(), TimeUnit.MILLISECONDS);
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
                if (ids.get(i) != null) {
                    delivered.incrementAndGet();
                }
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
     * Stops accepting events and delivers what the pipeline holds (queued, in flight, spooled) for as long as
     * Kafka answers within {@code timeout}; what is not delivered by then is in the spool when close returns,
     * for the next pipeline started on the same directory.
     *
     * <ol>
     *   <li>The sender sends what is queued (or spools it while not live); the drainer goes on draining the
     *       spool, so events spooled because the producer had not connected yet (metadata, schema
     *       registration on the first send) are sent as soon as it has.</li>
     *   <li>When both are done, or at the deadline, the producer is closed with what is left of the time-out:
     *       it flushes what the sender has in flight, and at the deadline aborts what is still pending and
     *       wakes a thread blocked on metadata.</li>
     *   <li>Sends that failed or were aborted are spooled, the drainer is joined, and only then the spool is
     *       closed.</li>
     * </ol>
     * Time past the deadline goes to local work only: the sender spooling what it still holds (a send blocked
     * for {@code max.block.ms}, a slow disk; bounded at 30 s) and the drainer releasing what Kafka acknowledged
     * (bounded at 2 s). Nothing already handed over is lost to the time-out; an event whose acknowledgement
     * the deadline cut off stays in the spool and may reach Kafka twice (consumers dedup on event_id).
     */
    public void close(Duration timeout) {
        if (closing) {
            return;
        }
        long start = System.nanoTime();
        long deliveredBefore = delivered.get();
        long deadline = start + timeout.toNanos();
        closeDeadlineNanos = deadline;
        closing = true;
        LockSupport.unpark(sender);
        signalDrainer();
        boolean interrupted = false;
        try {
            joinUntil(sender, deadline);
            joinUntil(drainer, deadline);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // from here on only what is in flight: a sender still busy spools the rest instead of sending it
        spoolRest = true;
        LockSupport.unpark(sender);
        try {
            producer.close(Duration.ofNanos(interrupted ? 0 : Math.max(0, deadline - System.nanoTime())));
        } catch (RuntimeException e) {
            LOG.warn("Kafka producer close failed: {}", e.toString());
        }
        try {
            sender.join(SPOOL_REST_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (sender.isAlive()) {
            LOG.error("TokenLedger sender still busy {} ms after close timed out; {} queued usage events are spooled without it, the batch it holds "
                    + "may be lost",
                    SPOOL_REST_MILLIS, queue.size());
        }
        // leftovers: events still queued (a sender that timed out) and sends that failed or were aborted on close
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        Pending p;
        while ((p = failed.poll()) != null) {
            rest.add(p);
        }
        if (!rest.isEmpty()) {
            synchronized (liveLock) {
                toSpool(rest, 0, new SpoolCodec());
            }
        }
        try {
            drainer.join(DRAINER_STOP_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (drainer.isAlive()) {
            // not interrupted: an interrupt inside a FileChannel call would close the spool's channel under it
            LOG.warn("TokenLedger drainer still busy {} ms after the close time-out; closing the spool without it "
                    + "(what it is sending stays spooled and may be sent twice)", DRAINER_STOP_MILLIS);
        }
        long pending = spool.pending();
        spool.close();
        logClosed(timeout, start, delivered.get() - deliveredBefore, pending, interrupted);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinUntil(Thread thread, long deadlineNanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.timedJoin(thread, deadlineNanos - System.nanoTime());
    }

    private void logClosed(Duration timeout, long startNanos, long sentDuringClose, long pending, boolean interrupted) {
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (pending == 0) {
            LOG.info("TokenLedger closed in {} ms: {} usage events sent to Kafka during close ({} since start), none left in the spool {}",
                    tookMs, sentDuringClose, delivered.get(), spool.dir());
            return;
        }
        String why = interrupted ? "close was interrupted"
                : System.nanoTime() - closeDeadlineNanos >= 0 ? "the close time-out of " + timeout.toMillis() + " ms ran out"
                : "sends failed while closing";
        String lastError = lastDownReason;
        LOG.warn("TokenLedger closed in {} ms with {} usage events left in the spool {} ({}{}); {} were sent to Kafka during close "
                        + "({} since start). The next agent started on the same spool.dir sends them: a temporary or "
                        + "container-local directory loses them",
                tookMs, pending, spool.dir(), why, lastError == null ? "" : "; last Kafka error: " + lastError,
                sentDuringClose, delivered.get());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
