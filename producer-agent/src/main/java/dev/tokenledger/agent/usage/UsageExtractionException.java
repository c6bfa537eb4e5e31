package dev.tokenledger.agent.usage;

/** A provider response could not be read: not JSON, no usage block, or a field with an impossible value. */
public final class UsageExtractionException extends RuntimeException {
    public UsageExtractionException(String message) {
        super(message);
    }

    public UsageExtractionException(String message, Throwable cause) {
        super(message, cause);
    }
}
