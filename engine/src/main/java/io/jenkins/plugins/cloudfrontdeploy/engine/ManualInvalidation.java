package io.jenkins.plugins.cloudfrontdeploy.engine;

import io.jenkins.plugins.cloudfrontdeploy.engine.diff.ChangeSet;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontInvalidation;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.manifest.Manifest;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ChangeListReader;
import io.jenkins.plugins.cloudfrontdeploy.engine.report.ReportWriter;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.Excludes;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.LocalScanner;
import io.jenkins.plugins.cloudfrontdeploy.engine.scan.ParallelHasher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * {@code cloudfront-deploy invalidate}: paths given by hand (or a report's {@code changes.txt}) through the same
 * planner, batches and submitter as a deploy.
 */
public final class ManualInvalidation {
    /**
     * @param lines the paths, one per line, or a {@code changes.txt}
     * @param source the site's files, so that a wildcard's collateral can be counted; {@code null}: none is known,
     *     so {@code auto} collapses nothing it cannot prove fully changed
     * @param reference names this invalidation for its caller references: the same reference and paths again get
     *     the same invalidations back; {@code null} for a new one each run
     */
    public record Request(List<String> lines, String where, String source, InvalidationOptions options,
            String reference, String reportDir, boolean dryRun) {}

    public InvalidationResult run(Request request, ProgressListener listener) throws IOException {
        Vocabulary words = request.options().vocabulary();
        if (!request.options().enabled()) {
            throw new DeployException("no distribution: give " + words.name(Vocabulary.Setting.DISTRIBUTION)
                    + " with the ID of the CloudFront distribution to invalidate");
        }
        ChangeSet changes = ChangeListReader.parse(request.lines(), request.where());
        if (changes.content().isEmpty()) {
            throw new DeployException("no path to invalidate in " + request.where() + ": give one path per line, or"
                    + " the changes.txt of a report");
        }
        Manifest served = Manifest.empty();
        InvalidationOptions options = request.options();
        if (request.source() == null && options.mode() == PlanMode.AUTO) {
            // with no site, every folder would look fully changed: a wildcard could clear what did not change
            listener.info("no " + words.name(Vocabulary.Setting.SOURCE) + ": "
                    + words.given(Vocabulary.Setting.MODE, "auto") + " cannot count what a wildcard would also clear,"
                    + " so one path per URL is sent");
            options = options.withMode(PlanMode.FILES);
        }
        if (request.source() != null) {
            Path source = Path.of(request.source());
            LocalScanner.requireSourceFolder(source, words);
            served = new LocalScanner(Excludes.none(), ParallelHasher.perCore()).list(source, listener);
        }
        String operation = request.reference() != null ? "invalidate " + request.reference()
                : "invalidate " + UUID.randomUUID();
        InvalidationResult result = new CloudFrontInvalidation(options, listener)
                .run(changes, served, operation, List.of(), r -> {}, request.dryRun());
        new ReportWriter(words).write(Path.of(request.reportDir()), changes, result);
        return result;
    }
}
