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
package dev.tokenledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.InMemorySchemaRegistryClient;
import dev.tokenledger.schemas.registry.SchemaRegistryClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The serde's registry settings users know from Confluent's, and the id/schema cache (no registry call per record). */
class RegistrySettingsTest {
    private static final String SCOPE = "registry-settings-test";

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    void basicAuthComesFromUserInfoOrFromTheUrl() {
        AvroSerdeConfig userInfo = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "https://sr.example:8081",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "svc:s3cret"));
        assertThat(userInfo.basicAuthUserInfo()).isEqualTo("svc:s3cret");
        assertThat(userInfo.registryUrls()).isEqualTo("https://sr.example:8081");

        AvroSerdeConfig fromUrl = new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "https://svc:s3cret@sr-a.example:8081,https://svc:s3cret@sr-b.example:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "URL"));
        assertThat(fromUrl.basicAuthUserInfo()).isEqualTo("svc:s3cret");
        // the credentials never travel in the URL the client calls
        assertThat(fromUrl.registryUrls()).isEqualTo("https://sr-a.example:8081,https://sr-b.example:8081");

        assertThat(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8081"))
                .basicAuthUserInfo()).isNull();
    }

    @Test
    void anUnknownCredentialsSourceNamesTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:8081",
                        AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG).hasMessageContaining("SASL_INHERIT");
    }

    @Test
    void aThousandRecordsCostOneRegistrationAndOneLookupById() {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        SchemaRegistryClient counting = counting(InMemorySchemaRegistryClient.forScope(SCOPE), calls);
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE);
        SpecificAvroSerializer<UsageEvent> serializer = new SpecificAvroSerializer<>(UsageEvent.class, counting, config, false);
        SpecificAvroDeserializer<UsageEvent> deserializer = new SpecificAvroDeserializer<>(UsageEvent.class, counting);
        for (int i = 0; i < 1000; i++) {
            UsageEvent e = SpecificAvroSerdeTest.event();
            e.setEventId("e-" + i);
            assertThat(deserializer.deserialize(Topics.USAGE_TOPIC, serializer.serialize(Topics.USAGE_TOPIC, e)).getEventId())
                    .isEqualTo("e-" + i);
        }
        assertThat(calls).containsOnlyKeys("register", "getById");
        assertThat(calls.get("register")).hasValue(1);
        assertThat(calls.get("getById")).hasValue(1);
    }

    /** {@code delegate}, counting each method called. */
    private static SchemaRegistryClient counting(SchemaRegistryClient delegate, Map<String, AtomicInteger> calls) {
        return (SchemaRegistryClient) Proxy.newProxyInstance(RegistrySettingsTest.class.getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
