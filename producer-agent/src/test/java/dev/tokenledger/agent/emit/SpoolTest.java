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

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
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

    /** One force the spool asked for: of which file (".": the directory), and what the position files held then. */
    private record Forced(String file, String tmp, String position) {
    }

    private String contentOrNull(String name) {
        Path p = dir.resolve(name);
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.US_ASCII) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SpoolSync recording(List<Forced> forced) {
        return (channel, file) -> {
            forced.add(new Forced(file.equals(dir) ? "." : file.getFileName().toString(),
                    contentOrNull(Spool.POSITION_FILE + ".tmp"), contentOrNull(Spool.POSITION_FILE)));
            channel.force(false);
        };
    }

    private static String text(Spool.Position p) {
        return p.segment() + " " + p.offset() + "\n";
    }

    @Test
    void aCommitForcesThePositionInATempFileThenRenamesItOverTheOldOneThenForcesTheDirectory() {
        List<Forced> forced = new ArrayList<>();
        try (Spool spool = new Spool(dir, 1 << 20, 1 << 16, DropPolicy.DROP_NEWEST, FsyncPolicy.EVERY_BATCH, 1000,
                metrics, recording(forced))) {
            spool.append(records(0, 10));
            List<Spool.Entry> first = spool.read(4);
            forced.clear();
            spool.commit(first.get(3).next(), 4);
            String one = text(first.get(3).next());
            assertThat(forced).containsExactly(
                    new Forced(Spool.POSITION_FILE + ".tmp", one, null),
                    new Forced(".", null, one));

            List<Spool.Entry> second = spool.read(3);
            forced.clear();
            spool.commit(second.get(2).next(), 3);
            String two = text(second.get(2).next());
            // the temp file is on the device while the old position is still in place; the rename is forced after
            assertThat(forced).containsExactly(
                    new Forced(Spool.POSITION_FILE + ".tmp", two, one),
                    new Forced(".", null, two));
        }
        try (Spool reopened = open(1 << 20, 1 << 16, DropPolicy.DROP_NEWEST)) {
            assertThat(drainAll(reopened)).containsExactlyElementsOf(names(7, 10));
        }
    }

    @Test
    void aNewSegmentFileIsForcedIntoTheDirectory() {
        List<Forced> forced = new ArrayList<>();
        try (Spool spool = new Spool(dir, 1 << 20, 1024, DropPolicy.DROP_NEWEST, FsyncPolicy.EVERY_BATCH, 1000,
                metrics, recording(forced))) {
            forced.clear();
            spool.append(records(0, 200));
            long segmentsCreated = segmentFiles().size() - 1;
            assertThat(segmentsCreated).isPositive();
            assertThat(forced.stream().filter(f -> f.file().equals(".")).count()).isEqualTo(segmentsCreated);
        }
    }

    @Test
    void fsyncPolicyNoneForcesNothingAndStillReplacesThePositionAtomically() {
        List<Forced> forced = new ArrayList<>();
        try (Spool spool = new Spool(dir, 1 << 20, 1024, DropPolicy.DROP_NEWEST, FsyncPolicy.NONE, 1000,
                metrics, recording(forced))) {
            spool.append(records(0, 200));
            List<Spool.Entry> batch = spool.read(50);
            spool.commit(batch.get(49).next(), 50);
            assertThat(contentOrNull(Spool.POSITION_FILE)).isEqualTo(text(batch.get(49).next()));
        }
        assertThat(forced).isEmpty();
        assertThat(dir.resolve(Spool.POSITION_FILE + ".tmp")).doesNotExist();
    }

    private List<Path> segmentFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
