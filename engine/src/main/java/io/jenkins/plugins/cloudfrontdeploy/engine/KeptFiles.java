package io.jenkins.plugins.cloudfrontdeploy.engine;

import java.io.Serializable;
import java.util.List;

/**
 * Files a build removed that the new release still serves for a grace period ({@code --keep-removed}), and the ones
 * kept before that went with this deploy. Serializable with JDK types only, as {@link DeployResult}.
 *
 * @param keepRemoved deploys a removed file stays for (0: none kept)
 * @param removedKept the files the new release holds although no build since their removal has them
 * @param expired files kept until now that this deploy removed from the site
 * @param expiredInvalidated whether the expired files were given to CloudFront ({@code --invalidate-expired})
 */
public record KeptFiles(int keepRemoved, List<Kept> removedKept, List<String> expired, boolean expiredInvalidated)
        implements Serializable {
    public static final KeptFiles NONE = new KeptFiles(0, List.of(), List.of(), false);

    public KeptFiles {
        removedKept = List.copyOf(removedKept);
        expired = List.copyOf(expired);
    }

    /**
     * One kept file.
     *
     * @param until the number of deploys after this one that the file stays for: the {@code until}-th later deploy
     *     removes it (1: the next)
     */
    public record Kept(String path, int until) implements Serializable {}
}
