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
package dev.tokenledger.aggregator;

import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import dev.tokenledger.schemas.UsageKeys;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which dimension values an event counts towards, and in which tumbling windows each dimension is
 * kept. Composite values join their parts with '|' in the order of the dimension's name; a missing
 * tag is {@value #NONE}.
 *
 * <p>Windows per dimension, chosen so that state and output grow with what is worth keeping:
 * GLOBAL and FEATURE in MINUTE, HOUR, DAY and MONTH windows; FEATURE_MODEL and PLAN_FEATURE in HOUR,
 * DAY and MONTH; TENANT and FEATURE_TENANT (a long tail of tenants) in HOUR, DAY and MONTH; ROOT_REQUEST
 * (workflow cost: one user action across all its calls) per DAY only, a workflow's cost being the sum
 * of its days; TENANT_USER (top users within a tenant) per DAY and MONTH.
 *
 * <p>Rolling windows derive from HOUR (ROLLING_24H) and DAY (ROLLING_30D) totals. They are published on
 * the spend topic for the low-cardinality dimensions (GLOBAL, FEATURE, FEATURE_MODEL, PLAN_FEATURE);
 * for the others the HTTP API computes them at query time from the same stores, so a tail tenant's
 * event does not cost two extra published records.
 *
 * <p>Every dimension but ROOT_REQUEST is summed per partition and flush before the merge stage
 * ({@link #isPreAggregated}). ROOT_REQUEST and TENANT_USER, the long tail, are kept only when
 * {@code spend.tail.dimensions} is on ({@link #isTail}); otherwise the warehouse answers them.
 */
public final class SpendDimensions {
    /** Value of a dimension part whose tag is absent. */
    public static final String NONE = "-";
    /** dimension_key of the GLOBAL dimension. */
    public static final String GLOBAL_KEY = "all";

    private static final List<SpendWindow> FULL = List.of(SpendWindow.MINUTE, SpendWindow.HOUR, SpendWindow.DAY,
            SpendWindow.MONTH);
    private static final List<SpendWindow> HOURLY = List.of(SpendWindow.HOUR, SpendWindow.DAY, SpendWindow.MONTH);
    private static final Map<SpendDimension, List<SpendWindow>> WINDOWS = new EnumMap<>(SpendDimension.class);
    private static final Set<SpendDimension> PRE_AGGREGATED = EnumSet.complementOf(EnumSet.of(SpendDimension.ROOT_REQUEST));
    private static final Set<SpendDimension> ROLLING = EnumSet.of(SpendDimension.GLOBAL, SpendDimension.FEATURE,
            SpendDimension.FEATURE_MODEL, SpendDimension.PLAN_FEATURE);

    static {
        WINDOWS.put(SpendDimension.GLOBAL, FULL);
        WINDOWS.put(SpendDimension.FEATURE, FULL);
        WINDOWS.put(SpendDimension.FEATURE_MODEL, HOURLY);
        WINDOWS.put(SpendDimension.PLAN_FEATURE, HOURLY);
        WINDOWS.put(SpendDimension.TENANT, HOURLY);
        WINDOWS.put(SpendDimension.FEATURE_TENANT, HOURLY);
        WINDOWS.put(SpendDimension.ROOT_REQUEST, List.of(SpendWindow.DAY));
        WINDOWS.put(SpendDimension.TENANT_USER, List.of(SpendWindow.DAY, SpendWindow.MONTH));
    }

    /**
     * Dimensions summed per partition and flush before the merge stage: all but ROOT_REQUEST, whose
     * values (one user action) seldom repeat within a flush, so holding them would only add a pending
     * write and its deletion per event.
     */
    public static boolean isPreAggregated(SpendDimension dimension) {
        return PRE_AGGREGATED.contains(dimension);
    }

    /** Whether ROLLING_24H / ROLLING_30D totals of this dimension are published on the spend topic. */
    public static boolean publishesRolling(SpendDimension dimension) {
        return ROLLING.contains(dimension);
    }

    private SpendDimensions() {
    }

    /** The tumbling windows (MINUTE, HOUR, DAY, MONTH) a dimension is kept in. */
    public static List<SpendWindow> tumblingWindows(SpendDimension dimension) {
        return WINDOWS.get(dimension);
    }

    /** Whether the dimension has a series for this window kind (rolling ones derive from HOUR / DAY). */
    public static boolean hasWindow(SpendDimension dimension, SpendWindow window) {
        switch (window) {
            case ROLLING_24H:
                return WINDOWS.get(dimension).contains(SpendWindow.HOUR);
            case ROLLING_30D:
                return WINDOWS.get(dimension).contains(SpendWindow.DAY);
            default:
                return WINDOWS.get(dimension).contains(window);
        }
    }

    /** dimension -> dimension_key of everything {@code e} counts towards (TENANT_USER only with a user). */
    public static Map<SpendDimension, String> keysOf(UsageEvent e) {
        return keysOf(e, true);
    }

    /** The long-tail dimensions, kept in the aggregator only when {@code spend.tail.dimensions} is on. */
    public static boolean isTail(SpendDimension dimension) {
        return dimension == SpendDimension.ROOT_REQUEST || dimension == SpendDimension.TENANT_USER;
    }

    /** As {@link #keysOf(UsageEvent)}, without the {@link #isTail} dimensions unless {@code tails}. */
    public static Map<SpendDimension, String> keysOf(UsageEvent e, boolean tails) {
        String feature = e.getFeatureId();
        String tenant = orNone(e.getTenantId());
        Map<SpendDimension, String> keys = new EnumMap<>(SpendDimension.class);
        keys.put(SpendDimension.GLOBAL, GLOBAL_KEY);
        keys.put(SpendDimension.FEATURE, feature);
        keys.put(SpendDimension.TENANT, tenant);
        keys.put(SpendDimension.FEATURE_TENANT, feature + '|' + tenant);
        keys.put(SpendDimension.FEATURE_MODEL, feature + '|' + e.getModel());
        keys.put(SpendDimension.PLAN_FEATURE, orNone(e.getPlanTier()) + '|' + feature);
        if (!tails) {
            return keys;
        }
        keys.put(SpendDimension.ROOT_REQUEST, UsageKeys.keyOf(e));
        if (e.getUserId() != null) {
            keys.put(SpendDimension.TENANT_USER, tenant + '|' + e.getUserId());
        }
        return keys;
    }

    /** The store / repartition key of one dimension value: {@code DIMENSION|dimension_key}. */
    public static String storeKey(SpendDimension dimension, String key) {
        return dimension.name() + '|' + key;
    }

    public static SpendDimension dimensionOf(String storeKey) {
        return SpendDimension.valueOf(storeKey.substring(0, storeKey.indexOf('|')));
    }

    public static String dimensionKeyOf(String storeKey) {
        return storeKey.substring(storeKey.indexOf('|') + 1);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }
}
