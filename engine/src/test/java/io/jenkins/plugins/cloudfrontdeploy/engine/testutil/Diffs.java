package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import io.jenkins.plugins.cloudfrontdeploy.engine.ChangeDetection;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** Runs the engine's diff the way the front ends do. */
public final class Diffs {
    private Diffs() {}

    public static DiffResult run(Path source, String target, SshSettings ssh, Path reportDir, ProgressListener l)
            throws IOException {
        return run(source, target, ssh, reportDir, false, l);
    }

    public static DiffResult run(Path source, String target, SshSettings ssh, Path reportDir, boolean verifyRemote,
            ProgressListener l) throws IOException {
        return new ChangeDetection()
                .run(new DiffRequest(source.toString(), SshTarget.parse(target), List.of(), ssh,
                        reportDir.toString(), verifyRemote), l);
    }

    /** "A path", "M path", "D path" for every content change. */
    public static TreeSet<String> lines(DiffResult result) {
        TreeSet<String> out = new TreeSet<>();
        for (Change c : result.changes().content()) {
            out.add(c.kind().letter() + " " + c.path());
        }
        return out;
    }
}
