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
package dev.tokenledger.sink.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 edge cases of the telemetry CSV reader, and how its errors name the file, line and record. */
class CsvRowsTest {
    private static final List<String> COLUMNS = List.of("name", "note");

    private static List<CsvRows.Line> read(String csv) throws Exception {
        return CsvRows.read(new StringReader(csv), "t.csv", COLUMNS);
    }

    @Test
    void aQuotedFieldMayHoldLineBreaksAndTheNextRecordKeepsItsLineNumber() throws Exception {
        List<CsvRows.Line> lines = read("name,note\na,\"first line\nsecond line\"\nb,plain\n");
        assertThat(lines).extracting(CsvRows.Line::values)
                .containsExactly(List.of("a", "first line\nsecond line"), List.of("b", "plain"));
        assertThat(lines.get(0).number()).isEqualTo(2);
        assertThat(lines.get(0).lastLine()).isEqualTo(3);
        assertThat(lines.get(0).where()).isEqualTo("lines 2-3 (record 2)");
        assertThat(lines.get(1).number()).isEqualTo(4);
        assertThat(lines.get(1).record()).isEqualTo(3);
        assertThat(lines.get(1).where()).isEqualTo("line 4");
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsDropped() throws Exception {
        assertThat(read("\uFEFFname,note\na,b\n")).extracting(CsvRows.Line::values).containsExactly(List.of("a", "b"));
        assertThat(read("\uFEFF# exported\nNote,Name\nb,a\n")).extracting(CsvRows.Line::values).containsExactly(List.of("a", "b"));
    }

    @Test
    void crlfLineEndsAreLineEndsAndStayInsideQuotedFields() throws Exception {
        List<CsvRows.Line> lines = read("name,note\r\na,b\r\n\r\nc,\"d\r\ne\"\r\nf,g");
        assertThat(lines).extracting(CsvRows.Line::values)
                .containsExactly(List.of("a", "b"), List.of("c", "d\r\ne"), List.of("f", "g"));
        assertThat(lines).extracting(CsvRows.Line::number).containsExactly(2, 4, 6);
    }

    @Test
    void aDoubledQuoteInsideAQuotedFieldIsOneQuote() throws Exception {
        assertThat(read("name,note\n\"say \"\"hi\"\", then go\",  \" padded \"  \nx\"y,z\n")).extracting(CsvRows.Line::values)
                .containsExactly(List.of("say \"hi\", then go", "padded"), List.of("x\"y", "z"));
    }

    @Test
    void aMalformedRecordSpanningLinesIsNamedByItsLinesAndRecordNumber() {
        CsvFormatException e = catchThrowableOfType(CsvFormatException.class,
                () -> read("name,note\n# a comment\n\na,\"one\ntwo\"\nb,\"x\",\"extra\nmore\"\n"));
        assertThat(e).hasMessage("t.csv lines 6-7 (record 3): 'b,\"x\",\"extra\nmore\"' has 3 fields, the header has 2 (name,note)");
        assertThat(e.line()).isEqualTo(6);
    }

    @Test
    void brokenQuotingIsNamedByTheLineTheRecordStartsOn() {
        assertThatThrownBy(() -> read("name,note\na,b\n\nc,\"never closed\nd,e\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("t.csv line 4: 'c,\"never closed' has an unterminated quoted field");
        assertThatThrownBy(() -> read("name,note\na,\"quoted\"tail\n"))
                .hasMessage("t.csv line 2: 'a,\"quoted\"tail' has text after a closing quote: inside a quoted field write a quote as two (\"\")");
    }
}
