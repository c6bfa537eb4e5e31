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

import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Replication factor of the topics TokenLedger creates (its own and Kafka Streams' internal ones).
 * The default, {@link #BROKER_DEFAULT}, leaves the choice to the cluster's
 * {@code default.replication.factor}, as both the admin API and Kafka Streams accept: a
 * single-broker development stack and a three-broker production cluster are both right without a
 * setting.
 */
public final class ReplicationFactor {
    /** -1: the broker's {@code default.replication.factor}. */
    public static final int BROKER_DEFAULT = -1;

    /** Text of the {@code *_DOC} strings: what the default means. */
    public static final String DEFAULT_DOC = "-1 (default) uses the brokers' default.replication.factor (set it to 3 on a "
            + "production cluster; the local stack sets 1).";

    /** Accepts -1 (broker default) or a positive factor; the error names the key and the value. */
    public static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            final int rf = ((Number) value).intValue();
            if (rf != BROKER_DEFAULT && (rf < 1 || rf > Short.MAX_VALUE)) {
                throw new ConfigException(name, value, "use -1 for the brokers' default.replication.factor, or 1 or more");
            }
        }

        @Override
        public String toString() {
            return "-1 (broker default) or [1,...]";
        }
    };

    private ReplicationFactor() {
    }

    /** The factor as {@code NewTopic} takes it: empty for the broker default. */
    public static Optional<Short> forNewTopic(int replicationFactor) {
        return replicationFactor == BROKER_DEFAULT ? Optional.empty() : Optional.of((short) replicationFactor);
    }
}
