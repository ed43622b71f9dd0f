package io.jenkins.plugins.cloudfrontdeploy.engine;

/** The stages of a run, in the order they happen, with the unit their progress is counted in. */
public enum Stage {
    SCAN("scan", "bytes"),
    LIST("list", "entries"),
    REMOTE_HASH("remote hash", "files"),
    DIFF("diff", "entries"),
    STAGE("stage", "bytes"),
    VERIFY("verify", "files"),
    SWITCH("switch", "hosts"),
    CLEANUP("cleanup", "releases"),
    INVALIDATE("invalidate", "batches"),
    REPORT("report", "files");

    private final String label;
    private final String unit;

    Stage(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }
}
