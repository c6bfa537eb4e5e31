package dev.tokenledger.sink;

import java.sql.Types;

/** The few column types the warehouse uses; {@link Dialect} maps each to its SQL spelling. */
public enum ColumnType {
    TEXT(Types.VARCHAR),
    INTEGER(Types.INTEGER),
    BIGINT(Types.BIGINT),
    BOOLEAN(Types.BOOLEAN),
    /** Exact USD amounts: DECIMAL(38,12), pico-dollar resolution, as on the wire. Never DOUBLE. */
    MONEY(Types.DECIMAL),
    /** A ratio (share, hit rate, margin): DECIMAL(18,4); not money. */
    RATIO(Types.DECIMAL),
    TIMESTAMPTZ(Types.TIMESTAMP_WITH_TIMEZONE),
    DATE(Types.DATE);

    private final int jdbcType;

    ColumnType(int jdbcType) {
        this.jdbcType = jdbcType;
    }

    /** The java.sql.Types constant used to bind a NULL of this type. */
    public int jdbcType() {
        return jdbcType;
    }
}
