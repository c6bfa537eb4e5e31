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

import dev.tokenledger.pricing.InvalidUsageException;
import dev.tokenledger.pricing.DeadLetterReason;
import dev.tokenledger.schemas.Topics;
import dev.tokenledger.schemas.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a usage record the aggregator cannot count into a dead-letter record on
 * {@code tokenledger.usage-dlq.v1} and keeps the application running (KIP-1034 handler responses,
 * written in the same transaction as the task's other output).
 *
 * <p>The dead-letter record carries the original key and value bytes and the original headers, plus
 * {@code tokenledger.dlq.reason} ({@link DeadLetterReason}), {@code tokenledger.dlq.detail} (the
 * message, naming field and value), {@code tokenledger.dlq.topic/partition/offset} and
 * {@code tokenledger.dlq.processor}. Deserialization failures are UNDECODABLE or UNKNOWN_SCHEMA_ID;
 * a registry that cannot be reached is not the record's fault, so that one fails the task (it is
 * retried after restart) instead of dropping good data. Processing failures carry the
 * {@link InvalidUsageException} reason, anything else is PROCESSING_ERROR.
 */
public final class UsageDeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** Config key: topic dead letters go to (default tokenledger.usage-dlq.v1). */
    public static final String DLQ_TOPIC_CONFIG = "tokenledger.dlq.topic";
    public static final String REASON_HEADER = "tokenledger.dlq.reason";
    public static final String DETAIL_HEADER = "tokenledger.dlq.detail";
    public static final String TOPIC_HEADER = "tokenledger.dlq.topic";
    public static final String PARTITION_HEADER = "tokenledger.dlq.partition";
    public static final String OFFSET_HEADER = "tokenledger.dlq.offset";
    public static final String PROCESSOR_HEADER = "tokenledger.dlq.processor";

    private static final Logger LOG = LoggerFactory.getLogger(UsageDeadLetterHandler.class);
    private String dlqTopic = Topics.USAGE_DLQ_TOPIC;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC_CONFIG);
        if (topic != null) {
            dlqTopic = topic.toString();
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        SchemaRegistryException registryError = registryCause(exception);
        DeadLetterReason reason;
        if (registryError == null) {
            reason = DeadLetterReason.UNDECODABLE;
        } else if (registryError.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
                || registryError.httpStatus() == 404) {
            reason = DeadLetterReason.UNKNOWN_SCHEMA_ID;
        } else {
            LOG.error("Schema registry failure while decoding {}-{}@{}: failing the task so the record is retried",
                    record.topic(), record.partition(), record.offset(), exception);
            return DeserializationExceptionHandler.Response.fail();
        }
        LOG.warn("Dead letter {} from {}-{}@{}: {}", reason, record.topic(), record.partition(), record.offset(),
                exception.getMessage());
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(reason, exception, context,
                record.key(), record.value(), record.headers())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        DeadLetterReason reason = exception instanceof InvalidUsageException
                ? ((InvalidUsageException) exception).reason() : DeadLetterReason.PROCESSING_ERROR;
        if (reason == DeadLetterReason.PROCESSING_ERROR) {
            LOG.error("Unexpected failure in {} on {}-{}@{}: record sent to {}", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), dlqTopic, exception);
        } else {
            LOG.warn("Dead letter {} from {}-{}@{}: {}", reason, context.topic(), context.partition(),
                    context.offset(), exception.getMessage());
        }
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(reason, exception, context,
                context.sourceRawKey(), context.sourceRawValue(), context.headers())));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(DeadLetterReason reason, Exception exception,
                                                      ErrorHandlerContext context, byte[] key, byte[] value,
                                                      Headers original) {
        List<Header> headers = new ArrayList<>();
        if (original != null) {
            for (Header h : original) {
                if (!h.key().startsWith("tokenledger.dlq.")) {
                    headers.add(h);
                }
            }
        }
        headers.add(new DlqHeader(REASON_HEADER, utf8(reason.name())));
        headers.add(new DlqHeader(DETAIL_HEADER, utf8(String.valueOf(exception.getMessage()))));
        headers.add(new DlqHeader(TOPIC_HEADER, utf8(context.topic())));
        headers.add(new DlqHeader(PARTITION_HEADER, utf8(Integer.toString(context.partition()))));
        headers.add(new DlqHeader(OFFSET_HEADER, utf8(Long.toString(context.offset()))));
        headers.add(new DlqHeader(PROCESSOR_HEADER, utf8(String.valueOf(context.processorNodeId()))));
        return new ProducerRecord<>(dlqTopic, null, key, value, headers);
    }

    private record DlqHeader(String key, byte[] value) implements Header {
    }

    private static SchemaRegistryException registryCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SchemaRegistryException) {
                return (SchemaRegistryException) c;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
