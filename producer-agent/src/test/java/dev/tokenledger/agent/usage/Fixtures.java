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
