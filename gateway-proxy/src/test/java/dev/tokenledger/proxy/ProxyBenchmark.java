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
package dev.tokenledger.proxy;

import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * How much the proxy adds, measured against the same client calling the provider simulator directly in
 * the same run (the baseline), on one machine: a real broker (the local stack), the simulator and the load
 * generator in this JVM, the proxy in a child JVM (so its memory can be read alone), budget gate on.
 * <ol>
 *   <li>non-streaming Anthropic calls at a fixed open-loop rate (default 500/s): latency p50/p99, direct vs
 *       through the proxy, alternated twice (A B A B) so drift hits both;</li>
 *   <li>streamed calls at 100/s: time to the first body byte, direct vs proxy;</li>
 *   <li>rising rates, 5 s each: the highest rate at which the proxy's p99 stays under 50 ms (and the direct
 *       p99 at the same rates);</li>
 *   <li>the proxy process's RSS idle and with 1,000 concurrent open streams (upstream sent its first events
 *       and then holds the stream open).</li>
 * </ol>
 * Run (see docs/benchmarks.md): {@code ProxyBenchmark [rate=500] [seconds per phase=10]}.
 */
public final class ProxyBenchmark {
    private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Where is my refund?\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Where is my refund?\"}]}";
    private static final long P99_BOUND_MICROS = 50_000;
    private static final int OPEN_STREAMS = 1_000;

    private ProxyBenchmark() {
    }

    /** Child-process entry: starts a proxy from key=value arguments and prints proxy=URL. */
    public static final class ProxyMain {
        private ProxyMain() {
        }

        public static void main(String[] args) throws Exception {
            final Map<String, Object> props = new HashMap<>();
            for (String a : args) {
                final int eq = a.indexOf('=');
                props.put(a.substring(0, eq), a.substring(eq + 1));
            }
            final TokenLedgerProxy proxy = TokenLedgerProxy.start(new ProxyConfig(props));
            System.out.println("proxy=" + proxy.url());
            System.out.flush();
            Thread.currentThread().join();
        }
    }

    public static void main(String[] args) throws Exception {
        final int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (LocalStack stack = LocalStack.builder().start(); ProviderSimulator sim = new ProviderSimulator()) {
            stack.createTopics(Topics.ALL, 1);
            final Process proxyProcess = startProxy(stack, sim);
            try {
                final String proxyUrl = readProxyUrl(proxyProcess);
                final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(OPEN_STREAMS + 200).setMaxWaitQueueSize(-1));
                System.out.printf("ProxyBenchmark: proxy %s (pid %d), simulator %s, %d req/s, %d s per phase; load average %s%n", proxyUrl,
                        proxyProcess.pid(), sim.url(), rate, seconds, loadAverage());
                // warm-up (JIT of both paths, connection pools, the gate and the producer): 20,000 calls each
                run(vertx, client, sim.url(), BODY, 1_000, 20, false);
                run(vertx, client, proxyUrl, BODY, 1_000, 20, false);

                final Histogram direct = new Histogram(3_600_000_000L, 3);
                final Histogram proxied = new Histogram(3_600_000_000L, 3);
                for (int round = 0; round < 2; round++) {
                    direct.add(run(vertx, client, sim.url(), BODY, rate, seconds, false).latency);
                    proxied.add(run(vertx, client, proxyUrl, BODY, rate, seconds, false).latency);
                }
                report("non-streaming latency at " + rate + " req/s (send to last byte)", direct, proxied);

                final Histogram directTtfb = run(vertx, client, sim.url(), STREAM_BODY, 100, seconds, true).latency;
                final Histogram proxiedTtfb = run(vertx, client, proxyUrl, STREAM_BODY, 100, seconds, true).latency;
                report("streamed: time to first byte at 100 streams/s", directTtfb, proxiedTtfb);

                System.out.println("rising rate, 5 s each (p50 / p99 ms, achieved req/s): direct | proxy");
                int best = 0;
                for (int r : new int[] {500, 1000, 1500, 2000, 3000, 4000, 6000}) {
                    final Result d = run(vertx, client, sim.url(), BODY, r, 5, false);
                    final Result p = run(vertx, client, proxyUrl, BODY, r, 5, false);
                    System.out.printf("  %5d/s  direct %6.2f / %8.2f ms (%6.0f/s, %d errors) | proxy %6.2f / %8.2f ms (%6.0f/s, %d errors)%n",
                            r, d.latency.getValueAtPercentile(50) / 1000.0, d.latency.getValueAtPercentile(99) / 1000.0, d.achieved, d.errors,
                            p.latency.getValueAtPercentile(50) / 1000.0, p.latency.getValueAtPercentile(99) / 1000.0, p.achieved, p.errors);
                    if (p.latency.getValueAtPercentile(99) < P99_BOUND_MICROS && p.errors == 0 && p.achieved >= r * 0.95) {
                        best = r;
                    } else {
                        break;
                    }
                }
                System.out.printf("max rate with proxy p99 < 50 ms (steps above): %d req/s%n", best);

                System.out.printf("RSS of the proxy process after the load phases: %d MB%n", rssKb(proxyProcess.pid()) / 1024);
                // memory per open stream: a fresh proxy process, idle, then holding the streams
                final Process fresh = startProxy(stack, sim);
                try {
                    final String freshUrl = readProxyUrl(fresh);
                    run(vertx, client, freshUrl, STREAM_BODY, 100, 2, true);
                    final long idleKb = rssKb(fresh.pid());
                    final long openKb = openStreams(vertx, client, freshUrl, fresh.pid());
                    System.out.printf("RSS of a fresh proxy process: idle (after 200 streamed calls) %d MB, with %d concurrent open streams %d MB "
                            + "(+%d KB per open stream)%n", idleKb / 1024, OPEN_STREAMS, openKb / 1024, (openKb - idleKb) / OPEN_STREAMS);
                } finally {
                    fresh.destroy();
                    fresh.waitFor(30, TimeUnit.SECONDS);
                }
                System.out.printf("load average at the end: %s%n", loadAverage());
                vertx.close().await();
            } finally {
                proxyProcess.destroy();
                proxyProcess.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private record Result(Histogram latency, double achieved, int errors) {
    }

    /**
     * Open loop: requests are started on schedule whatever the answers do. Latency in microseconds from the
     * send to the last byte, or to the first body byte with {@code firstByte}.
     */
    private static Result run(Vertx vertx, HttpClient client, String base, String body, int rate, int seconds, boolean firstByte)
            throws Exception {
        final Histogram h = new Histogram(3_600_000_000L, 3);
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final long total = (long) rate * seconds;
        final Buffer payload = Buffer.buffer(body);
        final Promise<Void> finished = Promise.promise();
        final long start = System.nanoTime();
        final long[] sent = {0};
        vertx.runOnContext(v -> vertx.setPeriodic(1, id -> {
            final long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            while (sent[0] < due) {
                sent[0]++;
                final long t0 = System.nanoTime();
                send(client, base, payload, firstByte).onComplete(ar -> {
                    if (ar.succeeded()) {
                        h.recordValue(Math.max(1, (ar.result() - t0) / 1_000));
                    } else {
                        errors.incrementAndGet();
                    }
                    if (done.incrementAndGet() == total) {
                        finished.tryComplete();
                    }
                });
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(id);
            }
        }));
        finished.future().await(seconds + 60L, TimeUnit.SECONDS);
        final double achieved = total / ((System.nanoTime() - start) / 1e9);
        return new Result(h, achieved, errors.get());
    }

    /** One call; completes with the nanoTime of the last byte (or the first body byte). */
    private static Future<Long> send(HttpClient client, String base, Buffer payload, boolean firstByte) {
        final RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + "/v1/messages").setTimeout(120_000)
                .putHeader("x-api-key", "sk-bench").putHeader("content-type", "application/json")
                .putHeader("x-tokenledger-feature", "bench_feature").putHeader("x-tokenledger-tenant", "acme");
        return client.request(o).compose(req -> req.send(payload)).compose(resp -> {
            if (resp.statusCode() != 200) {
                return resp.body().compose(b -> Future.failedFuture("HTTP " + resp.statusCode() + ": " + b));
            }
            if (!firstByte) {
                return resp.body().map(b -> System.nanoTime());
            }
            final Promise<Long> first = Promise.promise();
            resp.handler(chunk -> first.tryComplete(System.nanoTime()));
            resp.endHandler(v -> first.tryFail("no body"));
            resp.exceptionHandler(first::tryFail);
            return first.future();
        });
    }

    /** Opens {@link #OPEN_STREAMS} streams the upstream holds open; returns the proxy's RSS once all have their first byte. */
    private static long openStreams(Vertx vertx, HttpClient client, String proxyUrl, long pid) throws Exception {
        final AtomicInteger opened = new AtomicInteger();
        final List<io.vertx.core.http.HttpClientRequest> requests = new ArrayList<>();
        final Promise<Void> all = Promise.promise();
        vertx.runOnContext(v -> {
            for (int i = 0; i < OPEN_STREAMS; i++) {
                final RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(proxyUrl + "/v1/messages")
                        .putHeader("x-api-key", "sk-bench").putHeader("x-tokenledger-feature", "bench_streams")
                        .putHeader(ProviderSimulator.SCENARIO_HEADER, "hang");
                client.request(o).onSuccess(req -> {
                    requests.add(req);
                    final boolean[] seen = {false};
                    req.send(Buffer.buffer(STREAM_BODY)).onSuccess(resp -> resp.handler(chunk -> {
                        if (!seen[0]) {
                            seen[0] = true;
                            if (opened.incrementAndGet() == OPEN_STREAMS) {
                                all.tryComplete();
                            }
                        }
                    }));
                }).onFailure(all::tryFail);
            }
        });
        all.future().await(120, TimeUnit.SECONDS);
        final long rss = rssKb(pid);
        vertx.runOnContext(v -> requests.forEach(io.vertx.core.http.HttpClientRequest::reset));
        return rss;
    }

    private static void report(String what, Histogram direct, Histogram proxied) {
        final double d50 = direct.getValueAtPercentile(50) / 1000.0;
        final double d99 = direct.getValueAtPercentile(99) / 1000.0;
        final double p50 = proxied.getValueAtPercentile(50) / 1000.0;
        final double p99 = proxied.getValueAtPercentile(99) / 1000.0;
        System.out.printf("%s%n  direct (baseline): p50 %.3f ms  p99 %.3f ms  (n=%d)%n  through the proxy: p50 %.3f ms  p99 %.3f ms  (n=%d)%n"
                        + "  added: p50 %+.3f ms  p99 %+.3f ms; ratio p99 %.2fx%n", what, d50, d99, direct.getTotalCount(), p50, p99,
                proxied.getTotalCount(), p50 - d50, p99 - d99, p99 / d99);
    }

    private static Process startProxy(LocalStack stack, ProviderSimulator sim) throws IOException {
        final Path spool = Files.createTempDirectory("proxy-bench-spool");
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), ProxyMain.class.getName(),
                "bootstrap.servers=" + stack.bootstrapServers(), "schema.registry.url=" + stack.registryUrl(), "http.port=0",
                "upstream.anthropic.url=" + sim.url(), "spool.dir=" + spool, "environment=bench", "stream.max.duration.ms=600000"));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String readProxyUrl(Process p) throws IOException {
        final BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("proxy=")) {
                return line.substring("proxy=".length());
            }
        }
        throw new IOException("the proxy process ended before printing proxy=URL");
    }

    /** The machine's 1/5/15-minute load averages: other work on the 2 cores shows in every figure above. */
    private static String loadAverage() throws IOException {
        final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
