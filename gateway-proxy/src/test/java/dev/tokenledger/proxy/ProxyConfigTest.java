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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.agent.stream.StreamLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    private static ProxyConfig config(Map<String, Object> extra) {
        final Map<String, Object> p = new HashMap<>(Map.of(ProxyConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
                ProxyConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8081"));
        p.putAll(extra);
        return new ProxyConfig(p);
    }

    @Test
    void perFeatureStreamLimitsOverrideTheDefaults() {
        final ProxyConfig c = config(Map.of(ProxyConfig.STREAM_FEATURE_LIMITS_CONFIG, "summarize=30000:0, agent_loop=300000:40"));
        assertThat(c.featureStreamLimits()).containsEntry("summarize", StreamLimits.of(Duration.ofSeconds(30), 0))
                .containsEntry("agent_loop", StreamLimits.of(Duration.ofMinutes(5), 40));
        assertThat(c.defaultStreamLimits()).isEqualTo(StreamLimits.of(Duration.ofMinutes(2), 25));
        assertThat(c.ledgerProperties()).containsEntry("stream.guard.max.duration.ms", 120_000L);
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> config(Map.of(ProxyConfig.STREAM_FEATURE_LIMITS_CONFIG, "summarize=fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ProxyConfig.STREAM_FEATURE_LIMITS_CONFIG)
                .hasMessageContaining("FEATURE=MAX_DURATION_MS:MAX_TOOL_CALLS");
        assertThatThrownBy(() -> config(Map.of(ProxyConfig.UPSTREAM_OPENAI_CONFIG, "http://host:1234/v1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ProxyConfig.UPSTREAM_OPENAI_CONFIG).hasMessageContaining("no path");
        assertThatThrownBy(() -> config(Map.of(ProxyConfig.UPSTREAM_ANTHROPIC_CONFIG, "ftp://host")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ProxyConfig.UPSTREAM_ANTHROPIC_CONFIG);
        assertThatThrownBy(() -> config(Map.of(ProxyConfig.DEFAULT_FEATURE_CONFIG, "no spaces please")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ProxyConfig.DEFAULT_FEATURE_CONFIG);
        assertThatThrownBy(() -> config(Map.of("producer.enable.idempotence", "false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("producer.enable.idempotence");
        assertThatThrownBy(() -> config(Map.of("consumer.isolation.level", "read_uncommitted")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("consumer.isolation.level");
    }

    @Test
    void routeDefaultFeaturesNameKnownRoutesAndValidFeatures() {
        assertThat(config(Map.of(ProxyConfig.ROUTE_DEFAULT_FEATURES_CONFIG, "openai_responses=drafts, GEMINI_GENERATE_CONTENT=tagger"))
                .routeDefaultFeatures()).containsEntry(ProviderRoute.OPENAI_RESPONSES, "drafts")
                .containsEntry(ProviderRoute.GEMINI_GENERATE_CONTENT, "tagger").hasSize(2);
        assertThatThrownBy(() -> config(Map.of(ProxyConfig.ROUTE_DEFAULT_FEATURES_CONFIG, "openai_embeddings=x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown route 'openai_embeddings'")
                .hasMessageContaining("anthropic_messages, openai_chat_completions");
        assertThatThrownBy(() -> config(Map.of(ProxyConfig.ROUTE_DEFAULT_FEATURES_CONFIG, "openai_responses=two words")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ProxyConfig.ROUTE_DEFAULT_FEATURES_CONFIG);
    }

    @Test
    void passThroughKeysReachTheAgentAndTheGate() {
        final ProxyConfig c = config(Map.of("producer.security.protocol", "SASL_SSL", "consumer.fetch.max.wait.ms", "50",
                "registry.basic.auth.user.info", "u:p"));
        assertThat(c.ledgerProperties()).containsEntry("producer.security.protocol", "SASL_SSL")
                .containsEntry("registry.basic.auth.user.info", "u:p");
        assertThat(c.gateClientConfig()).containsEntry("security.protocol", "SASL_SSL").containsEntry("fetch.max.wait.ms", "50");
    }
}
