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

/**
 * A malformed CSV record: the message names the file, where the record is (its line, or for a record
 * whose quoted field spans lines its lines and record number), the column and the value, and what was
 * expected.
 */
public final class CsvFormatException extends IllegalArgumentException {
    private final int line;
    private final String column;
    private final String value;

    /** A problem on one line of {@code source}. */
    public CsvFormatException(String source, int line, String column, String value, String problem) {
        this(source, "line " + line, line, column, value, problem);
    }

    /** A problem in one record of {@code source}, named as {@link CsvRows.Line#where()} says. */
    public CsvFormatException(String source, CsvRows.Line record, String column, String value, String problem) {
        this(source, record.where(), record.number(), column, value, problem);
    }

    private CsvFormatException(String source, String where, int line, String column, String value, String problem) {
        super(source + " " + where + (column == null ? "" : ", column " + column) + ": "
                + (value == null ? "" : "'" + value + "' ") + problem);
        this.line = line;
        this.column = column;
        this.value = value;
    }

    /** The 1-based line the record starts on. */
    public int line() {
        return line;
    }

    public String column() {
        return column;
    }

    public String value() {
        return value;
    }
}
