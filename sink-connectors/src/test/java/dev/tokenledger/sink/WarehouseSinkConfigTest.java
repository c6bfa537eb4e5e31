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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenledger.schemas.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class WarehouseSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "jdbc:duckdb:/tmp/tokenledger.duckdb");
        props.put("schema.registry.url", "http://127.0.0.1:8081");
        return props;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> props = minimal();
        props.put(key, value);
        return props;
    }

    @Test
    void everyDefault() {
        WarehouseSinkConfig config = new WarehouseSinkConfig(minimal());
        assertThat(config.connectionUrl()).isEqualTo("jdbc:duckdb:/tmp/tokenledger.duckdb");
        assertThat(config.dialect()).isEqualTo(Dialect.DUCKDB);
        assertThat(config.connectionUser()).isEmpty();
        assertThat(config.connectionPassword()).isEmpty();
        assertThat(config.usageTopic()).isEqualTo(Topics.USAGE_COSTED_TOPIC);
        assertThat(config.spendTopic()).isEqualTo(Topics.SPEND_TOPIC);
        assertThat(config.decisionsTopic()).isEqualTo(Topics.BUDGET_DECISIONS_TOPIC);
        assertThat(config.alertsTopic()).isEqualTo(Topics.BUDGET_ALERTS_TOPIC);
        assertThat(config.autoCreate()).isTrue();
        assertThat(config.createViews()).isTrue();
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(config.maxRetries()).isEqualTo(10);
        assertThat(config.retryBackoffMs()).isEqualTo(3000L);
        assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://127.0.0.1:8081")
                .containsEntry("basic.auth.credentials.source", "USER_INFO").containsEntry("basic.auth.user.info", "");
    }

    @Test
    void everyKeyHasADocAndAGroup() {
        WarehouseSinkConfig.CONFIG_DEF.configKeys().values().forEach(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
        });
        assertThat(WarehouseSinkConfig.CONFIG_DEF.groups())
                .containsExactly("Connection", "Tables and topics", "Writes", "Retries", "Schema registry");
    }

    @Test
    void requiredKeysAreNamedWhenMissing() {
        Map<String, String> noUrl = minimal();
        noUrl.remove("connection.url");
        assertThatThrownBy(() -> new WarehouseSinkConfig(noUrl)).isInstanceOf(ConfigException.class)
                .hasMessage("Missing required configuration \"connection.url\" which has no default value.");
        Map<String, String> noRegistry = minimal();
        noRegistry.remove("schema.registry.url");
        assertThatThrownBy(() -> new WarehouseSinkConfig(noRegistry)).isInstanceOf(ConfigException.class)
                .hasMessage("Missing required configuration \"schema.registry.url\" which has no default value.");
    }

    @Test
    void everyValidatorNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("connection.url", "jdbc:mysql://db/x?password=hunter2")))
                .hasMessage("Invalid value jdbc:mysql://db/x?password=**** for configuration connection.url: unsupported JDBC URL "
                        + "scheme; use jdbc:duckdb:/path/file.duckdb or jdbc:postgresql://host:5432/db");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("connection.url", "jdbc:duckdb:")))
                .hasMessage("Invalid value jdbc:duckdb: for configuration connection.url: an in-memory DuckDB would lose every "
                        + "row at restart; give a file path (jdbc:duckdb:/path/file.duckdb)");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("connection.url", " ")))
                .hasMessage("Invalid value  for configuration connection.url: must be a JDBC URL (jdbc:duckdb:/path/file.duckdb "
                        + "or jdbc:postgresql://host:5432/db)");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("schema.registry.url", "localhost:8081")))
                .hasMessage("Invalid value localhost:8081 for configuration schema.registry.url: each URL must start with http://, "
                        + "https:// (or mock:// in tests)");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("batch.size", "0")))
                .hasMessage("Invalid value 0 for configuration batch.size: Value must be at least 1");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("batch.size", "100001")))
                .hasMessage("Invalid value 100001 for configuration batch.size: Value must be no more than 100000");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("max.retries", "-1")))
                .hasMessage("Invalid value -1 for configuration max.retries: Value must be at least 0");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("retry.backoff.ms", "-5")))
                .hasMessage("Invalid value -5 for configuration retry.backoff.ms: Value must be at least 0");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("usage.topic", "")))
                .hasMessage("Invalid value  for configuration usage.topic: String must be non-empty");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("basic.auth.credentials.source", "SASL")))
                .hasMessage("Invalid value SASL for configuration basic.auth.credentials.source: String must be one of: USER_INFO, URL");
        assertThatThrownBy(() -> new WarehouseSinkConfig(with("auto.create", "maybe")))
                .hasMessageContaining("Invalid value maybe for configuration auto.create");
    }

    @Test
    void twoTablesCannotShareATopic() {
        Map<String, String> props = with("spend.topic", Topics.USAGE_COSTED_TOPIC);
        assertThatThrownBy(() -> TopicRoute.routes(new WarehouseSinkConfig(props)))
                .hasMessage("Topic 'tokenledger.usage-costed.v1' is configured for two tables; usage.topic, spend.topic, "
                        + "decisions.topic, alerts.topic, reconciliation.alerts.topic and adjustments.topic must differ");
    }

    @Test
    void validateNamesTheSecondTableOnATopic() {
        Map<String, List<String>> errors = errors(new WarehouseSinkConnector().validate(with("alerts.topic", Topics.SPEND_TOPIC)));
        assertThat(errors).containsOnlyKeys("alerts.topic");
        assertThat(errors.get("alerts.topic")).containsExactly(
                "Topic 'tokenledger.spend.v1' is already spend.topic: each table needs its own topic");
    }

    @Test
    void validateNamesTheBadField() {
        Config result = new WarehouseSinkConnector().validate(with("connection.url", "jdbc:sqlite:/tmp/x.db"));
        Map<String, List<String>> errors = errors(result);
        assertThat(errors).containsOnlyKeys("connection.url");
        assertThat(errors.get("connection.url")).singleElement().asString()
                .contains("jdbc:sqlite:/tmp/x.db").contains("unsupported JDBC URL scheme");
    }

    @Test
    void validateRejectsATopicWithNoTable() {
        Map<String, String> props = with("topics", Topics.USAGE_COSTED_TOPIC + ",tokenledger.usage.v1");
        Map<String, List<String>> errors = errors(new WarehouseSinkConnector().validate(props));
        assertThat(errors).containsOnlyKeys("topics");
        // the worker merges our "topics" entry with its own List-typed one
        assertThat(new WarehouseSinkConnector().validate(props).configValues().stream().filter(v -> v.name().equals("topics"))
                .findFirst().orElseThrow().value()).isEqualTo(List.of(Topics.USAGE_COSTED_TOPIC, "tokenledger.usage.v1"));
        assertThat(errors.get("topics")).containsExactly("Topic 'tokenledger.usage.v1' has no warehouse table: subscribe only to "
                + "[tokenledger.usage-costed.v1, tokenledger.spend.v1, tokenledger.budget-decisions.v1, tokenledger.budget-alerts.v1, "
                + "tokenledger.reconciliation-alerts.v1, tokenledger.price-adjustments.v1] (or point usage.topic / spend.topic / "
                + "decisions.topic / alerts.topic / reconciliation.alerts.topic / adjustments.topic at it)");
    }

    @Test
    void validateAcceptsTheFourTopics() {
        Map<String, String> props = with("topics", String.join(",", Topics.USAGE_COSTED_TOPIC, Topics.SPEND_TOPIC,
                Topics.BUDGET_DECISIONS_TOPIC, Topics.BUDGET_ALERTS_TOPIC));
        assertThat(errors(new WarehouseSinkConnector().validate(props))).isEmpty();
    }

    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void startTriesThreeTimesThenNamesTheUrlWhenTheWarehouseCannotBePrepared() {
        Map<String, String> props = with("connection.url", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1&password=secret");
        List<Duration> waits = new ArrayList<>();
        assertThatThrownBy(() -> new WarehouseSinkConnector(waits::add).start(props))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Preparing the warehouse at jdbc:postgresql://127.0.0.1:1/test?connectTimeout=1&password=**** "
                        + "(connection.url) failed 3 times in a row; last error: ")
                .hasCauseInstanceOf(SQLException.class);
        assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }
}
