package dev.tokenledger.agent.gate;

import dev.tokenledger.avro.BudgetState;
import dev.tokenledger.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background reader of {@code tokenledger.budget-state.v1} into a {@link BudgetGate}: assigns every
 * partition (no consumer group), reads from the beginning (the topic is compacted: the newest state
 * per scope key), then follows it. {@link #awaitReady} returns once the end offsets seen at start
 * have been reached.
 */
public final class BudgetStateFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetStateFeed.class);
    private final Consumer<String, BudgetState> consumer;
    private final BudgetGate gate;
    private final Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile long lastPollMs;

    public BudgetStateFeed(Consumer<String, BudgetState> consumer, BudgetGate gate) {
        this.consumer = consumer;
        this.gate = gate;
        this.thread = new Thread(this::run, "tokenledger-gate-feed-" + gate.gateId());
        this.thread.setDaemon(true);
    }

    public BudgetStateFeed start() {
        thread.start();
        return this;
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Wall-clock ms of the last successful poll (0 before the first). */
    public long lastPollMs() {
        return lastPollMs;
    }

    private void run() {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.BUDGET_STATE_TOPIC, Duration.ofSeconds(30));
            while (running && (infos == null || infos.isEmpty())) {
                infos = consumer.partitionsFor(Topics.BUDGET_STATE_TOPIC, Duration.ofSeconds(30));
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : infos) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                final ConsumerRecords<String, BudgetState> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, BudgetState> r : records) {
                    if (r.key() != null) {
                        gate.onState(r.key(), r.value());
                    }
                }
                lastPollMs = System.currentTimeMillis();
                if (ready.getCount() > 0 && caughtUp(end)) {
                    ready.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Budget state feed woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Budget state feed of gate {} stopped; the gate will treat its state as stale", gate.gateId(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
