package dev.tokenledger.sink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRendererTest {

    @Test
    void aLongSectionShowsItsWorstRowsOnScreenAndEveryRowInCsvAndJson() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            rows.add(List.of(String.format("tenant_%02d", i), new BigDecimal(-i)));
        }
        ReportTable table = new ReportTable("thin_margins", "Tenants with negative or thin margin", "Worst first.",
                List.of(ReportTable.ReportColumn.of("tenant_id", "tenant", ReportTable.Kind.TEXT),
                        ReportTable.ReportColumn.of("margin_usd", "margin", ReportTable.Kind.MONEY)),
                rows, "none", 15);
        WarehouseReport report = new WarehouseReport(YearMonth.of(2026, 12), LocalDate.of(2026, 12, 1), List.of(table));

        String text = ReportRenderer.render(report, ReportRenderer.Format.TEXT, null);
        assertThat(text).contains("tenant_15").doesNotContain("tenant_16")
                .contains("  ... and 25 more (every row is in --format csv or json)");
        assertThat(ReportRenderer.render(report, ReportRenderer.Format.CSV, null)).contains("tenant_40");
        assertThat(ReportRenderer.render(report, ReportRenderer.Format.JSON, null)).contains("tenant_40");
    }
}
