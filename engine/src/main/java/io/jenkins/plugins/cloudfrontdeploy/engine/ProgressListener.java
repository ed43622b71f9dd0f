package io.jenkins.plugins.cloudfrontdeploy.engine;

/**
 * Where every stage reports what it does. The engine never prints: the CLI draws progress bars from these events and
 * Jenkins writes them to the build console. Calls may come from several threads; implementations must be
 * thread-safe. All methods default to doing nothing.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    /** A stage begins; {@code total} is in {@link Stage#unit()}s, or -1 when not known in advance. */
    default void stageStarted(Stage stage, long total) {}

    /** Cumulative units done in the stage so far. Called often; throttle rendering on the receiving side. */
    default void progressed(Stage stage, long done) {}

    /** A stage ended; {@code summary} is one short line. */
    default void stageFinished(Stage stage, String summary) {}

    default void info(String message) {}

    /** Something the user should know and may need to act on; the run goes on. */
    default void warning(String message) {}
}
