package dev.tokenledger.enforcer;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the budget enforcer ({@link EnforcerTopology}): wires config, topology and the KafkaStreams
 * lifecycle. In-process use (quickstart, tests): {@code try (var app = EnforcerApp.start(config)) {...}}.
 */
public final class EnforcerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcerApp.class);
    private final KafkaStreams streams;

    private EnforcerApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Builds and starts the app; returns at once (state RUNNING shortly after). */
    public static EnforcerApp start(EnforcerConfig config) {
        final Topology topology = EnforcerTopology.build(config.topologyOptions(), EnforcerSerdes.create(config.registryConfig()));
        final KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Enforcer stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new EnforcerApp(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        // Leave the group so a restarted instance gets the tasks at once, not after session.timeout.ms.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    /** {@code java ... EnforcerApp enforcer.properties}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        final Properties props = new Properties();
        if (args.length > 0) {
            try (InputStream in = new FileInputStream(args[0])) {
                props.load(in);
            }
        }
        final Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> m.put(String.valueOf(k), v));
        final CountDownLatch stopped = new CountDownLatch(1);
        final EnforcerApp app = start(new EnforcerConfig(m));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "enforcer-shutdown"));
        stopped.await();
    }
}
