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
