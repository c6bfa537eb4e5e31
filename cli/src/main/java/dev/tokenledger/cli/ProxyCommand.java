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
package dev.tokenledger.cli;

import dev.tokenledger.proxy.ProxyConfig;
import dev.tokenledger.proxy.TokenLedgerProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger proxy}: runs the gateway proxy ({@link TokenLedgerProxy}) until interrupted, and prints
 * {@code proxy=http://HOST:PORT} once it accepts requests.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Runs the TokenLedger proxy in front of the Anthropic, OpenAI and Gemini APIs: tags every call",
                "(x-tokenledger-* headers), holds its worst case against the budget (429 when denied), passes the answer",
                "through (streams event by event) and records its exact usage. Prints proxy=http://HOST:PORT once it accepts."})
public final class ProxyCommand implements Callable<Integer> {
    private static final Map<String, String> UPSTREAM_KEYS = Map.of(
            "anthropic", ProxyConfig.UPSTREAM_ANTHROPIC_CONFIG,
            "openai", ProxyConfig.UPSTREAM_OPENAI_CONFIG,
            "google", ProxyConfig.UPSTREAM_GOOGLE_CONFIG,
            "gemini", ProxyConfig.UPSTREAM_GOOGLE_CONFIG);

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: 127.0.0.1:9092).")
    String bootstrap = "127.0.0.1:9092";

    @Option(names = "--registry", description = "Schema registry URL (default: http://127.0.0.1:8081).")
    String registry = "http://127.0.0.1:8081";

    @Option(names = "--port", description = "Port to listen on; 0 picks a free one (default: 8788).")
    Integer port;

    @Option(names = "--upstream", description = {"PROVIDER=URL (repeatable): anthropic, openai or google (gemini); the URL's scheme, host",
            "and port replace the proxy's, the request path is kept. Default: the providers' public endpoints."})
    List<String> upstreams = new ArrayList<>();

    @Option(names = "--config", description = "Properties file with proxy settings (see ProxyConfig in the README).")
    Path configFile;

    @Option(names = "--set", description = {"Any proxy setting, key=value (repeatable), e.g. --set default.feature=legacy_batch.",
            "Pass-through prefixes: producer.<key>, consumer.<key>, registry.<key>."})
    Map<String, String> settings = new HashMap<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        final Map<String, Object> props = AppSettings.read(configFile, settings);
        props.put(ProxyConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProxyConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
        if (port != null) {
            props.put(ProxyConfig.HTTP_PORT_CONFIG, port);
        }
        for (String u : upstreams) {
            final int eq = u.indexOf('=');
            final String key = eq > 0 ? UPSTREAM_KEYS.get(u.substring(0, eq).trim().toLowerCase(Locale.ROOT)) : null;
            if (key == null) {
                System.err.println("tokenledger proxy: --upstream " + u + ": expected PROVIDER=URL with PROVIDER anthropic, openai or google");
                return 2;
            }
            props.put(key, u.substring(eq + 1).trim());
        }
        final ProxyConfig config;
        try {
            config = new ProxyConfig(props);
        } catch (ConfigException e) {
            System.err.println("tokenledger proxy: " + e.getMessage());
            return 2;
        }
        final TokenLedgerProxy proxy = TokenLedgerProxy.start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "tokenledger-proxy-shutdown"));
        System.out.println("proxy=" + proxy.url());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
