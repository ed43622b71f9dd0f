package io.jenkins.plugins.cloudfrontdeploy.engine.scan;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** The Scan stage: the manifest of the new build in the workspace. */
public final class LocalScanner {
    private final Excludes excludes;
    private final ParallelHasher hasher;

    public LocalScanner(Excludes excludes, ParallelHasher hasher) {
        this.excludes = excludes;
        this.hasher = hasher;
    }

    /** Lists the source folder: sizes known, file content not yet hashed. */
    public List<ManifestEntry> list(Path source, ProgressListener listener) throws IOException {
        requireSourceFolder(source);
        return TreeWalker.walk(source, excludes, listener);
    }

    /** Hashes what {@link #list} returned. */
    public Manifest hash(Path source, List<ManifestEntry> listed, ProgressListener listener) throws IOException {
        Manifest manifest = Manifest.of(hasher.hash(source, listed, Stage.SCAN, listener));
        listener.stageFinished(Stage.SCAN, manifest.contentCount() + " files, " + manifest.totalBytes() + " bytes");
        return manifest;
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
