package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.Excludes;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ParallelHasher;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.TreeWalker;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** Reads the live release from this machine's own file system: the agent is the web server. */
public final class LocalReleaseReader implements ReleaseReader {
    private final SshTarget target;
    private final ParallelHasher hasher;

    public LocalReleaseReader(SshTarget target, ParallelHasher hasher) {
        this.target = target;
        this.hasher = hasher;
    }

    @Override
    public String transport() {
        return "local";
    }

    @Override
    public RemoteListing list(ProgressListener listener) throws IOException {
        listener.stageStarted(Stage.LIST, -1);
        LiveRelease release = resolve(listener);
        Manifest entries = release.releasePath() == null
                ? Manifest.empty()
                : TreeWalker.walk(Path.of(release.releasePath()), Excludes.none(), listener);
        listener.progressed(Stage.LIST, entries.size());
        listener.stageFinished(Stage.LIST, entries.size() + " entries in "
                + (release.releaseName() == null ? "no release" : "release " + release.releaseName()));
        return new RemoteListing(release, entries);
    }

    @Override
    public RemoteListing listFolder(String absolutePath, ProgressListener listener) throws IOException {
        Path folder = Path.of(absolutePath);
        if (!Files.isDirectory(folder)) {
            throw new io.jenkins.plugins.cloudfrontdeploy.engine.DeployException(
                    "the folder " + absolutePath + " does not exist");
        }
        String physical = folder.toRealPath().toString();
        return new RemoteListing(new LiveRelease(LiveRelease.State.DIRECTORY, null, physical),
                TreeWalker.walk(Path.of(physical), Excludes.none(), ProgressListener.NONE));
    }

    private LiveRelease resolve(ProgressListener listener) throws IOException {
        Path link = Path.of(target.path());
        if (Files.isSymbolicLink(link)) {
            String text = Files.readSymbolicLink(link).toString();
            if (!Files.exists(link)) {
                return TargetStates.dangling(target, text, listener);
            }
            if (!Files.isDirectory(link)) {
                throw TargetStates.linkToNonFolder(target);
            }
            return TargetStates.link(text, link.toRealPath().toString());
        }
        if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
            return TargetStates.plainFolder(target, link.toRealPath().toString(), listener);
        }
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw TargetStates.notALinkOrFolder(target);
        }
        if (!Files.isDirectory(link.getParent())) {
            throw TargetStates.siteRootMissing(target);
        }
        return TargetStates.firstDeploy(target, listener);
    }

    @Override
    public List<byte[]> hash(RemoteListing listing, List<String> paths, ProgressListener listener) throws IOException {
        if (paths.isEmpty()) {
            return List.of(); // also when there is no live release to resolve paths against
        }
        List<byte[]> hashes = hasher.hash(Path.of(listing.release().releasePath()), paths, Stage.REMOTE_HASH, listener);
        listener.stageFinished(Stage.REMOTE_HASH, paths.size() + " files hashed");
        return hashes;
    }

    @Override
    public byte[] readFile(String absolutePath) throws IOException {
        Path file = Path.of(absolutePath);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    public boolean readFile(String absolutePath, java.io.OutputStream sink) throws IOException {
        Path file = Path.of(absolutePath);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Files.copy(file, sink);
        return true;
    }

    @Override
    public void close() {}
}
