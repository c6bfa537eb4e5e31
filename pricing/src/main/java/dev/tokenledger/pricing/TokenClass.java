package dev.tokenledger.pricing;

import java.util.List;

/**
 * Names of the canonical, disjoint token classes. Their token counts add up to what the provider
 * billed; reasoning tokens are part of {@link #OUTPUT} and are never priced on their own. Any other
 * billed class (audio_input, image_input, ...) is a named "other" class priced from
 * {@code PriceEntry.other_rates}.
 */
public final class TokenClass {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String CACHE_WRITE_5M = "cache_write_5m";
    public static final String CACHE_WRITE_1H = "cache_write_1h";
    public static final String CACHE_READ = "cache_read";

    /** The canonical classes in presentation order. */
    public static final List<String> CANONICAL = List.of(INPUT, OUTPUT, CACHE_WRITE_5M, CACHE_WRITE_1H, CACHE_READ);

    private TokenClass() {
    }
}
