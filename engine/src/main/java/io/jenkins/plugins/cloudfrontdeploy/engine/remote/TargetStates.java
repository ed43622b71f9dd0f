package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;

/**
 * What each state of the target link means, said once for every reader: the normal link, first deploy, a dangling
 * link, a plain folder, and the states that are errors.
 */
final class TargetStates {
    private TargetStates() {}

    static LiveRelease link(String linkText, String releasePath) {
        return new LiveRelease(LiveRelease.State.LINK, linkText, releasePath);
    }

    static LiveRelease firstDeploy(SshTarget target, ProgressListener listener) {
        listener.info(target + " does not exist yet: first deploy, every file is added");
        return LiveRelease.absent();
    }

    static LiveRelease dangling(SshTarget target, String linkText, ProgressListener listener) {
        listener.warning(target + " points at " + linkText + ", which does not exist: the site is treated as empty"
                + " and every file as added");
        return new LiveRelease(LiveRelease.State.LINK, linkText, null);
    }

    static LiveRelease plainFolder(SshTarget target, String physicalPath, ProgressListener listener) {
        String name = target.path().substring(target.path().lastIndexOf('/') + 1);
        listener.warning(target + " is a folder, not a symbolic link: diffing against it, but a deploy needs a link"
                + " (move the folder to a release name beside it and link " + name + " to it)");
        return new LiveRelease(LiveRelease.State.DIRECTORY, null, physicalPath);
    }

    static DeployException siteRootMissing(SshTarget target) {
        return new DeployException("the folder " + target.parent() + " does not exist"
                + (target.isLocal() ? "" : " on " + target.hostAndPort())
                + "; create the site root there, or fix the target path");
    }

    static DeployException linkToNonFolder(SshTarget target) {
        return new DeployException(target + " is a link to something that is not a folder");
    }

    static DeployException notALinkOrFolder(SshTarget target) {
        return new DeployException(target + " is neither a folder nor a symbolic link to one; the target must name"
                + " the production link");
    }
}
