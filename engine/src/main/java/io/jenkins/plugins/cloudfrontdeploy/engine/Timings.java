package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall-clock milliseconds per stage, in the order the stages were recorded. Thread-safe. */
public final class Timings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Long> millis = new LinkedHashMap<>();

    /** Runs {@code work} and records how long it took under {@code name}. */
    public <T, E extends Exception> T time(String name, ThrowingSupplier<T, E> work) throws E {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(name, (System.nanoTime() - start) / 1_000_000);
        }
    }

    public synchronized void record(String name, long ms) {
        millis.put(name, ms);
    }

    public synchronized Map<String, Long> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }

    /** A supplier that may throw. */
    @FunctionalInterface
    public interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }
}
