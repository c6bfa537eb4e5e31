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

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a small CSV file (RFC 4180, parsed by Apache Commons CSV: comma separated, double-quoted
 * fields that may hold commas, line breaks and {@code ""} escapes; LF or CRLF line ends; a UTF-8 byte
 * order mark at the start is dropped) whose first record is a header naming exactly the expected
 * columns, in any order and any case. Blank lines and lines starting with '#' are skipped; values
 * are trimmed. Errors name the file and the line the record starts on (and the record number when
 * a quoted field makes the record span lines).
 */
public final class CsvRows {
    private static final String BOM = "\uFEFF";
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setCommentMarker('#')
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();

    /**
     * One data record: the 1-based line it starts on and the line it ends on, its 1-based record
     * number (the header is record 1; blank and comment lines are not records), and its values in
     * expected-column order.
     */
    public record Line(int number, int lastLine, int record, List<String> values) {
        public String get(int column) {
            return values.get(column);
        }

        /** "line 3", or for a record spanning lines "lines 3-4 (record 2)". */
        public String where() {
            return lastLine == number ? "line " + number : "lines " + number + "-" + lastLine + " (record " + record + ")";
        }
    }

    private CsvRows() {
    }

    /** Reads every record of {@code in}; {@code source} names the file in errors. */
    public static List<Line> read(Reader in, String source, List<String> expectedColumns) throws IOException {
        return read(in, source, expectedColumns, false);
    }

    /**
     * Reads a wide export of which only {@code columns} matter: the header must name each of them, other columns
     * are ignored; a header name matches with '.' and '_' taken as the same ({@code service.description} as
     * exported, {@code service_description} as a SQL alias must spell it).
     */
    public static List<Line> readColumns(Reader in, String source, List<String> columns) throws IOException {
        return read(in, source, columns, true);
    }

    private static List<Line> read(Reader in, String source, List<String> expectedColumns, boolean others) throws IOException {
        StringWriter buffer = new StringWriter();
        in.transferTo(buffer);
        String text = buffer.toString();
        if (text.startsWith(BOM)) {
            text = text.substring(BOM.length());
        }
        String[] rawLines = text.split("\r\n|\r|\n", -1);
        List<Line> lines = new ArrayList<>();
        int[] positions = null;
        int width = 0;
        int records = 0;
        int lastLine = 0;
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(FORMAT).get()) {
            for (CSVRecord csv : parser) {
                int end = (int) parser.getCurrentLineNumber();
                int start = end - lineBreaks(csv);
                lastLine = end;
                List<String> fields = csv.toList();
                if (fields.size() == 1 && fields.get(0).isBlank()) {
                    continue; // a line of spaces
                }
                records++;
                if (positions == null) {
                    positions = header(fields, source, start, expectedColumns, others);
                    width = fields.size();
                    continue;
                }
                Line where = new Line(start, end, records, List.of());
                if (fields.size() != (others ? width : positions.length)) {
                    throw new CsvFormatException(source, where, null, raw(rawLines, start, end), "has " + fields.size()
                            + " fields, the header has " + (others ? width : positions.length) + " (" + String.join(",", expectedColumns)
                            + (others ? ", ..." : "") + ")");
                }
                List<String> values = new ArrayList<>();
                for (int position : positions) {
                    values.add(fields.get(position).trim());
                }
                lines.add(new Line(start, end, records, List.copyOf(values)));
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException malformed) {
                int start = nextRecordLine(rawLines, lastLine);
                throw new CsvFormatException(source, start, null, rawLines[start - 1], problem(malformed));
            }
            throw e;
        }
        if (positions == null) {
            throw new CsvFormatException(source, 1, null, "", "is empty: expected a header line " + String.join(",", expectedColumns));
        }
        return lines;
    }

    private static int[] header(List<String> fields, String source, int number, List<String> expected, boolean others) {
        List<String> names = fields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).map(n -> others ? n.replace('.', '_') : n).toList();
        int[] positions = new int[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            positions[i] = names.indexOf(others ? expected.get(i).replace('.', '_') : expected.get(i));
            if (positions[i] < 0) {
                throw new CsvFormatException(source, number, expected.get(i), String.join(",", fields),
                        "header lacks column '" + expected.get(i) + "': expected " + String.join(",", expected));
            }
        }
        if (!others && names.size() != expected.size()) {
            List<String> extra = names.stream().filter(n -> !expected.contains(n)).toList();
            throw new CsvFormatException(source, number, extra.isEmpty() ? null : extra.get(0), String.join(",", fields),
                    "header has unexpected or repeated columns " + extra + ": expected exactly " + String.join(",", expected));
        }
        return positions;
    }

    /** Line breaks inside the record's quoted values, counted as the parser counts lines (CRLF, CR or LF: one each). */
    private static int lineBreaks(CSVRecord record) {
        int breaks = 0;
        for (String value : record) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' && (i == 0 || value.charAt(i - 1) != '\r')) {
                    breaks++;
                }
            }
        }
        return breaks;
    }

    /** The 1-based line the record after line {@code after} starts on: the next line that is neither blank nor a comment. */
    private static int nextRecordLine(String[] rawLines, int after) {
        for (int i = after; i < rawLines.length; i++) {
            if (!rawLines[i].isBlank() && !rawLines[i].startsWith("#")) {
                return i + 1;
            }
        }
        return Math.max(1, after);
    }

    private static String raw(String[] rawLines, int start, int end) {
        return String.join("\n", List.of(rawLines).subList(start - 1, Math.min(end, rawLines.length)));
    }

    private static String problem(CSVException malformed) {
        String message = String.valueOf(malformed.getMessage());
        if (message.contains("EOF reached before encapsulated token finished")) {
            return "has an unterminated quoted field";
        }
        if (message.contains("Invalid character between encapsulated token and delimiter")) {
            return "has text after a closing quote: inside a quoted field write a quote as two (\"\")";
        }
        return "is not valid CSV (" + message + ")";
    }
}
