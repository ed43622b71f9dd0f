package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws a progress bar on a terminal for the scan (in MiB, its total known up front). The listing and the remote
 * hashing run at the same time as the scan, and a terminal line holds one bar, so those report a line when done.
 */
final class ProgressBars extends ConsoleListener {
    private final Map<Stage, ProgressBar> bars = new EnumMap<>(Stage.class);

    ProgressBars(PrintWriter out, PrintWriter err) {
        super(out, err, false);
    }

    @Override
    public synchronized void stageStarted(Stage stage, long total) {
        if (stage != Stage.SCAN) {
            return;
        }
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(stage.label())
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200);
        b.setUnit(" MiB", 1 << 20);
        bars.put(stage, b.build());
    }

    @Override
    public synchronized void progressed(Stage stage, long done) {
        ProgressBar bar = bars.get(stage);
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void stageFinished(Stage stage, String summary) {
        ProgressBar bar = bars.remove(stage);
        if (bar != null) {
            if (bar.getMax() > 0) {
                bar.stepTo(bar.getMax());
            }
            bar.close();
        }
        clearBarLine();
        super.stageFinished(stage, summary);
    }

    @Override
    public synchronized void info(String message) {
        clearBarLine();
        super.info(message);
    }

    @Override
    public synchronized void warning(String message) {
        clearBarLine();
        super.warning(message);
    }

    /** A line printed over a live bar would be cut in two; the bar redraws itself on its next tick. */
    private void clearBarLine() {
        if (!bars.isEmpty()) {
            System.err.print("\r\033[K");
            System.err.flush();
        }
    }

    @Override
    public synchronized void close() {
        bars.values().forEach(ProgressBar::close);
        bars.clear();
    }
}
