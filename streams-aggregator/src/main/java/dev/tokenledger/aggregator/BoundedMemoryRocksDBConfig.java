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

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the instance (the Kafka Streams "bounded
 * memory" recipe): one LRU block cache of {@code rocksdb.block.cache.bytes} shared by all stores,
 * memtables charged to it through a {@link WriteBufferManager} ({@code rocksdb.write.buffer.bytes}),
 * index and filter blocks cached in it too. Without this each store (and each segment of a window
 * store) gets its own 50 MB of default cache and memtables, and memory grows with partitions.
 *
 * <p>The cache must be shared by every store, hence the one process-wide instance: Kafka Streams
 * instantiates this class per store and offers no other place to hang shared native objects.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {
    private static final Object LOCK = new Object();
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        synchronized (LOCK) {
            if (cache == null) {
                long cacheBytes = longConfig(configs, AggregatorConfig.ROCKSDB_CACHE_BYTES_CONFIG, 256L << 20);
                long writeBufferBytes = longConfig(configs, AggregatorConfig.ROCKSDB_WRITE_BUFFER_BYTES_CONFIG, 128L << 20);
                cache = new LRUCache(cacheBytes, -1, false, 0.1);
                writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
            }
        }
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
        // no cap on the number of memtables: the write buffer manager bounds their memory, and a cap of 2
        // stopped writes whenever a flush was still running
    }

    @Override
    public void close(String storeName, Options options) {
        // the shared cache and write buffer manager outlive any one store
    }

    private static long longConfig(Map<String, Object> configs, String key, long defaultValue) {
        Object v = configs.get(key);
        return v == null ? defaultValue : Long.parseLong(v.toString());
    }
}
