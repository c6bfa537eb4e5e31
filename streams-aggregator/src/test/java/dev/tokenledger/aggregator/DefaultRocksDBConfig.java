package dev.tokenledger.aggregator;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/** Benchmarks only: Kafka Streams' own RocksDB defaults, to compare with {@link BoundedMemoryRocksDBConfig}. */
public final class DefaultRocksDBConfig implements RocksDBConfigSetter {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    }

    @Override
    public void close(String storeName, Options options) {
    }
}
