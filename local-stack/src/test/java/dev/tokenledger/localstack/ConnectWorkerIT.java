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
package dev.tokenledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tokenledger.schemas.TopicSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The standalone Connect worker runs a classpath connector (Kafka's FileStreamSinkConnector) against the local broker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConnectWorkerIT {

    @TempDir
    Path dir;

    @Test
    void runsASinkConnectorFromTheClasspathUntilItsRecordsLandInTheFile() throws Exception {
        TopicSpec lines = new TopicSpec("connect-it.lines", String.class, String.class, false, "test");
        Path sinkFile = dir.resolve("sink.txt");
        try (LocalStack stack = LocalStack.builder().start()) {
            stack.createTopics(List.of(lines), 1);
            LocalStackIT.send(stack.bootstrapServers(), lines.name(), "a", "first line");
            LocalStackIT.send(stack.bootstrapServers(), lines.name(), "b", "second line");

            long started = System.nanoTime();
            try (ConnectWorker worker = ConnectWorker.start(stack.bootstrapServers(), dir.resolve("connect.offsets"), Map.of())) {
                ConnectorStateInfo status = worker.addConnector("file-sink", Map.of(
                        "connector.class", FileStreamSinkConnector.class.getName(),
                        "tasks.max", "1",
                        "topics", lines.name(),
                        "file", sinkFile.toString()));
                System.out.printf("Connect worker + connector RUNNING in %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                assertThat(status.connector().state()).isEqualTo("RUNNING");
                assertThat(status.tasks()).hasSize(1);

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(Files.exists(sinkFile) ? Files.readAllLines(sinkFile) : List.<String>of())
                                .containsExactly("first line", "second line"));

                assertThat(worker.connectorStatus("file-sink").tasks().get(0).state()).isEqualTo("RUNNING");
                HttpResponse<String> rest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(worker.restUrl().toString()).resolve("/connectors/file-sink/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(rest.statusCode()).isEqualTo(200);
                assertThat(rest.body()).contains("\"state\":\"RUNNING\"");

                assertThatThrownBy(() -> worker.addConnector("broken", Map.of("connector.class", "no.such.Connector", "topics", lines.name())))
                        .hasMessageContaining("broken");
            }
        }
    }
}
