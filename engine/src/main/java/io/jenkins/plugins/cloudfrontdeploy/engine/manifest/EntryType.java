package io.jenkins.plugins.cloudfrontdeploy.engine.manifest;

/** What a manifest entry is on disk. Symbolic links are recorded as links, never followed. */
public enum EntryType {
    FILE,
    SYMLINK,
    DIRECTORY;

    /** The lower-case word used in reports. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
