package dev.tokenledger.sink.load;

/** A malformed CSV line: the message names the file, the line, the column and the value, and what was expected. */
public final class CsvFormatException extends IllegalArgumentException {
    private final int line;
    private final String column;
    private final String value;

    public CsvFormatException(String source, int line, String column, String value, String problem) {
        super(source + " line " + line + (column == null ? "" : ", column " + column) + ": "
                + (value == null ? "" : "'" + value + "' ") + problem);
        this.line = line;
        this.column = column;
        this.value = value;
    }

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
