package dev.tokenledger.pricing;

import java.math.BigDecimal;

/**
 * The cost of one token class in one request.
 *
 * @param tokenClass canonical class name ({@link TokenClass}) or an other class name
 * @param tokens tokens in the class
 * @param ratePerMtok effective rate applied, USD per million tokens, after the long-context tier and
 *     every multiplier (scale 12)
 * @param costUsd {@code tokens x ratePerMtok / 1e6}, exact at scale 12
 */
public record ClassCost(String tokenClass, long tokens, BigDecimal ratePerMtok, BigDecimal costUsd) {
}
