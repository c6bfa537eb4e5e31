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
