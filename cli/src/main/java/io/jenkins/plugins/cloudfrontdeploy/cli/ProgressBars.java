package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Draws a progress bar per long stage (scan in MiB, list in entries, remote hash in files) on a terminal. */
final class ProgressBars extends ConsoleListener {
    private final Map<Stage, ProgressBar> bars = new EnumMap<>(Stage.class);

    ProgressBars(PrintWriter out, PrintWriter err) {
        super(out, err, false);
    }

    @Override
    public synchronized void stageStarted(Stage stage, long total) {
        if (stage == Stage.DIFF || stage == Stage.REPORT) {
            return; // instant: a bar would only flicker
        }
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(stage.label())
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200);
        if (stage == Stage.SCAN) {
            b.setUnit(" MiB", 1 << 20);
        }
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
        super.stageFinished(stage, summary);
    }

    @Override
    public synchronized void close() {
        bars.values().forEach(ProgressBar::close);
        bars.clear();
    }
}
