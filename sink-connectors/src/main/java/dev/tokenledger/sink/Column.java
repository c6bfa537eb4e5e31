package dev.tokenledger.sink;

import java.util.Objects;

/** One warehouse column: its name, type and the one-line meaning shown to analysts. */
public record Column(String name, ColumnType type, String doc) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static Column of(String name, ColumnType type, String doc) {
        return new Column(name, type, doc);
    }
}
