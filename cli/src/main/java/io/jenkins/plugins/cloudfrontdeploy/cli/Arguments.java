package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseName;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.SiteLayout;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks of the values given on the command line, before anything is read or changed: what they refuse is a mistake
 * in how the command was called, exit status 2 as for an unknown option, not a failure of the run (1).
 */
final class Arguments {
    private Arguments() {}

    /** The value {@code check} returns; the engine's refusal of a given value becomes a usage error. */
    static <T> T check(Supplier<T> check) {
        try {
            return check.get();
        } catch (Main.UsageError e) {
            throw e;
        } catch (DeployException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    static SshTarget target(String spec) {
        return check(() -> SshTarget.parse(spec));
    }

    static List<SshTarget> targets(List<String> specs, String releasesDir) {
        List<SshTarget> targets = specs.stream().map(Arguments::target).toList();
        for (SshTarget t : targets) {
            check(() -> SiteLayout.of(t, releasesDir));
        }
        return targets;
    }

    /** A release name given on the command line; {@code null} stays {@code null} (none given). */
    static String release(String name) {
        return name == null ? null : check(() -> ReleaseName.require(name, Vocabulary.CLI));
    }
}
