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
package dev.tokenledger.agent.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental parser for {@code text/event-stream}: feed it lines as they arrive, it returns an event when
 * a blank line completes one. Multi-line {@code data:} fields are joined with newlines, comments
 * ({@code :}) ignored, as in the WHATWG server-sent events format.
 */
public final class SseParser {
    private String eventName;
    private StringBuilder data;

    /** One dispatched event: its {@code event:} name (null if none) and its data. */
    public record SseEvent(String name, String data) {
    }

    /** @return the completed event, or null if the line did not complete one */
    public SseEvent feed(String line) {
        if (line == null) {
            return null;
        }
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventName = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
            }
        }
        return null;
    }

    /** Dispatches a pending event at end of input (a stream may end without a final blank line). */
    public SseEvent finish() {
        return dispatch();
    }

    private SseEvent dispatch() {
        SseEvent ev = data == null ? null : new SseEvent(eventName, data.toString());
        eventName = null;
        data = null;
        return ev;
    }

    /** Parses a whole SSE body. */
    public static List<SseEvent> parseAll(String body) {
        SseParser p = new SseParser();
        List<SseEvent> out = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            SseEvent e = p.feed(line);
            if (e != null) {
                out.add(e);
            }
        }
        SseEvent last = p.finish();
        if (last != null) {
            out.add(last);
        }
        return out;
    }
}
