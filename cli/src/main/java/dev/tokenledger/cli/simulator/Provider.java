package dev.tokenledger.cli.simulator;

/** The providers the simulated company calls, with the id TokenLedger events carry. */
public enum Provider {
    ANTHROPIC("anthropic"),
    OPENAI("openai");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    /** The provider id as it appears on usage events and in the price catalog. */
    public String id() {
        return id;
    }
}
