package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.RelativePaths;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Sha256;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * Lists a local tree without following symbolic links: files with their sizes (not yet hashed), directories, and
 * links with their target text (hashed at once; it is a few bytes). Hashing file content is {@link ParallelHasher}'s
 * job, so that a caller can hash only the files it needs.
 */
public final class TreeWalker {
    private TreeWalker() {}

    /**
     * Lists everything below {@code root}. The root itself is followed when it is a link (a build published as
     * {@code site -> build-42}): walked unfollowed it would be one link with an empty path, and the build would look
     * empty. Links below it are recorded, never followed.
     */
    public static Manifest walk(Path given, Excludes excludes, ProgressListener listener) throws IOException {
        return walk(given, excludes, listener, (slot, path) -> {}).build();
    }

    /** Told of each regular file as soon as it is listed, with its slot in the manifest's hash column. */
    public interface FileFound {
        void found(int slot, String path) throws IOException;
    }

    /**
     * As the other form, telling {@code found} of each file as it is listed (so it can be hashed while the walk goes
     * on), and returning the builder, for {@link Manifest.Builder#build(Manifest.HashSlots)}.
     */
    public static Manifest.Builder walk(Path given, Excludes excludes, ProgressListener listener, FileFound found)
            throws IOException {
        Path root = root(given);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new DeployException("cannot list " + given + ": it is not a folder");
        }
        Manifest.Builder entries = new Manifest.Builder(1024);
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        checkInterrupt();
                        if (dir.equals(root)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String rel = relative(root, dir);
                        if (excludes.matches(rel)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        entries.add(rel, EntryType.DIRECTORY, 0, ManifestEntry.NO_MTIME, null);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String rel = relative(root, file);
                        if (excludes.matches(rel)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (attrs.isSymbolicLink()) {
                            String target = Files.readSymbolicLink(file).toString();
                            entries.add(rel, EntryType.SYMLINK,
                                    target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                                    ManifestEntry.NO_MTIME, Sha256.ofLinkTarget(target));
                        } else if (attrs.isRegularFile()) {
                            int slot = entries.nextSlot();
                            entries.add(rel, EntryType.FILE, attrs.size(),
                                    attrs.lastModifiedTime().to(TimeUnit.SECONDS), null);
                            found.found(slot, rel);
                        } else {
                            listener.warning("skipped " + RelativePaths.quoteForMessage(rel)
                                    + ": not a regular file, directory or symbolic link");
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        throw new DeployException("cannot read " + file + ": " + describe(e)
                                + "; check that the build user may read it", e);
                    }
                });
        return entries;
    }

    /** The folder a walk of {@code given} lists: the folder itself, or the folder a link to one leads to. */
    static Path root(Path given) throws IOException {
        return Files.isSymbolicLink(given) ? given.toRealPath() : given;
    }

    /**
     * The '/'-separated path of {@code file} below {@code root}. A name the JVM could not decode (not UTF-8, or a
     * JVM started without a UTF-8 locale) comes back with U+FFFD in it, and re-encoding it no longer finds the
     * file: that is refused, as a name we could neither serve as a URL nor find again on the server.
     */
    static String relative(Path root, Path file) {
        String rel = root.relativize(file).toString();
        if (java.io.File.separatorChar != '/') {
            rel = rel.replace(java.io.File.separatorChar, '/');
        }
        if (rel.indexOf('\uFFFD') >= 0 && !Files.exists(root.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
            String encoding = System.getProperty("sun.jnu.encoding", "unknown");
            String hint = encoding.replace("-", "").equalsIgnoreCase("UTF8")
                    ? "rename it (for example with convmv) so it can be served as a URL"
                    : "or Java reads file names as " + encoding + ": run with LC_ALL=C.UTF-8 (any UTF-8 locale)";
            throw new DeployException("the file name " + RelativePaths.quoteForMessage(rel) + " in " + root
                    + " is not valid UTF-8; " + hint);
        }
        return rel;
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new DeployException("interrupted");
        }
    }
}
