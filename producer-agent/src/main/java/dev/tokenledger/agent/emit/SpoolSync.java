package dev.tokenledger.agent.emit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * How the {@link Spool} forces what it wrote to the storage device: a segment's data, the temporary
 * position file before it replaces {@code spool.position}, and the spool directory after a rename or a
 * new segment. A seam, so a test can see what is forced and in which state the files are at that moment.
 */
@FunctionalInterface
interface SpoolSync {
    /** Forces the data (and the metadata needed to read it back) of {@code file}, open as {@code channel}. */
    void force(FileChannel channel, Path file) throws IOException;

    /** The real thing: {@link FileChannel#force(boolean) force(false)}, i.e. fdatasync. */
    SpoolSync DEVICE = (channel, file) -> channel.force(false);
}
