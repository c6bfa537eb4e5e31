package dev.tokenledger.aggregator;

import dev.tokenledger.avro.SpendDimension;
import dev.tokenledger.avro.SpendWindow;
import dev.tokenledger.avro.UsageEvent;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which dimension values an event counts towards, and in which tumbling windows each dimension is
 * kept. Composite values join their parts with '|' in the order of the dimension's name; a missing
 * tag is {@value #NONE}.
 *
 * <p>GLOBAL, FEATURE, TENANT, FEATURE_TENANT, FEATURE_MODEL and PLAN_FEATURE are kept in MINUTE,
 * HOUR, DAY and MONTH windows (hence also ROLLING_24H from HOUR and ROLLING_30D from DAY).
 * ROOT_REQUEST (workflow cost: one user action across all its calls) is kept per DAY only: a
 * workflow's cost is the sum of its days, and minute series per request id would be pure state
 * growth. TENANT_USER is kept per HOUR, DAY and MONTH (top users within a tenant).
 */
public final class SpendDimensions {
    /** Value of a dimension part whose tag is absent. */
    public static final String NONE = "-";
    /** dimension_key of the GLOBAL dimension. */
    public static final String GLOBAL_KEY = "all";

    private static final List<SpendWindow> FULL = List.of(SpendWindow.MINUTE, SpendWindow.HOUR, SpendWindow.DAY,
            SpendWindow.MONTH);
    private static final Map<SpendDimension, List<SpendWindow>> WINDOWS = new EnumMap<>(SpendDimension.class);

    static {
        for (SpendDimension d : SpendDimension.values()) {
            WINDOWS.put(d, FULL);
        }
        WINDOWS.put(SpendDimension.ROOT_REQUEST, List.of(SpendWindow.DAY));
        WINDOWS.put(SpendDimension.TENANT_USER, List.of(SpendWindow.HOUR, SpendWindow.DAY, SpendWindow.MONTH));
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
        String feature = e.getFeatureId();
        String tenant = orNone(e.getTenantId());
        Map<SpendDimension, String> keys = new EnumMap<>(SpendDimension.class);
        keys.put(SpendDimension.GLOBAL, GLOBAL_KEY);
        keys.put(SpendDimension.FEATURE, feature);
        keys.put(SpendDimension.TENANT, tenant);
        keys.put(SpendDimension.FEATURE_TENANT, feature + '|' + tenant);
        keys.put(SpendDimension.FEATURE_MODEL, feature + '|' + e.getModel());
        keys.put(SpendDimension.PLAN_FEATURE, orNone(e.getPlanTier()) + '|' + feature);
        keys.put(SpendDimension.ROOT_REQUEST, e.getRootRequestId() != null ? e.getRootRequestId() : e.getRequestId());
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
