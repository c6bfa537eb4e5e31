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
