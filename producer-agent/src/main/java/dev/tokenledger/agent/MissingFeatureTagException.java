package dev.tokenledger.agent;

/**
 * Thrown when a call is started without a feature tag. Without it the call's cost cannot be attributed
 * to anything, so the agent refuses the call rather than emit an unattributable event.
 */
public final class MissingFeatureTagException extends InvalidTagException {
    public MissingFeatureTagException(String value) {
        super("feature", value, "every LLM call needs a feature tag, e.g. Attribution.feature(\"summarize_email_v2\");"
                + " it names the product feature the cost belongs to");
    }
}
