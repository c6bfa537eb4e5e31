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
package dev.tokenledger.sink.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One section of the report: a short id (used as the JSON key and the CSV section column), a
 * heading, a one-line explanation, typed columns and rows. Values are exact (BigDecimal money);
 * rounding happens only when rendered as text. {@code textRowLimit} (0 = none) caps the rows the
 * text screen shows, the rest summarised in one line; JSON and CSV always carry every row.
 */
public record ReportTable(String id, String title, String explanation, List<ReportColumn> columns, List<List<Object>> rows,
                          String emptyText, int textRowLimit) {
    public ReportTable {
        columns = List.copyOf(columns);
        rows = new ArrayList<>(rows);
    }

    /** A section printed whole in every format. */
    public ReportTable(String id, String title, String explanation, List<ReportColumn> columns, List<List<Object>> rows,
                       String emptyText) {
        this(id, title, explanation, columns, rows, emptyText, 0);
    }

    /** How a column is shown in text: money totals with 2 decimals, per-user/per-call money with 4, ratios as percent. */
    public enum Kind { TEXT, COUNT, MONEY, UNIT_MONEY, PERCENT, SIGNED_PERCENT }

    public record ReportColumn(String id, String heading, Kind kind) {
        public static ReportColumn of(String id, String heading, Kind kind) {
            return new ReportColumn(id, heading, kind);
        }
    }
}
