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

import dev.tokenledger.pricing.UsageValidator;
import dev.tokenledger.pricing.InvalidUsageException;
import dev.tokenledger.avro.UsageEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * First step after {@code tokenledger.usage.v1}: applies {@link UsageValidator} against the wall
 * clock. A refused event throws {@link InvalidUsageException}; the processing exception handler
 * ({@link UsageDeadLetterHandler}) writes the original bytes and headers to the dead-letter topic
 * and processing resumes with the next record.
 */
final class UsageValidationProcessor implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {
    private final UsageValidator validator;
    private FixedKeyProcessorContext<String, UsageEvent> context;

    UsageValidationProcessor(UsageValidator validator) {
        this.validator = validator;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        if (record.value() == null) {
            return;
        }
        validator.validate(record.value(), context.currentSystemTimeMs());
        context.forward(record);
    }
}
