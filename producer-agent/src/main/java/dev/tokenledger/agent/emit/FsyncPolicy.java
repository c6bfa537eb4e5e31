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

/**
 * When the spool forces its writes to the storage device. Every policy survives a crash of the process
 * (written bytes are in the OS page cache); they differ on a crash of the machine or power loss. The read
 * position ({@code spool.position}, rewritten once per drained batch) and the directory entries are forced
 * on every change under EVERY_BATCH and INTERVAL, never under NONE.
 */
public enum FsyncPolicy {
    /** fsync after every batch the sender appends (a batch is whatever was queued, up to 512 events): at most
     *  the batch being written is lost on power loss. Costs one fsync per batch on the sender thread. */
    EVERY_BATCH,
    /** fsync at most once per {@code spool.fsync.interval.ms}: on power loss, up to that interval is lost. */
    INTERVAL,
    /** Never fsync; the OS writes back when it likes (typically within 30 s on Linux). */
    NONE
}
