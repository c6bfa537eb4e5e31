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
package dev.tokenledger.sink.reconcile;

import dev.tokenledger.sink.load.CsvFormatException;
import dev.tokenledger.sink.load.CsvRows;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What did Google bill for Gemini? Reads the Cloud Billing export to BigQuery (standard usage cost table,
 * https://cloud.google.com/billing/docs/how-to/export-data-bigquery-tables/standard-usage) saved as CSV, and
 * validates it whole before anything is imported, as {@link ProviderCostReports} does for the JSON reports.
 *
 * <p>Columns read (others, such as {@code labels} or {@code credits}, are ignored; '.' or '_' in the header, since
 * a BigQuery alias cannot hold a dot): {@code service.description}, {@code sku.description},
 * {@code usage_start_time}, {@code usage_end_time}, {@code project.id}, {@code cost}, {@code currency},
 * {@code cost_type}. Rows of services other than Vertex AI / the Gemini API, and rows whose {@code cost_type} is
 * not {@code regular} (tax, adjustment, rounding error: not usage), are skipped. {@code cost} is before credits
 * (the list price the ledger prices at). Each row's usage period must lie in one UTC day (the export's rows are
 * hourly); the row's day is its start's. The model is read from the SKU ("Gemini 2.5 Flash Lite Input Text Tokens"
 * gives gemini-2.5-flash-lite); a SKU naming long context counts as long-context cost. Vertex AI also bills models
 * that are not Gemini (Claude on Vertex, embeddings, Imagen): a row whose SKU names no Gemini model is not imported
 * (the ledger prices those calls under another provider, or not at all) and is returned per SKU in
 * {@link ProviderCostReports.CostReport#skipped()}, so the import reports it instead of the reconciliation showing it
 * as a permanent "missing in ledger" drift.
 */
public final class GoogleBillingExport {
    static final String SERVICE = "service.description";
    static final String SKU = "sku.description";
    static final String START = "usage_start_time";
    static final String END = "usage_end_time";
    static final String PROJECT = "project.id";
    static final String COST = "cost";
    static final String CURRENCY = "currency";
    static final String COST_TYPE = "cost_type";
    static final List<String> COLUMNS = List.of(SERVICE, SKU, START, END, PROJECT, COST, CURRENCY, COST_TYPE);

    /** The billing services whose costs are Gemini calls (service.description, lower case). */
    static final Set<String> GEMINI_SERVICES = Set.of("vertex ai", "gemini api", "generative language api");
    private static final Pattern GEMINI_MODEL = Pattern.compile("(?i)\\bgemini[ -]?(\\d+(?:\\.\\d+)?)((?:[ -](?:pro|flash|lite|ultra|nano)\\b)*)");
    private static final Pattern LONG_CONTEXT = Pattern.compile("(?i)\\blong\\b");

    private GoogleBillingExport() {
    }

    /**
     * Validates every file (as one report) and sums its Gemini rows per UTC day, model and project. Throws
     * {@link CostReportException} naming the file, line, column and value.
     */
    public static ProviderCostReports.CostReport report(List<String> bodies, List<String> sources) {
        Map<String, ProviderCostRow> rows = new TreeMap<>();
        Map<LocalDate, String> dayFile = new TreeMap<>();
        Map<String, BigDecimal> notGemini = new TreeMap<>();
        for (int f = 0; f < bodies.size(); f++) {
            String source = sources.get(f);
            List<CsvRows.Line> lines;
            try {
                lines = CsvRows.readColumns(new StringReader(bodies.get(f)), source, COLUMNS);
            } catch (CsvFormatException e) {
                throw new CostReportException("wrong shape: " + e.getMessage() + " (the Cloud Billing standard usage cost export)", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Set<String> otherServices = new TreeSet<>();
            int gemini = 0;
            for (CsvRows.Line line : lines) {
                String where = source + " " + line.where();
                if (!GEMINI_SERVICES.contains(line.get(0).toLowerCase(Locale.ROOT))) {
                    otherServices.add(line.get(0));
                    continue;
                }
                gemini++;
                if (!line.get(7).isEmpty() && !"regular".equalsIgnoreCase(line.get(7))) {
                    continue;
                }
                LocalDate day = day(line, where);
                String previous = dayFile.putIfAbsent(day, source);
                if (previous != null && !previous.equals(source)) {
                    throw new CostReportException(where + ": " + day + " is also covered by " + previous
                            + ": the files overlap (import each period once; a re-import replaces it)");
                }
                BigDecimal usd;
                try {
                    usd = new BigDecimal(line.get(5));
                } catch (NumberFormatException e) {
                    throw new CostReportException(where + ", column " + COST + ": '" + line.get(5) + "' is not a decimal number");
                }
                String sku = line.get(1);
                BigDecimal checked = ProviderCostReports.checkedUsd(where, line.get(6), usd);
                String model = modelOfSku(sku);
                if (model == null) {
                    notGemini.merge(sku, checked, BigDecimal::add);
                    continue;
                }
                ProviderCostReports.add(rows, CostReportProvider.GEMINI, day, model, line.get(4), checked, sku,
                        LONG_CONTEXT.matcher(sku).find(), false);
            }
            if (gemini == 0 && !lines.isEmpty()) {
                // an export of the wrong billing account or project would otherwise import as "nothing billed"
                throw new CostReportException(source + ": none of its " + lines.size() + " rows is a Vertex AI / Gemini API cost (services: "
                        + String.join(", ", otherServices) + "): is this the export of the billing account that pays for Gemini?");
            }
        }
        return new ProviderCostReports.CostReport(CostReportProvider.GEMINI, List.copyOf(dayFile.keySet()), List.copyOf(rows.values()),
                notGemini);
    }

    /** The Gemini model a SKU names ("Gemini 2.5 Flash Lite Input Text Tokens" gives "gemini-2.5-flash-lite"), or null. */
    public static String modelOfSku(String sku) {
        Matcher m = GEMINI_MODEL.matcher(sku);
        if (!m.find()) {
            return null;
        }
        return ("gemini-" + m.group(1) + m.group(2).trim().replaceAll("[ -]+", "-").replaceFirst("^(?=.)", "-")).toLowerCase(Locale.ROOT);
    }

    private static LocalDate day(CsvRows.Line line, String where) {
        Instant start = instant(line.get(2), where, START);
        Instant end = instant(line.get(3), where, END);
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        if (!end.isAfter(start) || end.isAfter(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
            throw new CostReportException(where + ": the usage period " + start + " .. " + end + " is not within one UTC day: "
                    + "export the standard usage cost table's own (hourly) rows");
        }
        return day;
    }

    /** BigQuery's CSV timestamp ("2026-12-01 00:00:00 UTC", with or without " UTC") or RFC 3339. */
    static Instant instant(String value, String where, String column) {
        String v = value.trim();
        if (v.endsWith(" UTC")) {
            v = v.substring(0, v.length() - 4) + "Z";
        }
        v = v.replace(' ', 'T');
        if (v.length() == 19) {
            v = v + "Z";
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new CostReportException(where + ", column " + column + ": '" + value + "' is not a timestamp (2026-12-01 00:00:00 UTC)");
        }
    }
}
