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
package dev.tokenledger.agent;

import static org.awaitility.Awaitility.await;

import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A TokenLedger on a MockProducer, for unit tests. */
final class TestLedgers {
    private TestLedgers() {
    }

    static MockProducer<String, UsageEvent> mockProducer() {
        SpecificAvroSerializer<UsageEvent> value = new SpecificAvroSerializer<>(UsageEvent.class);
        value.configure(Map.of("schema.registry.url", "mock://ledger-" + UUID.randomUUID()), false);
        return new MockProducer<>(true, null, new StringSerializer(), value);
    }

    static TokenLedger.Builder builder(Path spool, MockProducer<String, UsageEvent> producer) {
        return TokenLedger.builder()
                .environment("staging")
                .bootstrapServers("unused:9092")
                .registryUrl("mock://unused")
                .spoolDir(spool)
                .probeInterval(Duration.ofMillis(20))
                .producer(producer);
    }

    static List<UsageEvent> awaitEvents(MockProducer<String, UsageEvent> producer, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= n);
        return producer.history().stream().map(r -> r.value()).collect(Collectors.toList());
    }
}
