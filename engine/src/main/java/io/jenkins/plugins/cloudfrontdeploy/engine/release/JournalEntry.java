package io.jenkins.plugins.cloudfrontdeploy.engine.release;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server records about one release this tool created: where it came from and which steps of its deploy
 * are done, each with its time. Its presence is also the mark that the tool created the folder (retention deletes
 * nothing else).
 *
 * @param deployId names this deploy of the release, from its first attempt until it is finished, in every caller
 *     reference it sends to CloudFront: re-runs of the deploy resend the same references (nothing billed twice),
 *     while a later deploy that reuses the release name gets a new id, so invalidations of its own. {@code null} in
 *     entries written before deploy ids existed
 * @param previousRelease the release that was live when the deploy began ({@code null} on a first deploy)
 * @param previousPath that release's folder, for the diff a resumed deploy still has to report
 * @param steps step name ▶ ISO time: {@link #STARTED}, {@link #STAGED}, {@link #VERIFIED}, {@link #SWITCHED},
 *     {@link #INVALIDATED}
 * @param invalidations the CloudFront batches of this release's deploy, recorded before each is sent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JournalEntry(
        String deployId,
        String release,
        String releasePath,
        String previousRelease,
        String previousPath,
        String deployedBy,
        long files,
        long bytes,
        String seed,
        Map<String, String> steps,
        List<InvalidationRecord> invalidations)
        implements Serializable {
    public static final String STARTED = "started";
    public static final String STAGED = "staged";
    public static final String VERIFIED = "verified";
    public static final String SWITCHED = "switched";
    /** Every batch of every distribution the deploy named was sent (and completed, when it waited). */
    public static final String INVALIDATED = "invalidated";

    public JournalEntry {
        steps = steps == null ? new LinkedHashMap<>() : new LinkedHashMap<>(steps);
        invalidations = invalidations == null ? List.of() : List.copyOf(invalidations);
    }

    public static JournalEntry start(String deployId, String release, String releasePath, String previousRelease,
            String previousPath, String deployedBy, long files, long bytes) {
        return new JournalEntry(deployId, release, releasePath, previousRelease, previousPath, deployedBy, files,
                bytes, null, Map.of(), List.of()).with(STARTED);
    }

    public boolean has(String step) {
        return steps.containsKey(step);
    }

    public JournalEntry with(String step) {
        Map<String, String> next = new LinkedHashMap<>(steps);
        next.put(step, Instant.now().toString());
        return new JournalEntry(deployId, release, releasePath, previousRelease, previousPath, deployedBy, files,
                bytes, seed, next, invalidations);
    }

    /** The entry with a step undone: a verified release that must be staged again is no longer verified. */
    public JournalEntry without(String step) {
        Map<String, String> next = new LinkedHashMap<>(steps);
        next.remove(step);
        return new JournalEntry(deployId, release, releasePath, previousRelease, previousPath, deployedBy, files,
                bytes, seed, next, invalidations);
    }

    /** The entry under a deploy id, for entries written before deploy ids existed. */
    public JournalEntry withDeployId(String id) {
        return new JournalEntry(id, release, releasePath, previousRelease, previousPath, deployedBy, files, bytes,
                seed, steps, invalidations);
    }

    public JournalEntry withSeed(String how) {
        return new JournalEntry(deployId, release, releasePath, previousRelease, previousPath, deployedBy, files,
                bytes, how, steps, invalidations);
    }

    public JournalEntry withInvalidations(List<InvalidationRecord> records) {
        return new JournalEntry(deployId, release, releasePath, previousRelease, previousPath, deployedBy, files,
                bytes, seed, steps, records);
    }

    /** When production was switched to it, or {@code null} if never. */
    @JsonIgnore
    public Instant switchedAt() {
        String at = steps.get(SWITCHED);
        return at == null ? null : Instant.parse(at);
    }
}
