package dev.tokenledger.sink;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A minimal JSON writer for the map/list columns and the report (no JSON library on the plugin path). */
public final class Json {
    private Json() {
    }

    /** Writes a String, Number, Boolean, null, Map (keys sorted) or List as JSON. BigDecimal stays exact (plain string). */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof java.math.BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Map<String, Object> ordered = map instanceof java.util.LinkedHashMap<?, ?> ? null : new TreeMap<>();
            Iterator<? extends Map.Entry<?, ?>> it = ordered == null ? map.entrySet().iterator() : sorted(map, ordered);
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                append(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i));
            }
            out.append(']');
        } else {
            string(out, value.toString());
        }
    }

    private static Iterator<? extends Map.Entry<?, ?>> sorted(Map<?, ?> map, Map<String, Object> into) {
        map.forEach((k, v) -> into.put(String.valueOf(k), v));
        return into.entrySet().iterator();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
