package io.jenkins.plugins.cloudfrontdeploy.engine.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.KeptFiles;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeUrl;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Estimate;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationPath;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationPlan;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationRecord;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.Change;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeKind;
import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.EntryType;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.ManifestEntry;
import io.jenkins.plugins.cloudfrontdeploy.engine.release.ReleaseCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The Report stage: {@code changes.txt} (A/M/D, a tab, the path, git-quoted where needed) and {@code report.json}
 * (the whole result). Each file is written beside its final name and renamed into place, so a reader never sees half
 * a report. Paths only: no credential is part of a result, so none can reach a report.
 */
public final class ReportWriter {
    public static final String CHANGES_FILE = "changes.txt";
    public static final String REPORT_FILE = "report.json";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Vocabulary words;

    public ReportWriter() {
        this(Vocabulary.CLI);
    }

    /** @param words how the front end names the report folder, for the messages */
    public ReportWriter(Vocabulary words) {
        this.words = words;
    }

    /** Writes both files into {@code dir} (created if needed). */
    public void write(Path dir, DiffResult result) {
        writeBoth(dir, result.changes(), out -> writeJson(out, result));
    }

    /**
     * Fails unless reports can be written into {@code dir} (created if needed): checked before a deploy writes
     * anything to a server, so that no run changes production and then cannot say so.
     */
    public static void requireWritable(Path dir) {
        requireWritable(dir, Vocabulary.CLI);
    }

    /** As the other form, naming the option in the front end's words. */
    public static void requireWritable(Path dir, Vocabulary words) {
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".cfd-probe-", ".tmp"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new DeployException("cannot write the report into " + dir.toAbsolutePath() + " (" + e
                    + "); choose a writable " + words.name(Vocabulary.Setting.REPORT_DIR), e);
        }
    }

    /** changes.txt and report.json, each written whole or not at all. */
    private void writeBoth(Path dir, ChangeSet changes, Body report) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(CHANGES_FILE), out -> writeChanges(out, changes));
            writeAtomically(dir.resolve(REPORT_FILE), report);
        } catch (IOException e) {
            throw new DeployException("cannot write the report into " + dir.toAbsolutePath() + ": " + e.getMessage()
                    + "; choose a writable " + words.name(Vocabulary.Setting.REPORT_DIR), e);
        }
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path file, Body body) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            body.write(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void writeChanges(OutputStream out, ChangeSet changes) throws IOException {
        BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (Change c : changes.content()) {
            w.write(c.kind().letter());
            w.write('\t');
            w.write(GitQuoting.quote(c.path()));
            w.write('\n');
        }
        w.flush();
    }

    private void writeJson(OutputStream out, DiffResult r) throws IOException {
        try (JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("tool", "cloudfront-deploy");
            g.writeStringField("generatedAt", Instant.now().toString());
            g.writeStringField("source", Path.of(r.request().source()).toAbsolutePath().toString());
            g.writeStringField("target", r.request().target().toString());
            g.writeStringField("transport", r.transport());
            g.writeStringField("targetState", r.liveRelease().state().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringField("release", r.liveRelease().releaseName());
            g.writeStringField("releasePath", r.liveRelease().releasePath());
            g.writeArrayFieldStart("excludes");
            for (String e : r.request().excludes()) {
                g.writeString(e);
            }
            g.writeEndArray();

            writeChanges(g, r.changes(), r.sourceFiles(), r.sourceBytes(), -1, r.timings());
            g.writeEndObject();
        }
    }

    /** Writes both files of a deploy or rollback into {@code dir} (created if needed). */
    public void write(Path dir, DeployResult result) {
        writeBoth(dir, result.changes(), out -> writeJson(out, result));
    }

    /** The report of {@code cloudfront-deploy invalidate}: the paths given, and the plan and batches. */
    public void write(Path dir, ChangeSet given, InvalidationResult result) {
        writeBoth(dir, given, out -> {
            try (JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("tool", "cloudfront-deploy");
                g.writeStringField("operation", "invalidate");
                g.writeStringField("generatedAt", Instant.now().toString());
                writeInvalidation(g, result);
                g.writeEndObject();
            }
        });
    }

    private void writeJson(OutputStream out, DeployResult r) throws IOException {
        try (JsonGenerator g = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("tool", "cloudfront-deploy");
            g.writeStringField("operation", r.operation());
            g.writeStringField("generatedAt", Instant.now().toString());
            g.writeStringField("outcome", r.outcome().state());
            if (r.outcome().failed()) {
                g.writeStringField("failedStage", r.outcome().failedStage());
                g.writeStringField("error", r.outcome().error());
            }
            if (r.deployId() != null) {
                g.writeStringField("deployId", r.deployId());
            }
            g.writeBooleanField("dryRun", r.dryRun());
            if (r.source() != null) {
                g.writeStringField("source", Path.of(r.source()).toAbsolutePath().toString());
            }
            g.writeStringField("release", r.release());
            g.writeStringField("previousRelease", r.previousRelease());
            g.writeArrayFieldStart("hosts");
            for (DeployResult.HostResult h : r.hosts()) {
                g.writeStartObject();
                g.writeStringField("target", h.target());
                g.writeStringField("transport", h.transport());
                g.writeStringField("previousRelease", h.previousRelease());
                g.writeStringField("seed", h.seed());
                g.writeNumberField("filesUploaded", h.filesUploaded());
                g.writeNumberField("bytesUploaded", h.bytesUploaded());
                g.writeStringField("state", h.state());
                g.writeStringField("production", h.production());
                g.writeBooleanField("switched", h.switched());
                g.writeArrayFieldStart("deletedReleases");
                for (String d : h.deletedReleases()) {
                    g.writeString(d);
                }
                g.writeEndArray();
                if (!h.releases().isEmpty()) {
                    g.writeArrayFieldStart("releases");
                    for (ReleaseCatalog.Entry e : h.releases()) {
                        g.writeStartObject();
                        g.writeStringField("name", e.name());
                        g.writeBooleanField("live", e.live());
                        g.writeBooleanField("previous", e.rollbackTarget());
                        g.writeBooleanField("bad", e.bad());
                        g.writeStringField("deployedAt", e.deployedAt() == null ? null : e.deployedAt().toString());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("excludes");
            for (String e : r.excludes()) {
                g.writeString(e);
            }
            g.writeEndArray();
            writeChanges(g, r.changes(), r.sourceFiles(), r.sourceBytes(), r.bytesUploaded(), r.timings());
            if ("deploy".equals(r.operation())) {
                writeKept(g, r.kept());
            }
            if (r.invalidation() != null) {
                writeInvalidation(g, r.invalidation());
            }
            if (r.edge() != null) {
                writeEdge(g, r.edge());
            }
            g.writeEndObject();
        }
    }

    /** What the edge served for each URL checked, with the cache headers it sent. */
    static void writeEdge(JsonGenerator g, EdgeResult edge) throws IOException {
        g.writeObjectFieldStart("edge");
        g.writeStringField("base", edge.base());
        g.writeBooleanField("verified", edge.verified());
        g.writeStringField("reason", edge.reason());
        g.writeNumberField("ok", edge.ok());
        g.writeNumberField("stale", edge.stale());
        g.writeNumberField("missing", edge.missing());
        g.writeArrayFieldStart("urls");
        for (EdgeUrl u : edge.urls()) {
            g.writeStartObject();
            g.writeStringField("url", u.url());
            g.writeStringField("path", u.path());
            g.writeStringField("status", u.status());
            g.writeNumberField("httpStatus", u.httpStatus());
            g.writeStringField("age", u.age());
            g.writeStringField("xCache", u.xCache());
            g.writeStringField("etag", u.etag());
            g.writeNumberField("attempts", u.attempts());
            if (u.detail() != null) {
                g.writeStringField("detail", u.detail());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The plan with every mode's estimate (the saving), and each batch as CloudFront last reported it. */
    /** The grace period: removed files the release still serves (changes.txt has their D line), and those gone now. */
    private static void writeKept(JsonGenerator g, KeptFiles kept) throws IOException {
        g.writeNumberField("keepRemoved", kept.keepRemoved());
        g.writeArrayFieldStart("removedKept");
        for (KeptFiles.Kept k : kept.removedKept()) {
            g.writeStartObject();
            g.writeStringField("path", k.path());
            g.writeNumberField("until", k.until());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("expired");
        for (String p : kept.expired()) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeBooleanField("expiredInvalidated", kept.expiredInvalidated());
    }

    static void writeInvalidation(JsonGenerator g, InvalidationResult inv) throws IOException {
        InvalidationPlan plan = inv.plan();
        g.writeObjectFieldStart("invalidation");
        g.writeStringField("mode", plan.mode().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("urls", plan.urlsToInvalidate());
        g.writeNumberField("billedPaths", inv.billedPaths());
        g.writeNumberField("pending", inv.pending());
        if (inv.usedThisMonth() >= 0) {
            g.writeNumberField("usedThisMonth", inv.usedThisMonth());
        }
        g.writeObjectFieldStart("estimates");
        for (Map.Entry<PlanMode, Estimate> e : plan.estimates().entrySet()) {
            g.writeObjectFieldStart(e.getKey().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("billedPaths", e.getValue().billedPaths());
            g.writeNumberField("wildcards", e.getValue().wildcards());
            g.writeNumberField("collateralFiles", e.getValue().collateralFiles());
            g.writeNumberField("estimatedCostUsd", e.getValue().cost());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("paths");
        for (InvalidationPath path : plan.paths()) {
            g.writeString(path.path());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("batches");
        for (InvalidationRecord b : inv.batches()) {
            g.writeStartObject();
            g.writeStringField("distribution", b.distribution());
            g.writeNumberField("batch", b.batch());
            g.writeNumberField("of", b.batches());
            g.writeStringField("id", b.id());
            g.writeStringField("callerReference", b.callerReference());
            g.writeStringField("status", b.status());
            g.writeStringField("submittedAt", b.submittedAt());
            g.writeStringField("completedAt", b.completedAt());
            g.writeArrayFieldStart("paths");
            for (String path : b.paths()) {
                g.writeString(path);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The fields both reports share: counts, bytes, timings, every change and the folders. */
    private static void writeChanges(JsonGenerator g, ChangeSet cs, long sourceFiles, long sourceBytes,
            long uploaded, Map<String, Long> timings) throws IOException {
        g.writeObjectFieldStart("counts");
        g.writeNumberField("added", cs.count(ChangeKind.ADDED));
        g.writeNumberField("modified", cs.count(ChangeKind.MODIFIED));
        g.writeNumberField("removed", cs.count(ChangeKind.REMOVED));
        g.writeNumberField("unchanged", cs.unchanged());
        g.writeNumberField("sourceFiles", sourceFiles);
        g.writeEndObject();

        g.writeObjectFieldStart("bytes");
        g.writeNumberField("added", cs.bytes(ChangeKind.ADDED));
        g.writeNumberField("modified", cs.bytes(ChangeKind.MODIFIED));
        g.writeNumberField("removed", cs.bytes(ChangeKind.REMOVED));
        g.writeNumberField("source", sourceBytes);
        if (uploaded >= 0) {
            g.writeNumberField("uploaded", uploaded);
        }
        g.writeEndObject();

        g.writeObjectFieldStart("timings");
        for (Map.Entry<String, Long> t : timings.entrySet()) {
            g.writeNumberField(t.getKey() + "Ms", t.getValue());
        }
        g.writeEndObject();

        g.writeArrayFieldStart("changes");
        for (Change c : cs.content()) {
            g.writeStartObject();
            g.writeStringField("path", c.path());
            g.writeStringField("change", c.kind().word());
            writeEntry(g, "", c.current());
            if (c.kind() == ChangeKind.MODIFIED) {
                writeEntry(g, "previous", c.before());
            }
            g.writeEndObject();
        }
        g.writeEndArray();

        // folders are kept apart: they serve no URL, but a deploy must create and remove them
        g.writeObjectFieldStart("directories");
        writeFolders(g, cs, ChangeKind.ADDED);
        writeFolders(g, cs, ChangeKind.REMOVED);
        g.writeEndObject();
    }

    private static void writeEntry(JsonGenerator g, String prefix, ManifestEntry e) throws IOException {
        g.writeStringField(prefix.isEmpty() ? "type" : prefix + "Type", e.type().word());
        if (e.type() != EntryType.DIRECTORY) {
            g.writeNumberField(prefix.isEmpty() ? "size" : prefix + "Size", e.size());
            g.writeStringField(prefix.isEmpty() ? "sha256" : prefix + "Sha256", e.sha256Hex());
        }
    }

    private static void writeFolders(JsonGenerator g, ChangeSet cs, ChangeKind kind) throws IOException {
        g.writeArrayFieldStart(kind.word());
        for (Change c : cs.all()) {
            if (!c.touchesContent() && c.kind() == kind) {
                g.writeString(c.path());
            }
        }
        g.writeEndArray();
    }
}
