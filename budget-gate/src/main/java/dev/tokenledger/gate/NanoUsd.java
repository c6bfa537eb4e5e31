package dev.tokenledger.gate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The gate's hot-path unit: USD in nano-dollars (1e-9 USD) as a long, so a check never allocates.
 * Conversions round against the caller (holds and spend up, limits down), so the gate can only
 * be stricter than the exact decimal rule, by at most one nano-dollar per term. Amounts on the
 * wire stay exact decimals.
 */
final class NanoUsd {
    /** Larger than any real limit (9.2 billion USD / 1000): treated as unlimited. */
    static final long UNLIMITED = Long.MAX_VALUE / 1000;
    private static final BigDecimal MAX = BigDecimal.valueOf(UNLIMITED).movePointLeft(9);

    private NanoUsd() {
    }

    static long up(BigDecimal usd) {
        if (usd == null) {
            return 0;
        }
        if (usd.compareTo(MAX) >= 0) {
            return UNLIMITED;
        }
        return usd.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static long down(BigDecimal usd) {
        if (usd == null) {
            return 0;
        }
        if (usd.compareTo(MAX) >= 0) {
            return UNLIMITED;
        }
        return usd.movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    static BigDecimal usd(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd, 9).setScale(12);
    }
}
