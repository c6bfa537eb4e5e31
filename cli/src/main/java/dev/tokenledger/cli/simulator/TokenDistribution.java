/*
 * Copyright 2026 The TokenLedger authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.tokenledger.cli.simulator;

import java.util.SplittableRandom;

/**
 * A per-feature token count: log-normal around a median (real prompt and completion lengths are
 * right-skewed), clamped to [min, max]. Sampling uses only the caller's seeded random source, so a
 * seed always yields the same counts.
 *
 * @param median the median token count
 * @param spread the log-space standard deviation (0 = always the median)
 * @param min    the smallest count drawn
 * @param max    the largest count drawn
 */
public record TokenDistribution(long median, double spread, long min, long max) {

    public TokenDistribution {
        if (median < 0 || min < 0 || min > max || median < min || median > max) {
            throw new IllegalArgumentException("Invalid token distribution: median=" + median + ", min=" + min + ", max=" + max);
        }
        if (spread < 0) {
            throw new IllegalArgumentException("Invalid token distribution spread " + spread + ": must be >= 0");
        }
    }

    /** A distribution with the given median, a moderate spread and a 1/8x..4x-median range. */
    public static TokenDistribution around(long median) {
        return new TokenDistribution(median, 0.45, Math.max(1, median / 8), Math.max(1, median * 4));
    }

    /** Always {@code tokens}. */
    public static TokenDistribution fixed(long tokens) {
        return new TokenDistribution(tokens, 0, tokens, tokens);
    }

    /** Draws one count. */
    public long sample(SplittableRandom random) {
        if (spread == 0 || median == 0) {
            return median;
        }
        final double gaussian = gaussian(random);
        final long value = Math.round(median * Math.exp(spread * gaussian));
        return Math.max(min, Math.min(max, value));
    }

    /** Box-Muller from the seeded source (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom random) {
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
