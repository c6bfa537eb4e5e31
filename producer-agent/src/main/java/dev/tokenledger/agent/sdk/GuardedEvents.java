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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenledger.agent.LedgerCall;
import dev.tokenledger.agent.stream.StreamGuard;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The events of an SDK stream, passed through a {@link StreamGuard}: each event is re-serialized with the
 * SDK's own JSON mapper (the wire shape the guard's extractors read) and fed to the guard; iteration stops
 * when the guard cuts. End of the stream completes the call; an exception while reading records
 * UPSTREAM_ERROR; closing before the end records CLIENT_CANCEL.
 */
final class GuardedEvents<T> implements AutoCloseable {
    private final Stream<T> source;
    private final AutoCloseable upstream;
    private final LedgerCall call;
    private final StreamGuard guard;
    private final ObjectMapper sdkMapper;

    GuardedEvents(Stream<T> source, AutoCloseable upstream, LedgerCall call, StreamGuard guard, ObjectMapper sdkMapper) {
        this.source = source;
        this.upstream = upstream;
        this.call = call;
        this.guard = guard;
        this.sdkMapper = sdkMapper;
        guard.onCut(this::closeUpstreamQuietly);
    }

    StreamGuard guard() {
        return guard;
    }

    Stream<T> stream() {
        Iterator<T> it = source.iterator();
        Iterator<T> guarded = new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (guard.isEnded()) {
                    return false;
                }
                try {
                    if (!it.hasNext()) {
                        guard.complete();
                        return false;
                    }
                    T event = it.next();
                    String json;
                    try {
                        json = sdkMapper.writeValueAsString(event);
                    } catch (JsonProcessingException e) {
                        guard.upstreamError("unserializable_sdk_event: " + e.getOriginalMessage());
                        return false;
                    }
                    if (guard.onEvent(null, json) == StreamGuard.Decision.CUT) {
                        return false; // the event that crossed a limit is not handed to the caller
                    }
                    next = event;
                    return true;
                } catch (RuntimeException e) {
                    guard.upstreamError(e);
                    throw e;
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T e = next;
                next = null;
                return e;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(guarded, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    private void closeUpstreamQuietly() {
        try {
            upstream.close();
        } catch (Exception ignored) {
            // the stream is being cut; a failing close changes nothing for the accounting
        }
    }

    @Override
    public void close() {
        if (!guard.isEnded()) {
            guard.cancel();
        }
        closeUpstreamQuietly();
        call.close();
    }
}
