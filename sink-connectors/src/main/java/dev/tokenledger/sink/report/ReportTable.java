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
