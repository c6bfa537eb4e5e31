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
package dev.tokenledger.sink;

import dev.tokenledger.avro.BudgetAlert;
import dev.tokenledger.avro.BudgetDecision;
import dev.tokenledger.avro.CostedUsage;
import dev.tokenledger.avro.PriceAdjustment;
import dev.tokenledger.avro.ReconciliationAlert;
import dev.tokenledger.avro.SpendAggregate;
import dev.tokenledger.schemas.serde.SpecificAvroDeserializer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which table a topic's records go to and how one record (Confluent-framed Avro bytes, as handed
 * over by ByteArrayConverter) becomes a row. Decoding failures surface as exceptions the task
 * reports to the dead-letter topic.
 */
public final class TopicRoute {
    private final String topic;
    private final TableSpec table;
    private final Function<SinkRecord, Map<String, Object>> mapper;

    private TopicRoute(String topic, TableSpec table, Function<SinkRecord, Map<String, Object>> mapper) {
        this.topic = topic;
        this.table = table;
        this.mapper = mapper;
    }

    public String topic() {
        return topic;
    }

    public TableSpec table() {
        return table;
    }

    /** The row for a record; throws (SerializationException, DataException, ...) when it cannot be decoded or mapped. */
    public Map<String, Object> toRow(SinkRecord record) {
        return mapper.apply(record);
    }

    /** The routes of a connector configuration (one per table a topic feeds), by topic name. */
    public static Map<String, TopicRoute> routes(WarehouseSinkConfig config) {
        Map<String, Object> serde = config.serdeConfig();
        Map<String, TopicRoute> routes = new HashMap<>();
        SpecificAvroDeserializer<CostedUsage> usage = deserializer(CostedUsage.class, serde);
        SpecificAvroDeserializer<SpendAggregate> spend = deserializer(SpendAggregate.class, serde);
        SpecificAvroDeserializer<BudgetDecision> decisions = deserializer(BudgetDecision.class, serde);
        SpecificAvroDeserializer<BudgetAlert> alerts = deserializer(BudgetAlert.class, serde);
        SpecificAvroDeserializer<ReconciliationAlert> reconciliation = deserializer(ReconciliationAlert.class, serde);
        SpecificAvroDeserializer<PriceAdjustment> adjustments = deserializer(PriceAdjustment.class, serde);
        for (TopicRoute route : List.of(
                new TopicRoute(config.usageTopic(), WarehouseTables.USAGE_LOG_TABLE,
                        r -> RowMappers.usageLog(usage.deserialize(r.topic(), bytes(r)), r.topic(), r.kafkaPartition(), r.kafkaOffset())),
                new TopicRoute(config.spendTopic(), WarehouseTables.SPEND_ROLLUP_TABLE,
                        r -> RowMappers.spendRollup(spend.deserialize(r.topic(), bytes(r)))),
                new TopicRoute(config.decisionsTopic(), WarehouseTables.BUDGET_DECISIONS_TABLE,
                        r -> RowMappers.budgetDecision(decisions.deserialize(r.topic(), bytes(r)))),
                new TopicRoute(config.alertsTopic(), WarehouseTables.BUDGET_ALERTS_TABLE,
                        r -> RowMappers.budgetAlert(alerts.deserialize(r.topic(), bytes(r)))),
                new TopicRoute(config.reconciliationAlertsTopic(), WarehouseTables.RECONCILIATION_ALERTS_TABLE,
                        r -> RowMappers.reconciliationAlert(reconciliation.deserialize(r.topic(), bytes(r)))),
                new TopicRoute(config.adjustmentsTopic(), WarehouseTables.USAGE_ADJUSTMENTS_TABLE,
                        r -> RowMappers.usageAdjustment(adjustments.deserialize(r.topic(), bytes(r)))))) {
            if (routes.putIfAbsent(route.topic(), route) != null) {
                throw new org.apache.kafka.common.config.ConfigException("Topic '" + route.topic()
                        + "' is configured for two tables; usage.topic, spend.topic, decisions.topic, alerts.topic, "
                        + "reconciliation.alerts.topic and adjustments.topic must differ");
            }
        }
        return routes;
    }

    private static <T extends SpecificRecord> SpecificAvroDeserializer<T> deserializer(Class<T> type, Map<String, Object> serde) {
        SpecificAvroDeserializer<T> d = new SpecificAvroDeserializer<>(type);
        d.configure(serde, false);
        return d;
    }

    private static byte[] bytes(SinkRecord record) {
        Object value = record.value();
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] b = new byte[buffer.remaining()];
            buffer.duplicate().get(b);
            return b;
        }
        throw new org.apache.kafka.connect.errors.DataException("Record value on topic '" + record.topic() + "' partition "
                + record.kafkaPartition() + " offset " + record.kafkaOffset() + " is a " + value.getClass().getName()
                + ", expected bytes: set value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    }
}
