package dev.tokenledger.agent.sdk;

import dev.tokenledger.agent.stream.StreamGuard;
import java.util.stream.Stream;

/**
 * An SDK event stream behind the ledger's {@link StreamGuard}. Use it with try-with-resources:
 * <pre>{@code
 * try (GuardedStream<RawMessageStreamEvent> s = claude.messages().createStreaming(attribution, params)) {
 *     s.stream().forEach(this::render);
 * }
 * }</pre>
 */
public final class GuardedStream<T> implements AutoCloseable {
    private final GuardedEvents<T> events;

    GuardedStream(GuardedEvents<T> events) {
        this.events = events;
    }

    /** The events, until the provider ends the stream or the guard cuts it. Call once. */
    public Stream<T> stream() {
        return events.stream();
    }

    /** The guard: its termination reason after a cut, and the hook the budget gate calls. */
    public StreamGuard guard() {
        return events.guard();
    }

    /** Ends the call: CLIENT_CANCEL if the stream was not read to its end. */
    @Override
    public void close() {
        events.close();
    }
}
