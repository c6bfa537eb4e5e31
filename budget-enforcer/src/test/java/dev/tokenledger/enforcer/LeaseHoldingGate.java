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
package dev.tokenledger.enforcer;

import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.avro.UsageKind;
import dev.tokenledger.gate.BudgetGate;
import dev.tokenledger.gate.GateCall;
import dev.tokenledger.gate.GateDecision;
import dev.tokenledger.gate.KafkaBudgetGates;
import dev.tokenledger.pricing.PriceCatalog;
import dev.tokenledger.pricing.UsagePricer;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.serde.SpecificAvroSerializer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A gate process for {@code BudgetEnforcerIT}'s SIGKILL test: calls through one gate forever, one call
 * at a time, and prints {@code SENDING <cost>} before a call's usage is produced, {@code SENT <cost>
 * <lease available>} once the broker has it and the call is committed. The test kills it with SIGKILL.
 * Args: bootstrap registry feature hold-usd input-tokens max-tokens model.
 */
public final class LeaseHoldingGate {
    private LeaseHoldingGate() {
    }

    public static void main(String[] args) throws Exception {
        final String bootstrap = args[0];
        final String registry = args[1];
        final String feature = args[2];
        final BigDecimal hold = new BigDecimal(args[3]);
        final long input = Long.parseLong(args[4]);
        final long maxTokens = Long.parseLong(args[5]);
        final String model = args[6];
        final PriceCatalog catalog = PriceCatalog.loadDefault();
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        final SpecificAvroSerializer<UsageEvent> ser = new SpecificAvroSerializer<>(UsageEvent.class);
        ser.configure(Map.of("schema.registry.url", registry), false);
        try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(p, new StringSerializer(), ser)) {
            final BudgetGate gate = KafkaBudgetGates.builder(bootstrap, registry).gateId("doomed").connect();
            gate.awaitReady(Duration.ofSeconds(60));
            System.out.println("READY " + gate.instanceId());
            while (true) {
                final String root = UUID.randomUUID().toString();
                final GateDecision d = gate.reserve(new GateCall(feature, "acme", root, root, null, model, "mid"), hold);
                if (!d.allowed()) {
                    Thread.sleep(20);
                    continue;
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(100, 200));
                final UsageEvent e = UsageEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setKind(UsageKind.COMPLETED)
                        .setOccurredAt(Instant.now()).setFeatureId(feature).setTenantId("acme").setRequestId(root).setRootRequestId(root)
                        .setProvider("anthropic").setModel(model).setInputTokens(input)
                        .setOutputTokens(ThreadLocalRandom.current().nextLong(500, maxTokens + 1))
                        .setReservationId(d.reservation().reservationId()).build();
                final CostedUsage c = UsagePricer.price(e, catalog, Instant.now());
                System.out.println("SENDING " + c.getTotalCostUsd().toPlainString());
                producer.send(new ProducerRecord<>(Topics.USAGE_TOPIC, feature, e)).get();
                gate.commit(d.reservation(), c.getTotalCostUsd());
                System.out.println("SENT " + c.getTotalCostUsd().toPlainString() + " "
                        + gate.leaseAvailable("feature:" + feature).toPlainString());
            }
        }
    }
}
