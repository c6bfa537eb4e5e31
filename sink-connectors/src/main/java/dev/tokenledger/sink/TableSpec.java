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
package dev.tokenledger.sink;

import java.util.List;
import java.util.Optional;

/**
 * A warehouse table: its columns in order, the key the upsert conflicts on, and optionally a
 * version column that makes the upsert monotonic (an older running total replayed after a newer
 * one never overwrites it).
 */
public record TableSpec(String name, List<Column> columns, List<String> keyColumns, Optional<String> versionColumn) {
    public TableSpec {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        for (String key : keyColumns) {
            if (columns.stream().noneMatch(c -> c.name().equals(key))) {
                throw new IllegalArgumentException("Key column '" + key + "' is not a column of table " + name);
            }
        }
        if (versionColumn.isPresent()) {
            String v = versionColumn.get();
            if (columns.stream().noneMatch(c -> c.name().equals(v))) {
                throw new IllegalArgumentException("Version column '" + v + "' is not a column of table " + name);
            }
        }
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public Column column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No column '" + columnName + "' in table " + name));
    }
}
