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
package dev.tokenledger.agent.emit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only, crash-tolerant FIFO of byte records on local disk: where the agent keeps usage
 * events while Kafka is unreachable, and what it drains, in order, when Kafka is back (also after a
 * process restart: the read position is stored next to the data).
 *
 * <p>Layout in {@code dir}: segment files {@code spool-<20-digit index>.log} of records
 * {@code [magic u32 'TLS1'][length u32][CRC32C u32 of payload][payload]}, and {@code spool.position}
 * holding the committed read position ({@code <segment> <offset>}), replaced atomically.
 *
 * <p>Durability (unless {@link FsyncPolicy#NONE}): segment data is forced per the policy; the position is
 * written to {@code spool.position.tmp}, forced, renamed over {@code spool.position}, and the directory is
 * forced, all before the commit returns (and so before the next append, which waits on the same monitor). A
 * position that survived power loss only in an older version would be worse than a re-send: once the spool
 * has drained, its segment is truncated and refilled from offset 0, so an old position pointing into it
 * would skip the new, fsynced records behind it.
 *
 * <p>Damage tolerance: a torn last record (process killed mid-write) is truncated at open; a corrupted
 * record elsewhere is skipped by resynchronising on the next valid record, and the skipped bytes are
 * reported to {@link AgentMetrics#spoolCorruption(long)}.
 *
 * <p>Bound: when appending would exceed {@code maxBytes}, {@link DropPolicy#DROP_NEWEST} drops the new
 * record, {@link DropPolicy#DROP_OLDEST} deletes the oldest segment (its undrained records are counted as
 * dropped). Thread-safe: one writer (the sender) and one reader (the drainer) at a time, by monitor.
 *
 * <p>Delivery is at-least-once: records are released only by {@link #commit(Position)} after Kafka has
 * acknowledged them; a crash between acknowledgement and commit resends them (consumers dedup on
 * event_id).
 */
public final class Spool implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    static final int MAGIC = 0x544C5331;
    static final int HEADER_BYTES = 12;
    static final String POSITION_FILE = "spool.position";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final DropPolicy dropPolicy;
    private final FsyncPolicy fsyncPolicy;
    private final long fsyncIntervalNanos;
    private final AgentMetrics metrics;
    private final SpoolSync sync;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Position committed;
    private Position cursor;
    private long pendingRecords;
    private long lastFsyncNanos = System.nanoTime();
    private boolean dirty;
    private boolean closed;

    /** Position just after a record: where reading resumes. */
    public record Position(long segment, long offset) {
    }

    /** A record read from the spool, with the position after it. */
    public record Entry(byte[] payload, Position next) {
    }

    private static final class Segment {
        final long index;
        final Path file;
        final FileChannel channel;
        long size;

        Segment(long index, Path file, FileChannel channel, long size) {
            this.index = index;
            this.file = file;
            this.channel = channel;
            this.size = size;
        }
    }

    public Spool(Path dir, long maxBytes, long segmentBytes, DropPolicy dropPolicy, FsyncPolicy fsyncPolicy,
                 long fsyncIntervalMillis, AgentMetrics metrics) {
        this(dir, maxBytes, segmentBytes, dropPolicy, fsyncPolicy, fsyncIntervalMillis, metrics, SpoolSync.DEVICE);
    }

    /** Test seam: {@code sync} sees every force the spool does. */
    Spool(Path dir, long maxBytes, long segmentBytes, DropPolicy dropPolicy, FsyncPolicy fsyncPolicy,
          long fsyncIntervalMillis, AgentMetrics metrics, SpoolSync sync) {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("spool.max.bytes must be at least 4096, got " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(1024, Math.min(segmentBytes, maxBytes / 2));
        this.dropPolicy = dropPolicy;
        this.fsyncPolicy = fsyncPolicy;
        this.fsyncIntervalNanos = fsyncIntervalMillis * 1_000_000L;
        this.metrics = metrics;
        this.sync = sync;
        try {
            Files.createDirectories(dir);
            open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the usage spool in " + dir + ": " + e.getMessage()
                    + " (set spool.dir to a writable directory)", e);
        }
    }

    private void open() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("spool-") && name.endsWith(".log")) {
                    long index = Long.parseLong(name.substring(6, name.length() - 4));
                    FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    segments.put(index, new Segment(index, f, ch, ch.size()));
                }
            }
        }
        committed = readPosition();
        // segments before the committed one are fully drained (deletion may not have happened before a crash)
        while (!segments.isEmpty() && segments.firstKey() < committed.segment()) {
            deleteSegment(segments.firstEntry().getValue());
        }
        if (segments.isEmpty()) {
            long index = Math.max(committed.segment(), 0);
            newSegment(index);
            committed = new Position(index, 0);
        } else if (committed.segment() < segments.firstKey()) {
            committed = new Position(segments.firstKey(), 0);
        }
        // count what is left, truncating a torn tail of the last segment
        pendingRecords = 0;
        for (Segment s : segments.values()) {
            long from = s.index == committed.segment() ? Math.min(committed.offset(), s.size) : 0;
            long[] counted = countValid(s, from);
            pendingRecords += counted[0];
            if (s.index == segments.lastKey() && counted[1] < s.size) {
                LOG.warn("Usage spool {}: truncating {} bytes of a torn record at the end of {}", dir, s.size - counted[1], s.file.getFileName());
                metrics.spoolCorruption(s.size - counted[1]);
                s.channel.truncate(counted[1]);
                s.size = counted[1];
            }
        }
        cursor = committed;
        if (pendingRecords > 0) {
            LOG.info("Usage spool {}: {} events waiting to be sent from a previous run", dir, pendingRecords);
        }
    }

    /** Counts valid records from {@code from}; returns {count, offset after the last valid record}. */
    private long[] countValid(Segment s, long from) throws IOException {
        long count = 0;
        long pos = from;
        long endOfValid = from;
        while (pos < s.size) {
            int len = validRecordLength(s, pos);
            if (len < 0) {
                long next = resync(s, pos + 1);
                if (next < 0) {
                    break;
                }
                metrics.spoolCorruption(next - pos);
                LOG.warn("Usage spool: skipped {} corrupted bytes in {} at offset {}", next - pos, s.file.getFileName(), pos);
                pos = next;
                continue;
            }
            pos += HEADER_BYTES + len;
            endOfValid = pos;
            count++;
        }
        return new long[] {count, endOfValid};
    }

    /** Length of the valid record at {@code pos}, or -1. */
    private static int validRecordLength(Segment s, long pos) throws IOException {
        if (pos + HEADER_BYTES > s.size) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        readFully(s.channel, header, pos);
        header.flip();
        if (header.getInt() != MAGIC) {
            return -1;
        }
        int len = header.getInt();
        int crc = header.getInt();
        if (len < 0 || pos + HEADER_BYTES + len > s.size) {
            return -1;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        readFully(s.channel, payload, pos + HEADER_BYTES);
        CRC32C c = new CRC32C();
        c.update(payload.array(), 0, len);
        return (int) c.getValue() == crc ? len : -1;
    }

    private static long resync(Segment s, long from) throws IOException {
        for (long p = from; p + HEADER_BYTES <= s.size; p++) {
            ByteBuffer b = ByteBuffer.allocate(4);
            readFully(s.channel, b, p);
            b.flip();
            if (b.getInt() == MAGIC && validRecordLength(s, p) >= 0) {
                return p;
            }
        }
        return -1;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of spool segment at " + (pos + buf.position()));
            }
        }
    }

    /**
     * Appends records in order, applying the size bound.
     *
     * @return how many were written (the rest were dropped and counted)
     */
    public synchronized int append(List<byte[]> payloads) {
        ensureOpen();
        int written = 0;
        try {
            for (byte[] payload : payloads) {
                long need = HEADER_BYTES + (long) payload.length;
                if (need > maxBytes) {
                    metrics.dropped("spool", 1);
                    LOG.error("Usage spool: dropped an event of {} bytes, larger than spool.max.bytes={}", need, maxBytes);
                    continue;
                }
                if (totalBytes() + need > maxBytes && !makeRoom(need)) {
                    metrics.dropped("spool", 1);
                    logDrop(1);
                    continue;
                }
                Segment active = segments.lastEntry().getValue();
                if (active.size > 0 && active.size + need > segmentBytes) {
                    active = newSegment(active.index + 1);
                }
                ByteBuffer buf = ByteBuffer.allocate((int) need);
                CRC32C crc = new CRC32C();
                crc.update(payload, 0, payload.length);
                buf.putInt(MAGIC).putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
                long pos = active.size;
                while (buf.hasRemaining()) {
                    pos += active.channel.write(buf, pos);
                }
                active.size = pos;
                pendingRecords++;
                written++;
                dirty = true;
            }
            maybeFsync();
        } catch (IOException e) {
            metrics.dropped("spool", payloads.size() - written);
            LOG.error("Usage spool {}: write failed, {} events dropped: {}", dir, payloads.size() - written, e.toString());
        }
        return written;
    }

    private long dropsLogged;
    private long lastDropLogNanos;

    private void logDrop(int n) {
        dropsLogged += n;
        long now = System.nanoTime();
        if (now - lastDropLogNanos > 1_000_000_000L) {
            LOG.error("Usage spool {} is full (spool.max.bytes={}, policy {}): {} events dropped so far", dir, maxBytes, dropPolicy, dropsLogged);
            lastDropLogNanos = now;
        }
    }

    /** Frees space for {@code need} bytes under DROP_OLDEST; false when the new record must be dropped. */
    private boolean makeRoom(long need) throws IOException {
        if (dropPolicy == DropPolicy.DROP_NEWEST) {
            return false;
        }
        while (totalBytes() + need > maxBytes) {
            if (segments.size() == 1) {
                newSegment(segments.lastKey() + 1);
            }
            Segment oldest = segments.firstEntry().getValue();
            long from = oldest.index == committed.segment() ? committed.offset() : 0;
            long lost = countValid(oldest, from)[0];
            deleteSegment(oldest);
            pendingRecords -= lost;
            metrics.dropped("spool", (int) lost);
            logDrop((int) lost);
            Segment next = segments.firstEntry().getValue();
            committed = new Position(next.index, 0);
            if (cursor.segment() <= oldest.index) {
                cursor = committed;
            }
            writePosition(committed);
        }
        return true;
    }

    private long totalBytes() {
        long sum = 0;
        for (Segment s : segments.values()) {
            sum += s.size;
        }
        return sum;
    }

    private void maybeFsync() throws IOException {
        if (!dirty) {
            return;
        }
        long now = System.nanoTime();
        boolean due = switch (fsyncPolicy) {
            case EVERY_BATCH -> true;
            case INTERVAL -> now - lastFsyncNanos >= fsyncIntervalNanos;
            case NONE -> false;
        };
        if (due) {
            Segment active = segments.lastEntry().getValue();
            sync.force(active.channel, active.file);
            lastFsyncNanos = now;
            dirty = false;
        }
    }

    /** Reads up to {@code max} records from the read cursor onwards (not yet released). */
    public synchronized List<Entry> read(int max) {
        ensureOpen();
        List<Entry> out = new ArrayList<>();
        try {
            while (out.size() < max) {
                Segment s = segments.get(cursor.segment());
                if (s == null) {
                    Map.Entry<Long, Segment> next = segments.ceilingEntry(cursor.segment());
                    if (next == null) {
                        break;
                    }
                    cursor = new Position(next.getKey(), 0);
                    continue;
                }
                if (cursor.offset() >= s.size) {
                    Map.Entry<Long, Segment> next = segments.higherEntry(s.index);
                    if (next == null) {
                        break;
                    }
                    cursor = new Position(next.getKey(), 0);
                    continue;
                }
                int len = validRecordLength(s, cursor.offset());
                if (len < 0) {
                    long next = resync(s, cursor.offset() + 1);
                    long skipTo = next < 0 ? s.size : next;
                    metrics.spoolCorruption(skipTo - cursor.offset());
                    LOG.warn("Usage spool: skipped {} corrupted bytes in {} at offset {}", skipTo - cursor.offset(), s.file.getFileName(), cursor.offset());
                    cursor = new Position(s.index, skipTo);
                    continue;
                }
                ByteBuffer payload = ByteBuffer.allocate(len);
                readFully(s.channel, payload, cursor.offset() + HEADER_BYTES);
                cursor = new Position(s.index, cursor.offset() + HEADER_BYTES + len);
                out.add(new Entry(payload.array(), cursor));
            }
        } catch (IOException e) {
            LOG.error("Usage spool {}: read failed: {}", dir, e.toString());
        }
        return out;
    }

    /** Releases every record up to {@code upTo} ({@code recordCount} of them): they reached Kafka. */
    public synchronized void commit(Position upTo, int recordCount) {
        ensureOpen();
        if (upTo.segment() < committed.segment() || (upTo.segment() == committed.segment() && upTo.offset() <= committed.offset())) {
            return; // already released (or dropped by DROP_OLDEST meanwhile)
        }
        committed = upTo;
        pendingRecords = Math.max(0, pendingRecords - recordCount);
        try {
            while (segments.size() > 1 && segments.firstKey() < committed.segment()) {
                deleteSegment(segments.firstEntry().getValue());
            }
            Segment active = segments.lastEntry().getValue();
            if (committed.segment() == active.index && committed.offset() >= active.size && segments.size() == 1) {
                // fully drained: start over in the same segment so the directory stays small
                active.channel.truncate(0);
                active.size = 0;
                committed = new Position(active.index, 0);
                cursor = committed;
                pendingRecords = 0;
            }
            writePosition(committed);
        } catch (IOException e) {
            LOG.error("Usage spool {}: cannot store the read position (events may be re-sent after a restart): {}", dir, e.toString());
        }
    }

    /** Moves the read cursor back to the committed position (after a failed send). */
    public synchronized void rewind() {
        cursor = committed;
    }

    /** Records not yet released. */
    public synchronized long pending() {
        return pendingRecords;
    }

    public synchronized boolean isEmpty() {
        return pendingRecords == 0;
    }

    public synchronized long sizeBytes() {
        return totalBytes();
    }

    /** The directory the spool lives in. */
    public Path dir() {
        return dir;
    }

    private Segment newSegment(long index) throws IOException {
        Path f = dir.resolve(String.format("spool-%020d.log", index));
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Segment s = new Segment(index, f, ch, ch.size());
        segments.put(index, s);
        // the new file's directory entry: forcing the file's data does not force its name
        forceDirectory();
        return s;
    }

    private void deleteSegment(Segment s) throws IOException {
        segments.remove(s.index);
        s.channel.close();
        Files.deleteIfExists(s.file);
    }

    private Position readPosition() throws IOException {
        Path p = dir.resolve(POSITION_FILE);
        if (!Files.exists(p)) {
            return new Position(segments.isEmpty() ? 0 : segments.firstKey(), 0);
        }
        String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split("\\s+");
        try {
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            LOG.warn("Usage spool {}: unreadable {} ({}); re-reading from the oldest segment", dir, POSITION_FILE, e.toString());
            return new Position(segments.isEmpty() ? 0 : segments.firstKey(), 0);
        }
    }

    /** Replaces {@code spool.position}: temp file, forced, renamed over the old one, directory forced. */
    private void writePosition(Position pos) throws IOException {
        Path tmp = dir.resolve(POSITION_FILE + ".tmp");
        ByteBuffer text = ByteBuffer.wrap((pos.segment() + " " + pos.offset() + "\n").getBytes(StandardCharsets.US_ASCII));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (text.hasRemaining()) {
                ch.write(text);
            }
            if (fsyncPolicy != FsyncPolicy.NONE) {
                sync.force(ch, tmp);
            }
        }
        Files.move(tmp, dir.resolve(POSITION_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
    }

    /** Forces the directory's entries (a rename, a new file), unless NONE; a platform that cannot open a directory is skipped. */
    private void forceDirectory() throws IOException {
        if (fsyncPolicy == FsyncPolicy.NONE) {
            return;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; NTFS journals the rename itself
            return;
        }
        try (ch) {
            sync.force(ch, dir);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("spool " + dir + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Segment s : segments.values()) {
            try {
                if (fsyncPolicy != FsyncPolicy.NONE) {
                    sync.force(s.channel, s.file);
                }
                s.channel.close();
            } catch (IOException e) {
                LOG.warn("Usage spool {}: close failed: {}", dir, e.toString());
            }
        }
    }
}
