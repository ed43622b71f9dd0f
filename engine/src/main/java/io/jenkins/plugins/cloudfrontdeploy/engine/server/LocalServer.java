package io.jenkins.plugins.cloudfrontdeploy.engine.server;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.LocalReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.remote.ReleaseReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ParallelHasher;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * This machine as the web server (the agent serves the site itself): the same scripts run by {@code /bin/sh}, files
 * copied and renamed with java.nio, the link replaced by an atomic rename.
 */
public final class LocalServer implements Server {
    private static final int COPY_THREADS = 4;

    private final SshTarget target;
    private final LocalReleaseReader reader;
    private final long commandTimeoutMillis;

    public LocalServer(SshTarget target, java.time.Duration commandTimeout) {
        this.target = target;
        this.reader = new LocalReleaseReader(target, ParallelHasher.perCore());
        this.commandTimeoutMillis = commandTimeout.toMillis();
    }

    @Override
    public SshTarget target() {
        return target;
    }

    @Override
    public String transport() {
        return reader.transport();
    }

    @Override
    public ReleaseReader reader() {
        return reader;
    }

    @Override
    public Result run(String script, byte[] stdin) throws IOException {
        Process process = new ProcessBuilder("/bin/sh", "-c", script).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the script exited without reading its input; its status says why
        }
        try {
            if (!process.waitFor(commandTimeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DeployException("a command did not finish within " + commandTimeoutMillis / 1000 + "s");
            }
            return new Result(process.exitValue(), out.join(),
                    new String(err.join(), StandardCharsets.UTF_8).strip());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted", e);
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public long upload(Path sourceRoot, String releasePath, List<ManifestEntry> files, ProgressListener listener)
            throws IOException {
        return UploadQueue.send(sourceRoot, releasePath, files, COPY_THREADS,
                () -> (local, remote, temporary, queue) -> copy(local, Path.of(remote), Path.of(temporary), queue),
                listener);
    }

    private static void copy(Path local, Path remote, Path temporary, UploadQueue queue) throws IOException {
        try {
            Files.copy(local, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(
                    FileModes.of(local) == FileModes.EXECUTABLE ? "rwxr-xr-x" : "rw-r--r--"));
            Files.move(temporary, remote, StandardCopyOption.ATOMIC_MOVE);
            queue.sent(Files.size(remote));
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw new DeployException("copying " + RelativePaths.quoteForMessage(local.toString()) + " to " + remote
                    + " failed: " + e + "; check free space and write access to the releases folder", e);
        }
    }

    @Override
    public void replaceLink(String linkPath, String linkText) throws IOException {
        Path link = Path.of(linkPath);
        Path temporary = Path.of(linkPath + ".cfd-switch-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createSymbolicLink(temporary, Path.of(linkText));
        try {
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces the old link at once
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw new DeployException("switching " + linkPath + " failed: " + e + "; production was not changed", e);
        }
    }

    @Override
    public void close() {}
}
