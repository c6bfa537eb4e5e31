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
