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

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages, scripts and the chart library, served from the jar: files under one classpath folder,
 * read once and kept in memory (no temporary file cache on disk, no CDN). Paths that try to leave
 * the folder, and unknown files, answer 404.
 */
final class ClasspathAssets implements Handler<RoutingContext> {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "png", "image/png", "svg", "image/svg+xml", "ico", "image/x-icon");

    private final String routePrefix;
    private final String folder;
    private final String cacheControl;
    private final Map<String, Optional<Buffer>> cache = new ConcurrentHashMap<>();

    /** Serves {@code folder/<rest>} for requests to {@code routePrefix<rest>}. */
    ClasspathAssets(String routePrefix, String folder, String cacheControl) {
        this.routePrefix = routePrefix;
        this.folder = folder;
        this.cacheControl = cacheControl;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String rest = path.startsWith(routePrefix) ? path.substring(routePrefix.length()) : "";
        if (rest.isEmpty() || rest.endsWith("/")) {
            rest = rest + "index.html";
        }
        if (rest.contains("..") || rest.startsWith("/")) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        Optional<Buffer> body = cache.computeIfAbsent(rest, this::read);
        if (body.isEmpty()) {
            ctx.response().setStatusCode(404).end("not found: " + path);
            return;
        }
        String ext = rest.substring(rest.lastIndexOf('.') + 1);
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"))
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl).end(body.get());
    }

    private Optional<Buffer> read(String rest) {
        try (InputStream in = ClasspathAssets.class.getClassLoader().getResourceAsStream(folder + "/" + rest)) {
            return in == null ? Optional.empty() : Optional.of(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
