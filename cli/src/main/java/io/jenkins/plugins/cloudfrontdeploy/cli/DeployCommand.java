package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployRequest;
import io.jenkins.plugins.cloudfrontdeploy.engine.DeployResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.Deployment;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.edge.EdgeOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.ssh.SshTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cloudfront-deploy deploy}: the build becomes a new release and production switches to it. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = "Stage the build as a new release folder beside the live one (seeded by hard links, only the"
                + " changed files sent), verify it, switch the production link to it atomically, delete old"
                + " releases, and write changes.txt and report.json.")
final class DeployCommand implements Callable<Integer>, OutputOptions.Holder {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "DIR", description = "The build output folder.")
    String source;

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = "The production link: ssh://user@host[:port]/abs/path/production, or an absolute path on"
                    + " this machine. Repeat for several servers, deployed and switched together.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--release", required = true, paramLabel = "NAME",
            description = "The new release's folder name: letters, digits, '.', '_' and '-'.")
    String release;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave matching source paths out (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--releases-dir", paramLabel = "DIR",
            description = "Folder for release folders on the server (default: the folder of the link).")
    String releasesDir;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + DeployRequest.DEFAULT_KEEP,
            description = "Releases to keep per server, counting the live one (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--max-deletes", paramLabel = "N", defaultValue = "" + DeployRequest.DEFAULT_MAX_DELETES,
            description = "Refuse a deploy that removes more files than this; -1 for no limit (default:"
                    + " ${DEFAULT-VALUE}).")
    int maxDeletes;

    @Option(names = "--keep-removed", paramLabel = "N", defaultValue = "" + DeployRequest.DEFAULT_KEEP_REMOVED,
            description = "Keep files the build removed servable (hard-linked, not invalidated) until N later deploys"
                    + " have happened, so pages still cached from the previous release find their assets; pages"
                    + " (.html) are never kept; 0 removes them with the deploy (default: ${DEFAULT-VALUE}).")
    int keepRemoved;

    @Option(names = "--invalidate-expired", description = "Invalidate kept files when they finally go (by default"
            + " they are not: nothing links to them any more).")
    boolean invalidateExpired;

    @Option(names = "--dry-run", description = "Print the plan and write the report; change nothing on the server.")
    boolean dryRun;

    @Mixin
    LockOptions lock;

    @Option(names = "--allow-divergent", description = "Deploy to several servers even when they serve different"
            + " releases; the report lists the union of their changes.")
    boolean allowDivergent;

    @Option(names = "--verify-remote", description = "Hash the live release on the server instead of trusting the"
            + " manifest stored with it when it was deployed (whose files' sizes and modification times are checked"
            + " first).")
    boolean verifyRemote;

    @Option(names = "--allow-external-links", description = "Deploy symbolic links that lead outside the build"
            + " (absolute, or climbing above it), with a warning naming them; by default such a build is refused,"
            + " as a web server that follows links would serve what they point at.")
    boolean allowExternalLinks;

    @Option(names = "--verify-url", paramLabel = "URL", description = "Once the invalidations completed, fetch"
            + " every changed URL and a sample of unchanged ones at this address (the site as users load it, e.g."
            + " https://www.example.com) and compare each body's SHA-256 with the build's file; the report lists them"
            + " as ok, stale or missing. Implies --wait when a distribution is given.")
    String verifyUrl;

    @Option(names = "--verify-sample", paramLabel = "N", defaultValue = "" + EdgeOptions.DEFAULT_SAMPLE,
            description = "Unchanged URLs fetched besides the changed ones (default: ${DEFAULT-VALUE}).")
    int verifySample;

    @Option(names = "--verify-timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long URLs that do not serve the build yet are fetched again, with a growing pause,"
                    + " before they count as stale (default: ${DEFAULT-VALUE}; also 90s, 1h).")
    String verifyTimeout;

    @Option(names = "--fail-on-stale", description = "Fail the deploy (exit 1) when URLs are still stale or missing"
            + " at the edge after --verify-timeout; without it they are reported and warned about.")
    boolean failOnStale;

    @Option(names = "--origin-domain", paramLabel = "NAME", description = "A domain name the distributions may fetch"
            + " this site from besides the targets' hosts (repeatable), e.g. origin.example.com for a load balancer in"
            + " front of the servers. Each distribution's origins are read (cloudfront:GetDistribution, optional)"
            + " before anything is uploaded, and one that fetches from none of these is warned about.")
    List<String> originDomains = new ArrayList<>();

    @Option(names = "--check-origin", description = "Fail before anything is uploaded or invalidated when a"
            + " distribution fetches from none of the targets' hosts and --origin-domain names, or its origins"
            + " cannot be read.")
    boolean checkOrigin;

    @Mixin
    SshOptions ssh;

    @Mixin
    InvalidationOptionsMixin invalidation;

    @Mixin
    ReportOptions report;

    @Mixin
    OutputOptions output;

    @Override
    public OutputOptions output() {
        return output;
    }

    /** The edge check asked for, or none; a bad value is a usage error naming the option. */
    private EdgeOptions edge() {
        if (verifyUrl == null) {
            return EdgeOptions.NONE;
        }
        try {
            return EdgeOptions.at(EdgeOptions.parseBase(verifyUrl, Vocabulary.CLI))
                    .withSample(verifySample, Vocabulary.CLI)
                    .withTimeout(EdgeOptions.parseDuration(verifyTimeout, Vocabulary.Setting.VERIFY_TIMEOUT,
                            Vocabulary.CLI), Vocabulary.CLI)
                    .withFailOnStale(failOnStale);
        } catch (RuntimeException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        output.apply();
        DeployRequest.Builder request = DeployRequest.builder(source, Arguments.release(release))
                .excludes(excludes)
                .ssh(ssh.settings())
                .reportDir(report.reportDir)
                .releasesDir(releasesDir)
                .keep(keep)
                .maxDeletes(maxDeletes)
                .keepRemoved(keepRemoved)
                .invalidateExpired(invalidateExpired)
                .dryRun(dryRun)
                .breakLock(lock.breakLock)
                .lockTimeout(lock.lockTimeout())
                .allowDivergent(allowDivergent)
                .verifyRemote(verifyRemote)
                .allowExternalLinks(allowExternalLinks)
                .invalidation(invalidation.options().withOrigin(originDomains, checkOrigin))
                .edge(edge());
        for (SshTarget t : Arguments.targets(targets, releasesDir)) {
            request.target(t);
        }
        DeployRequest checked = Arguments.check(request::build);
        var out = spec.commandLine().getOut();
        try (ConsoleListener listener = ConsoleListener.create(out, spec.commandLine().getErr(), output.quiet)) {
            DeployResult result = new Deployment().run(checked, listener);
            listener.close();
            if (!output.quiet) {
                Summary.print(out, result);
            }
        }
        return Main.OK;
    }
}
