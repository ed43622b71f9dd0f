package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.Deployment;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Runs the engine's deploy the way the front ends do, and reads what it left on disk. */
public final class Deploys {
    private Deploys() {}

    public static DeployRequest.Builder request(Path source, String release, SshSettings ssh, Path reportDir,
            String... targets) {
        DeployRequest.Builder b = DeployRequest.builder(source.toString(), release).ssh(ssh)
                .reportDir(reportDir.toString());
        for (String t : targets) {
            b.target(SshTarget.parse(t));
        }
        return b;
    }

    public static DeployResult run(DeployRequest.Builder request, ProgressListener listener) throws IOException {
        return new Deployment().run(request.build(), listener);
    }

    /** "A path", "M path", "D path" for every content change. */
    public static TreeSet<String> lines(DeployResult result) {
        TreeSet<String> out = new TreeSet<>();
        for (Change c : result.changes().content()) {
            out.add(c.kind().letter() + " " + c.path());
        }
        return out;
    }

    /** path ▶ inode of every regular file below root. */
    public static Map<String, Object> inodes(Path root) throws IOException {
        Map<String, Object> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
        return out;
    }
}
