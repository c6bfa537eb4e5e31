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

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads recorded-shape provider fixtures from src/test/resources/fixtures and replays streams. */
public final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    public static String read(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds an SSE fixture (or a JSON-lines one) to a fresh accumulator. */
    public static StreamUsageAccumulator replay(ProviderApi api, String path) {
        StreamUsageAccumulator acc = api.newStreamAccumulator();
        String body = read(path);
        try {
            if (path.endsWith(".jsonl")) {
                for (String line : body.split("\n")) {
                    if (!line.isBlank()) {
                        acc.accept(null, MAPPER.readTree(line));
                    }
                }
            } else {
                for (SseParser.SseEvent ev : SseParser.parseAll(body)) {
                    if (!"[DONE]".equals(ev.data())) {
                        acc.accept(ev.name(), MAPPER.readTree(ev.data()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return acc;
    }
}
