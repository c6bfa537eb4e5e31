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
package dev.tokenledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.localstack.LocalStack;
import dev.tokenledger.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalog on a real broker (local-stack: KRaft broker + schema registry): the shipped catalog is
 * published to the compacted prices topic and read back identical; a price change and a retirement
 * (tombstone) published later are seen by the next read, and the change only applies from its date.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PriceCatalogIT {

    @Test
    void publishReadBackChangeAndRetire() throws Exception {
        final PriceCatalog shipped = PriceCatalog.loadDefault();
        try (LocalStack stack = LocalStack.builder().start()) {
            final String bootstrap = stack.bootstrapServers();
            assertThat(PriceCatalogPublisher.ensureTopic(bootstrap, Map.of(), Duration.ofSeconds(30))).isTrue();
            assertThat(PriceCatalogPublisher.ensureTopic(bootstrap, Map.of(), Duration.ofSeconds(30))).isFalse();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PRICES_TOPIC);
                final Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            }

            try (PriceCatalogPublisher publisher = PriceCatalogPublisher.create(bootstrap, stack.registryUrl(), Map.of())) {
                assertThat(publisher.publish(shipped.entries())).isEqualTo(shipped.size());
            }
            final PriceCatalog first = PriceCatalogReader.read(bootstrap, stack.registryUrl(), Map.of(), Duration.ofSeconds(30));
            assertThat(first.entries()).isEqualTo(shipped.entries());

            // A price change from 2026-12-01 for gpt-5 and the retirement of claude-3-haiku.
            final PriceEntry gpt5 = shipped.find("openai", "gpt-5", Instant.parse("2026-11-23T00:00:00Z")).orElseThrow();
            final PriceEntry cut = PriceEntry.newBuilder(gpt5)
                    .setEntryId("openai/gpt-5@2026-12-01")
                    .setEffectiveFrom(Instant.parse("2026-12-01T00:00:00Z"))
                    .setInputPerMtok(new BigDecimal("1.000000000000"))
                    .setNotes("test price change")
                    .build();
            final String retired = shipped.find("anthropic", "claude-3-haiku", Instant.parse("2026-11-23T00:00:00Z")).orElseThrow().getEntryId();
            try (PriceCatalogPublisher publisher = PriceCatalogPublisher.create(bootstrap, stack.registryUrl(), Map.of())) {
                publisher.publish(List.of(cut));
                publisher.retire(retired);
            }
            final PriceCatalog second = PriceCatalogReader.read(bootstrap, stack.registryUrl(), Map.of(), Duration.ofSeconds(30));
            assertThat(second.size()).isEqualTo(shipped.size());
            assertThat(second.byId(retired)).isEmpty();
            // 1e6 input at 1.25 before the change, at 1.00 from it
            final TokenCounts million = TokenCounts.of(1_000_000, 0);
            assertThat(UsagePricer.price(million, second.find("openai", "gpt-5", Instant.parse("2026-11-30T23:59:59Z")).orElseThrow(),
                    PricingOptions.LIST).total()).isEqualByComparingTo("1.25");
            assertThat(UsagePricer.price(million, second.find("openai", "gpt-5", Instant.parse("2026-12-01T00:00:00Z")).orElseThrow(),
                    PricingOptions.LIST).total()).isEqualByComparingTo("1");
        }
    }
}
