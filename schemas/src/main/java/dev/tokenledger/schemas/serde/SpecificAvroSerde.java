package dev.tokenledger.schemas.serde;

import dev.tokenledger.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serde} for a generated Avro class in the Confluent wire format. Configure it with
 * {@code schema.registry.url} (and the other {@link AvroSerdeConfig} keys), or use {@link #create}.
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    public SpecificAvroSerde(Class<T> type) {
        this.serializer = new SpecificAvroSerializer<>(type);
        this.deserializer = new SpecificAvroDeserializer<>(type);
    }

    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.serializer = new SpecificAvroSerializer<>(type, registry, configs, isKey);
        this.deserializer = new SpecificAvroDeserializer<>(type, registry);
    }

    /** A configured serde: {@code configs} must hold at least {@code schema.registry.url}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> create(Class<T> type, Map<String, ?> configs, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
