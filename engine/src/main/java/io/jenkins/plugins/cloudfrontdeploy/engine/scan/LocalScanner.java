package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The Scan stage: the manifest of the new build in the workspace. */
public final class LocalScanner implements AutoCloseable {
    private final Excludes excludes;
    private final ParallelHasher hasher;
    private ParallelHasher.Pipeline pipeline;
    private Manifest.Builder builder;
    private Manifest listed;

    public LocalScanner(Excludes excludes, ParallelHasher hasher) {
        this.excludes = excludes;
        this.hasher = hasher;
    }

    /** Lists the source folder: sizes known, file content not yet hashed. */
    public Manifest list(Path source, ProgressListener listener) throws IOException {
        requireSourceFolder(source);
        return TreeWalker.walk(source, excludes, listener);
    }

    /**
     * Lists the source folder, hashing its files while it is walked; {@link #hash} of what this returns then waits for
     * the hashing instead of starting it. {@link #close} stops hashing that is not waited for.
     */
    public Manifest listWhileHashing(Path source, ProgressListener listener) throws IOException {
        requireSourceFolder(source);
        ParallelHasher.Pipeline started = hasher.pipeline(source, Stage.SCAN, listener);
        try {
            Manifest.Builder walked = TreeWalker.walk(source, excludes, listener, started::hash);
            synchronized (this) {
                pipeline = started;
                builder = walked;
                listed = walked.build();
                return listed;
            }
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** Hashes what {@link #list} returned, or waits for the hashes of what {@link #listWhileHashing} returned. */
    public Manifest hash(Path source, Manifest listed, ProgressListener listener) throws IOException {
        ParallelHasher.Pipeline running;
        Manifest.Builder walked;
        synchronized (this) {
            running = listed == this.listed ? pipeline : null;
            walked = builder;
        }
        Manifest manifest;
        if (running != null) {
            running.announce(listed.totalBytes());
            manifest = walked.build(running.finish());
        } else {
            manifest = hasher.hash(source, listed, Stage.SCAN, listener);
        }
        listener.stageFinished(Stage.SCAN, manifest.contentCount() + " files, " + manifest.totalBytes() + " bytes");
        return manifest;
    }

    /** Stops hashing that {@link #listWhileHashing} started, if it is still going. */
    @Override
    public synchronized void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    public Manifest scan(Path source, ProgressListener listener) throws IOException {
        return hash(source, list(source, listener), listener);
    }

    /**
     * Fails clearly when the source folder is missing or not a folder. A link to a folder is that folder (the walk
     * follows it); a link that leads nowhere, or to something else, is named with its target.
     */
    public static void requireSourceFolder(Path source) {
        requireSourceFolder(source, Vocabulary.CLI);
    }

    /** As the other form, naming the option in the front end's words. */
    public static void requireSourceFolder(Path source, Vocabulary words) {
        String fix = "; point " + words.name(Vocabulary.Setting.SOURCE)
                + " at the folder your build writes the site to";
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new DeployException("the source folder " + source + " does not exist" + fix);
        }
        String link = Files.isSymbolicLink(source) ? " is a symbolic link to " + linkTarget(source) + ", which" : "";
        if (!Files.exists(source)) {
            throw new DeployException("the source " + source + link + " does not exist" + fix);
        }
        if (!Files.isDirectory(source)) {
            throw new DeployException("the source " + source + link + " is not a folder" + fix);
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
