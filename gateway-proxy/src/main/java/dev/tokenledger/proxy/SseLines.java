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
package dev.tokenledger.proxy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} body, arriving in chunks cut anywhere, into lines for the stream guard,
 * while the chunks themselves go to the client untouched. Only the unfinished last line is kept, and at most
 * {@link #MAX_LINE_BYTES} of it, so a stream's memory stays bounded however long it runs.
 */
final class SseLines {
    /** Longest line kept: far above any provider event (a few KB), far below what could exhaust the heap. */
    static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

    private Buffer pending = Buffer.buffer();

    /** A line longer than {@link #MAX_LINE_BYTES}: the stream is treated as broken. */
    static final class LineTooLongException extends IllegalStateException {
        LineTooLongException() {
            super("stream_line_too_long: an SSE line exceeded " + MAX_LINE_BYTES + " bytes");
        }
    }

    /** Feeds a chunk; calls {@code line} with each completed line (without its CR/LF). */
    void feed(Buffer chunk, Consumer<String> line) {
        int from = 0;
        final int n = chunk.length();
        for (int i = 0; i < n; i++) {
            if (chunk.getByte(i) == '\n') {
                final String text;
                if (pending.length() > 0) {
                    pending.appendBuffer(chunk, from, i - from);
                    text = strip(pending.toString(StandardCharsets.UTF_8));
                    pending = Buffer.buffer();
                } else {
                    text = strip(chunk.getString(from, i, "UTF-8"));
                }
                line.accept(text);
                from = i + 1;
            }
        }
        if (from < n) {
            if (pending.length() + n - from > MAX_LINE_BYTES) {
                throw new LineTooLongException();
            }
            pending.appendBuffer(chunk, from, n - from);
        }
    }

    private static String strip(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
