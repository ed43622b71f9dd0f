package io.jenkins.plugins.cloudfrontdeploy.engine.edge;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * The clock and the waits of the edge verification's back-off, apart so that a test can run a two-minute back-off in
 * no time: its pacer advances a clock of its own instead of sleeping.
 */
public interface Pacer extends Serializable {
    /** The wall clock and {@link Thread#sleep}. */
    Pacer SYSTEM = SystemPacer.INSTANCE;

    Instant now();

    void sleep(Duration delay) throws InterruptedException;

    /** The real one; an enum, so that it stays one when a request crosses to a Jenkins agent. */
    enum SystemPacer implements Pacer {
        INSTANCE;

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration delay) throws InterruptedException {
            Thread.sleep(delay.toMillis());
        }
    }
}
