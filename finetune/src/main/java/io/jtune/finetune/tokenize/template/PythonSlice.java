package io.jtune.finetune.tokenize.template;

import java.util.ArrayList;
import java.util.List;

/**
 * A Python slice {@code [start:stop:step]} (each part may be {@code null}), applied to lists and
 * strings (by code point) with Python's rules for negative and out-of-range bounds.
 *
 * <p>Jinjava turns every item key into a string before resolvers see it, so a slice travels as
 * its {@link #key()}: a string no template would use as a key.
 */
record PythonSlice(Long start, Long stop, Long step) {
    private static final String KEY_PREFIX = "\u0000jtune-slice:";

    /** This slice as an item key. */
    String key() {
        return KEY_PREFIX + start + ":" + stop + ":" + step;
    }

    /** The slice an item key stands for, or {@code null} for any other key. */
    static PythonSlice fromKey(Object key) {
        if (!(key instanceof String s) || !s.startsWith(KEY_PREFIX)) {
            return null;
        }
        String[] parts = s.substring(KEY_PREFIX.length()).split(":");
        return new PythonSlice(part(parts[0]), part(parts[1]), part(parts[2]));
    }

    private static Long part(String s) {
        return s.equals("null") ? null : Long.valueOf(s);
    }

    /** The slice for the values of {@code start}, {@code stop} and {@code step} in a template. */
    static PythonSlice of(Object start, Object stop, Object step) {
        return new PythonSlice(bound(start), bound(stop), bound(step));
    }

    private static Long bound(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n && !(o instanceof Double || o instanceof Float)) {
            return n.longValue();
        }
        throw new IllegalArgumentException("slice indices must be integers or None, not " + PythonValues.repr(o));
    }

    /** The items of {@code list} this slice selects. */
    List<Object> apply(List<?> list) {
        List<Object> out = new ArrayList<>();
        for (int i : indexes(list.size())) {
            out.add(list.get(i));
        }
        return out;
    }

    /** The code points of {@code s} this slice selects. */
    String apply(String s) {
        int[] codePoints = s.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        for (int i : indexes(codePoints.length)) {
            out.appendCodePoint(codePoints[i]);
        }
        return out.toString();
    }

    private int[] indexes(int length) {
        long by = step == null ? 1 : step;
        if (by == 0) {
            throw new IllegalArgumentException("slice step cannot be zero");
        }
        long from;
        long to;
        if (by > 0) {
            from = start == null ? 0 : clamp(start, length, 0, length);
            to = stop == null ? length : clamp(stop, length, 0, length);
        } else {
            from = start == null ? length - 1 : clamp(start, length, -1, length - 1);
            to = stop == null ? -1 : clamp(stop, length, -1, length - 1);
        }
        List<Integer> picked = new ArrayList<>();
        for (long i = from; by > 0 ? i < to : i > to; i += by) {
            picked.add((int) i);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long clamp(long index, int length, long low, long high) {
        long i = index < 0 ? index + length : index;
        return Math.max(low, Math.min(high, i));
    }
}
