package io.jenkins.plugins.cloudfrontdeploy.engine.diff;

import java.io.Serializable;
import java.util.List;

/**
 * The difference between the live release and the new build, sorted by path. "Content" changes are the ones that
 * touch a file or link; they are what the report lists and what CloudFront will be asked to forget.
 */
public final class ChangeSet implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Change> changes;
    private final long unchanged;

    public ChangeSet(List<Change> changes, long unchanged) {
        this.changes = List.copyOf(changes);
        this.unchanged = unchanged;
    }

    /** Every change, folders included, in path order. */
    public List<Change> all() {
        return changes;
    }

    /** Changes that touch a file or link, in path order. */
    public List<Change> content() {
        return changes.stream().filter(Change::touchesContent).toList();
    }

    public List<Change> of(ChangeKind kind) {
        return content().stream().filter(c -> c.kind() == kind).toList();
    }

    public long count(ChangeKind kind) {
        return changes.stream().filter(c -> c.touchesContent() && c.kind() == kind).count();
    }

    /** Files and links identical on both sides. */
    public long unchanged() {
        return unchanged;
    }

    /** Bytes of the files added or modified (what a deploy uploads), or removed (their old size). */
    public long bytes(ChangeKind kind) {
        return changes.stream()
                .filter(c -> c.touchesContent() && c.kind() == kind)
                .mapToLong(c -> c.current().type() == io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType.FILE
                        ? c.current().size()
                        : 0)
                .sum();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
