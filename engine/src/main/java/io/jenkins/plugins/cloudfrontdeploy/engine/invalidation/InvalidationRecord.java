package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One invalidation batch of one distribution, as the journal keeps it: planned (no id yet), submitted, completed.
 *
 * <p>The caller reference is derived from the distribution, the operation (the release deployed, the rollback), the
 * batch number and the paths, never from the time: a retry, or a re-run after a crash, sends the same reference and
 * CloudFront answers with the invalidation it already has instead of creating (and billing) a second one.
 *
 * @param batch 1-based number of the batch among {@code batches}
 * @param id CloudFront's invalidation id, {@code null} until submitted
 * @param status {@code InProgress} or {@code Completed} as CloudFront last said, {@code null} until submitted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvalidationRecord(String distribution, int batch, int batches, String callerReference,
        List<String> paths, String id, String status, String submittedAt, String completedAt)
        implements Serializable {
    public static final String COMPLETED = "Completed";

    public InvalidationRecord {
        paths = List.copyOf(paths);
    }

    public static InvalidationRecord planned(String distribution, String operation, int batch, int batches,
            List<String> paths) {
        StringBuilder key = new StringBuilder(distribution).append('\n').append(operation).append('\n')
                .append(batch).append('/').append(batches);
        for (String p : paths) {
            key.append('\n').append(p);
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        String reference = "cfd-" + HexFormat.of().formatHex(digest, 0, 20);
        return new InvalidationRecord(distribution, batch, batches, reference, paths, null, null, null, null);
    }

    public InvalidationRecord submitted(String invalidationId, String newStatus) {
        return new InvalidationRecord(distribution, batch, batches, callerReference, paths, invalidationId,
                newStatus, submittedAt != null ? submittedAt : Instant.now().toString(),
                COMPLETED.equals(newStatus) ? Instant.now().toString() : null);
    }

    public InvalidationRecord withStatus(String newStatus) {
        return new InvalidationRecord(distribution, batch, batches, callerReference, paths, id, newStatus,
                submittedAt, COMPLETED.equals(newStatus) && completedAt == null ? Instant.now().toString()
                        : completedAt);
    }

    @JsonIgnore
    public boolean isSubmitted() {
        return id != null;
    }

    @JsonIgnore
    public boolean isCompleted() {
        return COMPLETED.equals(status);
    }

    @JsonIgnore
    public long wildcards() {
        return paths.stream().filter(p -> p.endsWith("*")).count();
    }

    /** {@code batch 2/5 (1000 paths)}: how the console names it. */
    @JsonIgnore
    public String label() {
        return "batch " + batch + "/" + batches + " (" + paths.size() + " path" + (paths.size() == 1 ? "" : "s")
                + ") on " + distribution;
    }
}
