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

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches every page of a provider cost report, following the {@code next_page} cursor (sent back as the
 * {@code page} query parameter) while {@code has_more} is true, with the admin key as the provider requires:
 * Anthropic {@code x-api-key} + {@code anthropic-version: 2023-06-01}, OpenAI {@code Authorization: Bearer}.
 * The CLI is the only caller and blocks on the result, so the JDK client is used rather than the Vert.x stack.
 */
public final class ProviderCostFetcher {
    /** The Anthropic API version the cost report is documented under. */
    public static final String ANTHROPIC_VERSION = "2023-06-01";
    /** A report has a bucket per day; more pages than this means the server keeps answering has_more. */
    static final int MAX_PAGES = 1000;

    private final HttpClient client;

    public ProviderCostFetcher(HttpClient client) {
        this.client = client;
    }

    public ProviderCostFetcher() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** Every page body, first to last; CostReportException on a non-200 answer or a page that is not a report. */
    public List<String> fetch(CostReportProvider provider, String url, String adminKey) throws IOException, InterruptedException {
        if (provider == CostReportProvider.GEMINI) {
            throw new CostReportException("gemini: Google has no cost report endpoint; export the Cloud Billing data to CSV from "
                    + "BigQuery and import it with --file");
        }
        List<String> bodies = new ArrayList<>();
        String next = null;
        do {
            String pageUrl = next == null ? url : url + (url.contains("?") ? "&" : "?") + "page=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pageUrl)).timeout(Duration.ofSeconds(60)).GET()
                    .header("Accept", "application/json");
            if (provider == CostReportProvider.ANTHROPIC) {
                request.header("x-api-key", adminKey).header("anthropic-version", ANTHROPIC_VERSION);
            } else {
                request.header("Authorization", "Bearer " + adminKey);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new CostReportException(pageUrl + " answered HTTP " + response.statusCode() + ": check the URL and that the "
                        + "admin key is an organization admin key (" + abbreviate(response.body()) + ")");
            }
            bodies.add(response.body());
            ProviderCostReports.Page page = ProviderCostReports.page(provider, response.body(), pageUrl);
            if (page.hasMore() && page.nextPage() == null) {
                throw new CostReportException(pageUrl + ": has_more is true but next_page is null: cannot follow the cursor");
            }
            next = page.hasMore() ? page.nextPage() : null;
            if (bodies.size() >= MAX_PAGES && next != null) {
                throw new CostReportException(url + ": more than " + MAX_PAGES + " pages; request a shorter period");
            }
        } while (next != null);
        return bodies;
    }

    private static String abbreviate(String body) {
        String b = body == null ? "" : body.replaceAll("\\s+", " ");
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }
}
