package dev.tokenledger.agent.emit;

/** What the agent throws away when its in-memory queue or its disk spool is full. */
public enum DropPolicy {
    /** Keep the newest events: evict the oldest queued event / the oldest spool segment. */
    DROP_OLDEST,
    /** Keep what is already held: the event that does not fit is dropped. */
    DROP_NEWEST
}
