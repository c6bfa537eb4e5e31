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

import dev.tokenledger.sink.WarehouseJson;
import dev.tokenledger.sink.report.ReportTable.ReportColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Renders a {@link WarehouseReport} as aligned text tables (for people: totals in cents,
 * per-user amounts with 4 decimals, percentages with one), JSON (Jackson) or CSV (Commons CSV) for
 * machines: exact decimals, unrounded.
 */
public final class ReportRenderer {
    public enum Format { TEXT, JSON, CSV }

    /** RFC 4180 (quotes only where needed, "" inside quotes) with LF line ends, as the report has always used. */
    private static final CSVFormat CSV_FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private ReportRenderer() {
    }

    public static String render(WarehouseReport report, Format format, String source) {
        return switch (format) {
            case TEXT -> text(report, source);
            case JSON -> json(report, source);
            case CSV -> csv(report);
        };
    }

    static String text(WarehouseReport report, String source) {
        StringBuilder out = new StringBuilder();
        out.append("TokenLedger AI cost report: ")
                .append(report.month().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)).append(' ')
                .append(report.month().getYear()).append(" (UTC), 7-day figures to ").append(report.asOf()).append('\n');
        if (source != null) {
            out.append("Warehouse: ").append(source).append('\n');
        }
        out.append("Amounts in USD, exact to the pico-dollar in the warehouse, rounded here: totals to the cent, per-user to 4 decimals.\n");
        for (ReportTable table : report.sections()) {
            out.append('\n').append(table.title().toUpperCase(Locale.ROOT)).append('\n').append(table.explanation()).append('\n');
            if (table.rows().isEmpty()) {
                out.append("  ").append(table.emptyText()).append('\n');
                continue;
            }
            List<ReportColumn> cols = table.columns();
            List<List<String>> cells = new ArrayList<>();
            cells.add(cols.stream().map(ReportColumn::heading).toList());
            List<List<Object>> shown = table.textRowLimit() > 0 && table.rows().size() > table.textRowLimit()
                    ? table.rows().subList(0, table.textRowLimit()) : table.rows();
            for (List<Object> row : shown) {
                List<String> line = new ArrayList<>();
                for (int i = 0; i < cols.size(); i++) {
                    line.add(formatCell(cols.get(i).kind(), row.get(i)));
                }
                cells.add(line);
            }
            int[] widths = new int[cols.size()];
            for (List<String> line : cells) {
                for (int i = 0; i < line.size(); i++) {
                    widths[i] = Math.max(widths[i], line.get(i).length());
                }
            }
            for (int r = 0; r < cells.size(); r++) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < cols.size(); i++) {
                    String cell = cells.get(r).get(i);
                    boolean right = cols.get(i).kind() != ReportTable.Kind.TEXT;
                    line.append(right ? pad(cell, widths[i], true) : pad(cell, widths[i], false));
                    if (i < cols.size() - 1) {
                        line.append("  ");
                    }
                }
                out.append(line.toString().stripTrailing()).append('\n');
                if (r == 0) {
                    StringBuilder rule = new StringBuilder("  ");
                    for (int i = 0; i < cols.size(); i++) {
                        rule.append("-".repeat(widths[i])).append(i < cols.size() - 1 ? "  " : "");
                    }
                    out.append(rule).append('\n');
                }
            }
            if (shown.size() < table.rows().size()) {
                out.append("  ... and ").append(table.rows().size() - shown.size())
                        .append(" more (every row is in --format csv or json)\n");
            }
        }
        return out.toString();
    }

    /** Text cell: money totals "$1,234.57", unit money "$0.0123", percent "12.3%", signed percent "+12.3%", counts "1,234". */
    public static String formatCell(ReportTable.Kind kind, Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof String s) {
            return s;
        }
        return switch (kind) {
            case MONEY -> money((BigDecimal) value, 2);
            case UNIT_MONEY -> money((BigDecimal) value, 4);
            case PERCENT -> percent((BigDecimal) value, false);
            case SIGNED_PERCENT -> percent((BigDecimal) value, true);
            case COUNT -> String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
            case TEXT -> value.toString();
        };
    }

    static String money(BigDecimal amount, int decimals) {
        BigDecimal rounded = amount.setScale(decimals, RoundingMode.HALF_EVEN);
        String digits = String.format(Locale.ROOT, "%,." + decimals + "f", rounded.abs());
        return (rounded.signum() < 0 ? "-$" : "$") + digits;
    }

    static String percent(BigDecimal ratio, boolean signed) {
        BigDecimal pct = ratio.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN);
        String s = pct.toPlainString() + "%";
        return signed && pct.signum() > 0 ? "+" + s : s;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    static String json(WarehouseReport report, String source) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("month", report.month().toString());
        root.put("as_of", report.asOf().toString());
        if (source != null) {
            root.put("warehouse", source);
        }
        Map<String, Object> sections = new LinkedHashMap<>();
        for (ReportTable table : report.sections()) {
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("title", table.title());
            section.put("explanation", table.explanation());
            List<Object> rows = new ArrayList<>();
            for (List<Object> row : table.rows()) {
                Map<String, Object> obj = new LinkedHashMap<>();
                for (int i = 0; i < table.columns().size(); i++) {
                    obj.put(table.columns().get(i).id(), plain(row.get(i)));
                }
                rows.add(obj);
            }
            section.put("rows", rows);
            sections.put(table.id(), section);
        }
        root.put("sections", sections);
        return WarehouseJson.write(root) + "\n";
    }

    static String csv(WarehouseReport report) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSV_FORMAT)) {
            boolean first = true;
            for (ReportTable table : report.sections()) {
                if (!first) {
                    printer.println(); // a blank line between sections
                }
                first = false;
                List<String> header = new ArrayList<>();
                header.add("section");
                table.columns().forEach(c -> header.add(c.id()));
                printer.printRecord(header);
                for (List<Object> row : table.rows()) {
                    List<String> line = new ArrayList<>();
                    line.add(table.id());
                    for (Object v : row) {
                        Object p = plain(v);
                        line.add(p == null ? "" : p instanceof BigDecimal d ? d.toPlainString() : p.toString());
                    }
                    printer.printRecord(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot render the report as CSV", e); // a StringBuilder does not fail
        }
        return out.toString();
    }

    private static Object plain(Object v) {
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() < 0 ? d.setScale(0, RoundingMode.UNNECESSARY) : d.stripTrailingZeros();
        }
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        return v.toString();
    }

}
