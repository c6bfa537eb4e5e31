package dev.tokenledger.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private final InMemoryAgentMetrics metrics = new InMemoryAgentMetrics();

    private Spool open(long maxBytes, long segmentBytes, DropPolicy policy) {
        return new Spool(dir, maxBytes, segmentBytes, policy, FsyncPolicy.EVERY_BATCH, 1000, metrics);
    }

    private static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> ("event-" + i).getBytes(StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    private static List<String> drainAll(Spool spool) {
        List<String> out = new ArrayList<>();
        while (true) {
            List<Spool.Entry> batch = spool.read(7);
            if (batch.isEmpty()) {
                return out;
            }
            batch.forEach(e -> out.add(new String(e.payload(), StandardCharsets.UTF_8)));
            spool.commit(batch.get(batch.size() - 1).next(), batch.size());
        }
    }

    private static List<String> names(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "event-" + i).collect(Collectors.toList());
    }

    @Test
    void firstInFirstOutAcrossSegments() {
        try (Spool spool = open(1 << 20, 1024, DropPolicy.DROP_NEWEST)) {
            assertThat(spool.append(records(0, 200))).isEqualTo(200);
            assertThat(spool.pending()).isEqualTo(200);
            assertThat(segmentFiles()).hasSizeGreaterThan(2);
            assertThat(drainAll(spool)).containsExactlyElementsOf(names(0, 200));
            assertThat(spool.isEmpty()).isTrue();
        }
        // drained segments are deleted
        assertThat(segmentFiles()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void survivesRestartAndResumesAfterTheCommittedPosition() {
        try (Spool spool = open(1 << 20, 1024, DropPolicy.DROP_NEWEST)) {
            spool.append(records(0, 100));
            List<Spool.Entry> first = spool.read(30);
            spool.commit(first.get(29).next(), 30);
            // read but not committed: must come back after a restart
            spool.read(10);
        }
        try (Spool reopened = open(1 << 20, 1024, DropPolicy.DROP_NEWEST)) {
            assertThat(reopened.pending()).isEqualTo(70);
            reopened.append(records(100, 110));
            assertThat(drainAll(reopened)).containsExactlyElementsOf(names(30, 110));
        }
    }

    @Test
    void rewindReturnsUncommittedRecords() {
        try (Spool spool = open(1 << 20, 1024, DropPolicy.DROP_NEWEST)) {
            spool.append(records(0, 5));
            assertThat(spool.read(3)).hasSize(3);
            spool.rewind();
            assertThat(drainAll(spool)).containsExactlyElementsOf(names(0, 5));
        }
    }

    @Test
    void tornLastRecordIsTruncatedAtOpen() throws IOException {
        try (Spool spool = open(1 << 20, 1 << 16, DropPolicy.DROP_NEWEST)) {
            spool.append(records(0, 3));
        }
        Path segment = segmentFiles().get(0);
        long goodLength = Files.size(segment);
        // a process killed mid-write: header of a 100-byte record, then only 5 bytes of it
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(goodLength);
            f.writeInt(Spool.MAGIC);
            f.writeInt(100);
            f.writeInt(12345);
            f.write(new byte[5]);
        }
        try (Spool reopened = open(1 << 20, 1 << 16, DropPolicy.DROP_NEWEST)) {
            assertThat(reopened.pending()).isEqualTo(3);
            assertThat(Files.size(segment)).isEqualTo(goodLength);
            assertThat(metrics.corruptBytes()).isEqualTo(17);
            reopened.append(records(3, 5));
            assertThat(drainAll(reopened)).containsExactlyElementsOf(names(0, 5));
        }
    }

    @Test
    void corruptedRecordInTheMiddleIsSkippedAndTheRestKept() throws IOException {
        try (Spool spool = open(1 << 20, 1 << 16, DropPolicy.DROP_NEWEST)) {
            spool.append(records(0, 3));
        }
        Path segment = segmentFiles().get(0);
        int recordLength = Spool.HEADER_BYTES + "event-0".length();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            long payloadOfSecond = recordLength + Spool.HEADER_BYTES + 2;
            f.seek(payloadOfSecond);
            f.write('X'); // flips a payload byte: CRC mismatch
        }
        try (Spool reopened = open(1 << 20, 1 << 16, DropPolicy.DROP_NEWEST)) {
            assertThat(drainAll(reopened)).containsExactly("event-0", "event-2");
            assertThat(metrics.corruptBytes()).isPositive();
        }
    }

    @Test
    void dropNewestKeepsWhatIsHeldAndCountsEveryDrop() {
        try (Spool spool = open(4096, 1024, DropPolicy.DROP_NEWEST)) {
            int written = spool.append(records(0, 1000));
            assertThat(written).isBetween(100, 999);
            assertThat(metrics.droppedFromSpool()).isEqualTo(1000 - written);
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(4096);
            assertThat(drainAll(spool)).containsExactlyElementsOf(names(0, written));
        }
    }

    @Test
    void dropOldestKeepsTheNewestAndCountsEveryDrop() {
        try (Spool spool = open(4096, 1024, DropPolicy.DROP_OLDEST)) {
            assertThat(spool.append(records(0, 1000))).isEqualTo(1000);
            long kept = spool.pending();
            assertThat(metrics.droppedFromSpool()).isEqualTo(1000 - kept);
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(4096);
            List<String> left = drainAll(spool);
            assertThat(left).hasSize((int) kept).containsExactlyElementsOf(names(1000 - (int) kept, 1000));
        }
    }

    private List<Path> segmentFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
