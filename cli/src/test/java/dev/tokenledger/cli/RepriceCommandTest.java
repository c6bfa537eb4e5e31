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
package dev.tokenledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** {@code tokenledger reprice} refuses bad options before it connects to anything, naming the option and the value. */
class RepriceCommandTest {

    @Test
    void aBadDateIsRefusedWithTheOptionAndTheValue() {
        final CliRun.Result r = CliRun.run("reprice", "--from", "2026-13-01", "--to", "2026-12-01", "--bootstrap", "127.0.0.1:1");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--from '2026-13-01' is neither a date (YYYY-MM-DD) nor an instant");
    }

    @Test
    void anEmptyOrReversedRangeIsRefused() {
        final CliRun.Result r = CliRun.run("reprice", "--from", "2026-12-01", "--to", "2026-11-01", "--bootstrap", "127.0.0.1:1");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--from (2026-12-01T00:00:00Z) must be before --to (2026-11-01T00:00:00Z)");
    }

    @Test
    void aBadZoneOrANegativeGraceIsRefused() {
        final CliRun.Result zone = CliRun.run("reprice", "--from", "2026-11-01", "--to", "2026-12-01", "--zone", "Mars/Olympus",
                "--bootstrap", "127.0.0.1:1");
        assertThat(zone.code()).isEqualTo(1);
        assertThat(zone.err()).contains("--zone 'Mars/Olympus' is not a time zone");

        final CliRun.Result grace = CliRun.run("reprice", "--from", "2026-11-01", "--to", "2026-12-01", "--window-grace-ms", "-1",
                "--bootstrap", "127.0.0.1:1");
        assertThat(grace.code()).isEqualTo(1);
        assertThat(grace.err()).contains("--window-grace-ms must be zero or more, got -1");
    }

    @Test
    void aMissingRangeIsAUsageError() {
        assertThat(CliRun.run("reprice", "--dry-run").code()).isEqualTo(2);
    }

    @Test
    void deltasPrintSignedToTheHundredthOfACent() {
        assertThat(RepriceCommand.usd(new BigDecimal("54.45"))).isEqualTo("+$54.4500");
        assertThat(RepriceCommand.usd(new BigDecimal("-0.3"))).isEqualTo("-$0.3000");
        assertThat(RepriceCommand.usd(new BigDecimal("1234.5"))).isEqualTo("+$1,234.5000");
    }
}
