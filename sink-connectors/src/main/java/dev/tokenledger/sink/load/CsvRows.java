package dev.tokenledger.sink.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a small CSV file (RFC 4180: comma separated, double-quoted fields with "" escapes, one
 * record per line) whose first line is a header naming exactly the expected columns, in any
 * order. Blank lines and lines starting with '#' are skipped.
 */
public final class CsvRows {
    /** One data line: its 1-based line number in the file and its values in expected-column order. */
    public record Line(int number, List<String> values) {
        public String get(int column) {
            return values.get(column);
        }
    }

    private CsvRows() {
    }

    public static List<Line> read(Reader in, String source, List<String> expectedColumns) throws IOException {
        BufferedReader reader = new BufferedReader(in);
        List<Line> lines = new ArrayList<>();
        int[] positions = null;
        String text;
        int number = 0;
        while ((text = reader.readLine()) != null) {
            number++;
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            List<String> fields = split(text, source, number);
            if (positions == null) {
                positions = header(fields, source, number, expectedColumns);
                continue;
            }
            if (fields.size() != positions.length) {
                throw new CsvFormatException(source, number, null, text, "has " + fields.size() + " fields, the header has "
                        + positions.length + " (" + String.join(",", expectedColumns) + ")");
            }
            List<String> values = new ArrayList<>();
            for (int position : positions) {
                values.add(fields.get(position).trim());
            }
            lines.add(new Line(number, values));
        }
        if (positions == null) {
            throw new CsvFormatException(source, 1, null, "", "is empty: expected a header line " + String.join(",", expectedColumns));
        }
        return lines;
    }

    private static int[] header(List<String> fields, String source, int number, List<String> expected) {
        List<String> names = fields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList();
        int[] positions = new int[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            positions[i] = names.indexOf(expected.get(i));
            if (positions[i] < 0) {
                throw new CsvFormatException(source, number, expected.get(i), String.join(",", fields),
                        "header lacks column '" + expected.get(i) + "': expected " + String.join(",", expected));
            }
        }
        if (names.size() != expected.size()) {
            List<String> extra = names.stream().filter(n -> !expected.contains(n)).toList();
            throw new CsvFormatException(source, number, extra.isEmpty() ? null : extra.get(0), String.join(",", fields),
                    "header has unexpected or repeated columns " + extra + ": expected exactly " + String.join(",", expected));
        }
        return positions;
    }

    static List<String> split(String line, String source, int number) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        current.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.toString().isBlank()) {
                quoted = true;
                current.setLength(0);
            } else if (c == ',') {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new CsvFormatException(source, number, null, line, "has an unterminated quoted field");
        }
        fields.add(current.toString());
        return fields;
    }
}
