package dev.tokenledger.cli.simulator;

/**
 * One server-sent event as a provider streams it.
 *
 * @param event the {@code event:} field (Anthropic names every event; OpenAI sends none: null)
 * @param data  the {@code data:} payload (JSON, or {@code [DONE]})
 */
public record SseEvent(String event, String data) {

    /** The event as it appears on the wire, terminated by a blank line. */
    public String toWire() {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    }
}
