package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions. */
public class RecordingListener implements ProgressListener {
    public final List<String> warnings = new CopyOnWriteArrayList<>();
    public final List<String> infos = new CopyOnWriteArrayList<>();
    public final List<String> finished = new CopyOnWriteArrayList<>();

    @Override
    public void stageFinished(Stage stage, String summary) {
        finished.add(stage.label() + ": " + summary);
    }

    @Override
    public void info(String message) {
        infos.add(message);
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }
}
