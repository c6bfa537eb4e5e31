package dev.tokenledger.sink;

/** Plugin version reported to Connect. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }
}
