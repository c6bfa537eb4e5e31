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
package dev.tokenledger.schemas.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client settings TokenLedger's delivery guarantees rest on, and the one prefix convention
 * for the settings every app passes through to its clients. Like {@code StreamsConfig} does for
 * exactly-once, an override that would break a guarantee is refused at start with the key (as the
 * user wrote it) and the value named, instead of being applied or silently dropped.
 *
 * <p>Pass-through prefixes, the same in every app: {@code streams.} (to Kafka Streams, without the
 * prefix), {@code producer.} and {@code consumer.} (to the app's producers / consumers), {@code registry.}
 * (to the schema-registry serdes). The guarded rules:
 * <ul>
 *   <li>Kafka Streams apps (aggregator, enforcer): {@code processing.guarantee} stays {@code exactly_once_v2};
 *       every producer stays idempotent and every consumer reads committed data, whether the key is
 *       given bare or under Streams' own {@code producer.}, {@code consumer.}, {@code main.consumer.},
 *       {@code restore.consumer.} or {@code global.consumer.} prefixes.</li>
 *   <li>Idempotent producers (agent, gate, Streams): {@code enable.idempotence} true, {@code acks}
 *       all (-1), at most 5 requests in flight, retries not 0, no {@code transactional.id} of the user's.</li>
 *   <li>Consumers of transactional output (gate, Streams): {@code isolation.level} read_committed.</li>
 * </ul>
 */
public final class GuaranteedSettings {
    /** Prefix of the settings passed to Kafka Streams (without the prefix). */
    public static final String STREAMS_PREFIX = "streams.";
    /** Prefix of the settings passed to the app's Kafka producers. */
    public static final String PRODUCER_PREFIX = "producer.";
    /** Prefix of the settings passed to the app's Kafka consumers. */
    public static final String CONSUMER_PREFIX = "consumer.";
    /** Prefix of the settings passed to the schema-registry serdes (basic.auth.user.info, ...). */
    public static final String REGISTRY_PREFIX = "registry.";

    /** Largest {@code max.in.flight.requests.per.connection} with which an idempotent producer keeps order. */
    public static final int MAX_IN_FLIGHT_LIMIT = 5;

    static final String PROCESSING_GUARANTEE = "processing.guarantee";
    static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    static final String ACKS = "acks";
    static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
    static final String RETRIES = "retries";
    static final String TRANSACTIONAL_ID = "transactional.id";
    static final String ISOLATION_LEVEL = "isolation.level";
    static final String READ_COMMITTED = "read_committed";

    /**
     * Kafka Streams' own client prefixes ({@code StreamsConfig.producerPrefix}, {@code mainConsumerPrefix},
     * ...), spelt out because this contracts module does not depend on kafka-streams. "" is the bare key,
     * which Streams applies to every client.
     */
    static final List<String> STREAMS_PRODUCER_PREFIXES = List.of("", "producer.");
    static final List<String> STREAMS_CONSUMER_PREFIXES = List.of("", "consumer.", "main.consumer.", "restore.consumer.",
            "global.consumer.");

    private GuaranteedSettings() {
    }

    /**
     * The Kafka Streams settings an exactly_once_v2 app passes through from its {@code originals}:
     * {@code streams.<key>} as {@code <key>}, {@code producer.<key>} and {@code consumer.<key>} unchanged
     * (they are Streams' own client prefixes). Refuses any that would break exactly-once.
     *
     * @throws ConfigException naming the key as written in {@code originals}
     */
    public static Map<String, Object> streamsPassThrough(Map<String, ?> originals) {
        final Map<String, Object> streams = withPrefix(originals, STREAMS_PREFIX);
        requireExactlyOnceStreams(streams, STREAMS_PREFIX);
        final Map<String, Object> clients = new HashMap<>();
        originals.forEach((k, v) -> {
            if (k.startsWith(PRODUCER_PREFIX) || k.startsWith(CONSUMER_PREFIX)) {
                clients.put(k, v);
            }
        });
        requireExactlyOnceStreams(clients, "");
        final Map<String, Object> all = new HashMap<>(streams);
        all.putAll(clients);
        return all;
    }

    /**
     * Refuses Kafka Streams settings (keys as Streams reads them) that would break exactly_once_v2.
     * {@code writtenWith} is put back in front of a key in the error, so it names the key the user wrote.
     */
    public static void requireExactlyOnceStreams(Map<String, ?> streamsConfig, String writtenWith) {
        final Object guarantee = streamsConfig.get(PROCESSING_GUARANTEE);
        if (guarantee != null && !EXACTLY_ONCE_V2.equalsIgnoreCase(String.valueOf(guarantee).trim())) {
            throw refused(writtenWith + PROCESSING_GUARANTEE, guarantee, "TokenLedger's Kafka Streams apps run "
                    + EXACTLY_ONCE_V2 + ": any other guarantee counts replayed usage twice after a crash. Remove the setting");
        }
        for (String prefix : STREAMS_PRODUCER_PREFIXES) {
            requireIdempotentProducer(withPrefix(streamsConfig, prefix), writtenWith + prefix);
        }
        for (String prefix : STREAMS_CONSUMER_PREFIXES) {
            requireReadCommittedConsumer(withPrefix(streamsConfig, prefix), writtenWith + prefix);
        }
    }

    /**
     * Refuses producer settings that would make an idempotent producer duplicate, reorder or lose records
     * on retry, or make it transactional behind TokenLedger's back.
     */
    public static void requireIdempotentProducer(Map<String, ?> producerConfig, String writtenWith) {
        final Object idempotence = producerConfig.get(ENABLE_IDEMPOTENCE);
        if (idempotence != null && !"true".equalsIgnoreCase(String.valueOf(idempotence).trim())) {
            throw refused(writtenWith + ENABLE_IDEMPOTENCE, idempotence, "TokenLedger's producers must stay idempotent "
                    + "(a retried send must not write a record twice). Remove the setting or set it to true");
        }
        final Object acks = producerConfig.get(ACKS);
        if (acks != null) {
            final String a = String.valueOf(acks).trim().toLowerCase(Locale.ROOT);
            if (!a.equals("all") && !a.equals("-1")) {
                throw refused(writtenWith + ACKS, acks, "an idempotent producer needs every in-sync replica to acknowledge "
                        + "(a record acknowledged by the leader alone is lost when it fails). Remove the setting or set it to all");
            }
        }
        final Object inFlight = producerConfig.get(MAX_IN_FLIGHT);
        if (inFlight != null) {
            final Integer n = parseInt(inFlight);
            if (n == null || n < 1 || n > MAX_IN_FLIGHT_LIMIT) {
                throw refused(writtenWith + MAX_IN_FLIGHT, inFlight, "an idempotent producer keeps the order of its records "
                        + "only with 1 to " + MAX_IN_FLIGHT_LIMIT + " requests in flight per connection. Remove the setting or "
                        + "set 1 to " + MAX_IN_FLIGHT_LIMIT);
            }
        }
        final Object retries = producerConfig.get(RETRIES);
        if (retries != null) {
            final Integer n = parseInt(retries);
            if (n == null || n < 1) {
                throw refused(writtenWith + RETRIES, retries, "an idempotent producer must retry a failed send "
                        + "(delivery.timeout.ms bounds how long). Remove the setting");
            }
        }
        final Object transactionalId = producerConfig.get(TRANSACTIONAL_ID);
        if (transactionalId != null) {
            throw refused(writtenWith + TRANSACTIONAL_ID, transactionalId, "TokenLedger sets the transactional ids it needs "
                    + "(Kafka Streams under exactly_once_v2); a producer made transactional by configuration alone fails "
                    + "every send. Remove the setting");
        }
    }

    /** Refuses consumer settings that would read data of transactions that are later aborted. */
    public static void requireReadCommittedConsumer(Map<String, ?> consumerConfig, String writtenWith) {
        final Object isolation = consumerConfig.get(ISOLATION_LEVEL);
        if (isolation != null && !READ_COMMITTED.equalsIgnoreCase(String.valueOf(isolation).trim())) {
            throw refused(writtenWith + ISOLATION_LEVEL, isolation, "TokenLedger reads transactional output (spend, "
                    + "budget state) only once committed; read_uncommitted would act on writes that are later aborted. "
                    + "Remove the setting or set it to " + READ_COMMITTED);
        }
    }

    /** The entries of {@code config} whose key starts with {@code prefix}, without it. */
    public static Map<String, Object> withPrefix(Map<String, ?> config, String prefix) {
        final Map<String, Object> out = new HashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static Integer parseInt(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ConfigException refused(String key, Object value, String why) {
        return new ConfigException(key, value, why + ".");
    }
}
