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
