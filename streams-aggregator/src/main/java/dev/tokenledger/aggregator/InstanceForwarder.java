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
package dev.tokenledger.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which aggregator instance holds a key, and asking that instance: the query API's counterpart of
 * the {@code MetadataService} in kafka-streams-examples. Ownership comes from the Kafka Streams
 * metadata ({@link KafkaStreams#queryMetadataForKey}, {@link KafkaStreams#streamsMetadataForStore});
 * a remote instance is asked the caller's own request with {@code local=true} added (so it answers
 * from its local stores and never forwards again) and the caller's own Authorization header (so it
 * applies the same token and tenant scope). Metadata look-ups are meant for a worker thread; the
 * call itself is asynchronous on the server's Vert.x client.
 */
final class InstanceForwarder {
    /** Query parameter that asks an instance to answer from its own stores only. */
    static final String LOCAL = "local";
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    private final WebClient client;
    private final Supplier<HostInfo> self;
    private final Supplier<KafkaStreams> streams;

    /**
     * @param self    this instance's advertised {@code application.server}
     * @param streams the attached Kafka Streams instance; throws InvalidStateStoreException while there is none
     */
    InstanceForwarder(WebClient client, Supplier<HostInfo> self, Supplier<KafkaStreams> streams) {
        this.client = client;
        this.self = self;
        this.streams = streams;
    }

    /** The instance holding {@code storeKey} in {@code store} when it is another one; empty when it is this one. */
    Optional<HostInfo> remoteOwner(String store, String storeKey) {
        KeyQueryMetadata md = streams.get().queryMetadataForKey(store, storeKey, new StringSerializer());
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new InvalidStateStoreException("no instance holds " + store + " yet (rebalancing)");
        }
        HostInfo owner = md.activeHost();
        return owner == null || owner.equals(self.get()) ? Optional.empty() : Optional.of(owner);
    }

    /** Every other instance holding part of {@code store}. */
    List<HostInfo> otherHolders(String store) {
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata m : streams.get().streamsMetadataForStore(store)) {
            if (!m.hostInfo().equals(self.get())) {
                others.add(m.hostInfo());
            }
        }
        return others;
    }

    /**
     * {@code request} as answered by {@code host} from its local stores, with the caller's credentials. An
     * answer other than 200 fails with InvalidStateStoreException (the caller answers 503: retry).
     */
    Future<JsonNode> fetch(HostInfo host, HttpServerRequest request) {
        String rawQuery = request.query();
        String uri = request.path() + "?" + (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&") + LOCAL + "=true";
        HttpRequest<Buffer> call = client.get(host.port(), host.host(), uri).timeout(REQUEST_TIMEOUT_MS);
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null) {
            call.putHeader(HttpHeaders.AUTHORIZATION.toString(), auth);
        }
        return call.send().map(response -> {
            if (response.statusCode() != 200) {
                throw new InvalidStateStoreException("instance " + host + " answered " + response.statusCode() + ": "
                        + response.bodyAsString());
            }
            return SpendJson.parse(response.bodyAsString());
        });
    }
}
