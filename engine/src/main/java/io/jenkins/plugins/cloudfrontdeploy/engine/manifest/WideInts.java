package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A column of {@code long}s kept as {@code int}s: sizes and modification times in seconds nearly always fit, so the
 * rare one that does not (a file over 2 GiB, a time after 2038) is kept aside by index; each index is set once. Half
 * the memory of a {@code long[]} for a million-entry listing.
 */
final class WideInts implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Stands for "see {@link #wide}". */
    private static final int ASIDE = Integer.MIN_VALUE;
    /** Stands for {@link Long#MIN_VALUE}, which a column uses for "none" (a folder's modification time). */
    private static final int NONE = Integer.MIN_VALUE + 1;

    private int[] values;
    private final Map<Integer, Long> wide = new HashMap<>();

    WideInts(int capacity) {
        values = new int[capacity];
    }

    void set(int index, long value) {
        if (value > NONE && value <= Integer.MAX_VALUE) {
            values[index] = (int) value;
        } else if (value == Long.MIN_VALUE) {
            values[index] = NONE;
        } else {
            values[index] = ASIDE;
            wide.put(index, value);
        }
    }

    long get(int index) {
        int v = values[index];
        return v == NONE ? Long.MIN_VALUE : v != ASIDE ? v : wide.get(index);
    }

    void grow(int capacity) {
        values = Arrays.copyOf(values, capacity);
    }
}
