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

import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.LeaseRequest;
import dev.tokenledger.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gate's records from a background thread: the caller only offers to a bounded queue
 * (never {@code Producer.send}, which can block for max.block.ms). When the queue is full the
 * record is dropped and counted: a dropped lease request only delays a grant (the next request
 * carries the same cumulative totals), a dropped decision loses one audit record.
 */
public final class KafkaGateRecordSink implements GateRecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaGateRecordSink.class);
    private final Producer<String, SpecificRecord> producer;
    private final BlockingQueue<ProducerRecord<String, SpecificRecord>> queue;
    /** Lease requests, sent before any decision and never dropped. */
    private final java.util.concurrent.ConcurrentLinkedQueue<ProducerRecord<String, SpecificRecord>> requests =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Put on the decision queue to wake the sender for a lease request; never sent. */
    private static final ProducerRecord<String, SpecificRecord> WAKE_UP = new ProducerRecord<>("wake-up", null);
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    public KafkaGateRecordSink(Producer<String, SpecificRecord> producer, int capacity, String gateId) {
        this.producer = producer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "tokenledger-gate-sink-" + gateId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Never dropped: a lease request is small and rare, and a lost one is a call waiting for nothing. */
    @Override
    public void leaseRequest(LeaseRequest r) {
        requests.add(new ProducerRecord<>(Topics.LEASE_REQUESTS_TOPIC, r.getScopeKey(), r));
        // wake the sender if it is waiting on an empty queue of decisions
        queue.offer(WAKE_UP);
    }

    @Override
    public void decision(BudgetDecision d) {
        offer(new ProducerRecord<>(Topics.BUDGET_DECISIONS_TOPIC, d.getScopeKey(), d));
    }

    private void offer(ProducerRecord<String, SpecificRecord> record) {
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    private void run() {
        while (running || !queue.isEmpty() || !requests.isEmpty()) {
            try {
                ProducerRecord<String, SpecificRecord> request;
                while ((request = requests.poll()) != null) {
                    send(request);
                }
                final ProducerRecord<String, SpecificRecord> r = queue.poll(100, TimeUnit.MILLISECONDS);
                if (r == null || r == WAKE_UP) {
                    continue;
                }
                send(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (KafkaException e) {
                failed.incrementAndGet();
                LOG.warn("Gate record could not be sent: {}", e.toString());
            }
        }
    }

    private void send(ProducerRecord<String, SpecificRecord> r) {
        producer.send(r, (md, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                LOG.warn("Gate record to {} failed: {}", r.topic(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
