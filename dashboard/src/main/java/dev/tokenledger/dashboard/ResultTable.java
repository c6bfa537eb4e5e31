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
package dev.tokenledger.dashboard;

import java.util.List;

/**
 * The numbers behind one chart or table, as the warehouse answered them: column names and rows of
 * exact values (BigDecimal money and ratios, long counts, ISO dates and instants as text). Rendered
 * as JSON for the page and as CSV for the download, so both carry the same numbers.
 */
public record ResultTable(String name, List<String> columns, List<List<Object>> rows) {
    public ResultTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** The value of {@code column} in row {@code row}. */
    public Object value(int row, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + name + " " + columns);
        }
        return rows.get(row).get(i);
    }
}
