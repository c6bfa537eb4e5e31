package dev.tokenledger.pricing;

/**
 * A usage event the aggregator (and the budget enforcer) refuses. Thrown by the validating processors and turned into a
 * dead-letter record (original bytes and headers plus the reason) by {@link UsageDeadLetterHandler}.
 */
public final class InvalidUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final DeadLetterReason reason;

    public InvalidUsageException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
