package io.jenkins.plugins.cloudfrontdeploy.engine.remote;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Sha256;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshConnection;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Lists and hashes the live release over SFTP alone, for servers that run no commands. Slower than the shell
 * reader: each folder is a round trip and every file to hash is downloaded, so the factory warns when it falls back
 * to this.
 */
public final class SftpReleaseReader implements ReleaseReader {
    private final SshConnection connection;
    private final SshTarget target;
    private final SftpClient sftp;

    public SftpReleaseReader(SshConnection connection) throws IOException {
        this.connection = connection;
        this.target = connection.target();
        this.sftp = connection.sftp();
    }

    @Override
    public String transport() {
        return "sftp";
    }

    @Override
    public RemoteListing list(ProgressListener listener) throws IOException {
        listener.stageStarted(Stage.LIST, -1);
        LiveRelease release = resolve(listener);
        Manifest.Builder entries = new Manifest.Builder(1024);
        if (release.releasePath() != null) {
            walk(release.releasePath(), entries, listener);
        }
        listener.stageFinished(Stage.LIST, entries.size() + " entries over SFTP");
        return new RemoteListing(release, entries.build());
    }

    @Override
    public RemoteListing listFolder(String absolutePath, ProgressListener listener) throws IOException {
        SftpClient.Attributes attrs = statOrNull(absolutePath);
        if (attrs == null || !attrs.isDirectory()) {
            throw new DeployException("the folder " + absolutePath + " does not exist on " + target.hostAndPort());
        }
        String physical = physicalPath(absolutePath);
        Manifest.Builder entries = new Manifest.Builder(1024);
        walk(physical, entries, ProgressListener.NONE);
        return new RemoteListing(new LiveRelease(LiveRelease.State.DIRECTORY, null, physical), entries.build());
    }

    private LiveRelease resolve(ProgressListener listener) throws IOException {
        String link = target.path();
        SftpClient.Attributes attrs = lstatOrNull(link);
        if (attrs == null) {
            if (lstatOrNull(target.parent()) == null) {
                throw TargetStates.siteRootMissing(target);
            }
            return TargetStates.firstDeploy(target, listener);
        }
        if (attrs.isSymbolicLink()) {
            String text = sftp.readLink(link);
            SftpClient.Attributes followed = statOrNull(link);
            if (followed == null) {
                return TargetStates.dangling(target, text, listener);
            }
            if (!followed.isDirectory()) {
                throw TargetStates.linkToNonFolder(target);
            }
            return TargetStates.link(text, physicalPath(link));
        }
        if (attrs.isDirectory()) {
            return TargetStates.plainFolder(target, physicalPath(link), listener);
        }
        throw TargetStates.notALinkOrFolder(target);
    }

    /**
     * The path with its last component's links followed. OpenSSH's realpath follows them; others (Apache MINA's)
     * only normalise the text, so links are read here until a path is not one.
     */
    private String physicalPath(String path) throws IOException {
        String p = sftp.canonicalPath(path);
        for (int hops = 0; hops < 40; hops++) {
            SftpClient.Attributes a = lstatOrNull(p);
            if (a == null || !a.isSymbolicLink()) {
                return p;
            }
            String text = sftp.readLink(p);
            p = sftp.canonicalPath(text.startsWith("/") ? text : p.substring(0, p.lastIndexOf('/') + 1) + text);
        }
        throw new DeployException("too many levels of symbolic links at " + path + " on " + target.hostAndPort());
    }

    private void walk(String root, Manifest.Builder entries, ProgressListener listener) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        pending.add("");
        while (!pending.isEmpty()) {
            String dir = pending.poll();
            String absolute = dir.isEmpty() ? root : root + "/" + dir;
            for (SftpClient.DirEntry e : readDir(absolute)) {
                String name = e.getFilename();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                checkName(name, absolute);
                String rel = RelativePaths.requireSafe(dir.isEmpty() ? name : dir + "/" + name, target.toString());
                SftpClient.Attributes a = e.getAttributes();
                if (a.isSymbolicLink()) {
                    String text = sftp.readLink(root + "/" + rel);
                    entries.add(rel, EntryType.SYMLINK, text.getBytes(StandardCharsets.UTF_8).length,
                            ManifestEntry.NO_MTIME, Sha256.ofLinkTarget(text));
                } else if (a.isDirectory()) {
                    entries.add(rel, EntryType.DIRECTORY, 0, ManifestEntry.NO_MTIME, null);
                    pending.add(rel);
                } else if (a.isRegularFile()) {
                    entries.add(rel, EntryType.FILE, a.getSize(), seconds(a), null);
                } else {
                    listener.warning("skipped " + RelativePaths.quoteForMessage(rel) + " on " + target.hostAndPort()
                            + ": not a regular file, folder or symbolic link");
                }
            }
            listener.progressed(Stage.LIST, entries.size());
        }
    }

    private static long seconds(SftpClient.Attributes a) {
        return a.getModifyTime() == null ? ManifestEntry.NO_MTIME : a.getModifyTime().to(TimeUnit.SECONDS);
    }

    /** SFTP hands names over already decoded; bytes that were not UTF-8 arrive as U+FFFD. */
    private void checkName(String name, String dir) {
        if (name.indexOf('\uFFFD') >= 0) {
            throw new DeployException("a file name in " + dir + " on " + target.hostAndPort() + " ("
                    + RelativePaths.quoteForMessage(name) + ") is not valid UTF-8; rename it so it can be served"
                    + " as a URL");
        }
    }

    private Iterable<SftpClient.DirEntry> readDir(String dir) throws IOException {
        try {
            return sftp.readDir(dir);
        } catch (SftpException e) {
            throw sftpFailure("cannot list " + dir, e);
        }
    }

    @Override
    public List<byte[]> hash(RemoteListing listing, List<String> paths, ProgressListener listener) throws IOException {
        listener.stageStarted(Stage.REMOTE_HASH, paths.size());
        List<byte[]> hashes = new ArrayList<>(paths.size());
        Sha256 sha = new Sha256();
        String root = listing.release().releasePath();
        for (String path : paths) {
            try (InputStream in = sftp.read(root + "/" + path)) {
                hashes.add(sha.hash(in, n -> {}));
            } catch (SftpException e) {
                throw sftpFailure("cannot read " + root + "/" + path, e);
            }
            listener.progressed(Stage.REMOTE_HASH, hashes.size());
        }
        listener.stageFinished(Stage.REMOTE_HASH, paths.size() + " files downloaded and hashed over SFTP");
        return hashes;
    }

    @Override
    public byte[] readFile(String absolutePath) throws IOException {
        SftpClient.Attributes attrs = statOrNull(absolutePath);
        if (attrs == null || !attrs.isRegularFile()) {
            return null;
        }
        try (InputStream in = sftp.read(absolutePath)) {
            return in.readAllBytes();
        } catch (SftpException e) {
            throw sftpFailure("cannot read " + absolutePath, e);
        }
    }

    @Override
    public boolean readFile(String absolutePath, java.io.OutputStream sink) throws IOException {
        SftpClient.Attributes attrs = statOrNull(absolutePath);
        if (attrs == null || !attrs.isRegularFile()) {
            return false;
        }
        try (InputStream in = sftp.read(absolutePath)) {
            in.transferTo(sink);
            return true;
        } catch (SftpException e) {
            throw sftpFailure("cannot read " + absolutePath, e);
        }
    }

    private DeployException sftpFailure(String what, SftpException e) {
        String fix = e.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED
                ? ": permission denied; give the user " + target.user() + " read access to the release folder"
                : ": " + e.getMessage();
        return new DeployException(what + " on " + target.hostAndPort() + fix, e);
    }

    private SftpClient.Attributes lstatOrNull(String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return null;
            }
            throw sftpFailure("cannot read " + path, e);
        }
    }

    private SftpClient.Attributes statOrNull(String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return null;
            }
            throw sftpFailure("cannot read " + path, e);
        }
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException e) {
            // closing the connection below ends the channel anyway
        }
        connection.close();
    }
}
