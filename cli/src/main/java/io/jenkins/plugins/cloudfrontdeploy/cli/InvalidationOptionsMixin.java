package io.jenkins.plugins.cloudfrontdeploy.cli;

import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.CloudFrontSettings;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.InvalidationOptions;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.PlanMode;
import io.jenkins.plugins.cloudfrontdeploy.engine.invalidation.Pricing;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What to invalidate in CloudFront and how to reach it: shared by deploy, rollback and invalidate. AWS secrets come
 * from the SDK's own chain (environment, profile, role) or from variables named here, never from the command line.
 */
final class InvalidationOptionsMixin {
    @Option(names = "--distribution", paramLabel = "ID",
            description = "CloudFront distribution to invalidate (repeatable). None: no invalidation.")
    List<String> distributions = new ArrayList<>();

    @Option(names = "--url-prefix", paramLabel = "PATH", defaultValue = "/",
            description = "URL path the site is served under (default: ${DEFAULT-VALUE}).")
    String urlPrefix;

    @Option(names = "--index-document", paramLabel = "NAME",
            description = "File name that also serves its folder's URL (repeatable; default: index.html;"
                    + " give an empty value for none).")
    List<String> indexDocuments;

    @Option(names = "--invalidate-directory-without-slash",
            description = "Also invalidate /a/b for a/b/index.html (as well as /a/b/).")
    boolean directoryWithoutSlash;

    @Option(names = "--invalidate-added", description = "Invalidate added files too (only needed when their URL"
            + " was requested, and an error cached, before they existed).")
    boolean invalidateAdded;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "files (one path per URL), auto (wildcards where they bill less without clearing unchanged"
                    + " files beyond --max-collateral) or all (/*). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--max-collateral", paramLabel = "RATIO", defaultValue = "0",
            description = "Share of a folder's unchanged files a wildcard may clear too, 0 to 1"
                    + " (default: ${DEFAULT-VALUE}).")
    double maxCollateral;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + InvalidationOptions.DEFAULT_BATCH_SIZE,
            description = "File paths per invalidation request, at most 3000 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--wait", description = "Wait until every invalidation is completed, printing its status.")
    boolean waitForCompletion;

    @Option(names = "--wait-timeout", paramLabel = "MINUTES", defaultValue = "30",
            description = "How long to wait for completion, or for room in CloudFront's limits"
                    + " (default: ${DEFAULT-VALUE}).")
    long waitTimeoutMinutes;

    @Option(names = "--show-monthly-usage", description = "Count the paths already submitted this month on the"
            + " distributions and show what this run uses of the free 1,000 and costs.")
    boolean showMonthlyUsage;

    @Option(names = "--price-per-path", paramLabel = "USD", defaultValue = "0.005",
            description = "Price of a path past the free tier (default: ${DEFAULT-VALUE}).")
    BigDecimal pricePerPath;

    @Option(names = "--free-paths-per-month", paramLabel = "N", defaultValue = "1000",
            description = "Free paths a month for the account (default: ${DEFAULT-VALUE}).")
    long freePaths;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile of the shared config files.")
    String profile;

    @Option(names = "--access-key-env", paramLabel = "VAR",
            description = "Environment variable holding an AWS access key id (with --secret-key-env).")
    String accessKeyEnv;

    @Option(names = "--secret-key-env", paramLabel = "VAR",
            description = "Environment variable holding the AWS secret access key.")
    String secretKeyEnv;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM role to assume (STS) for CloudFront.")
    String roleArn;

    @Option(names = "--external-id", paramLabel = "ID", description = "External id the role's trust policy asks for.")
    String externalId;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Another CloudFront endpoint (tests, compatible services); also AWS_ENDPOINT_URL_CLOUDFRONT.")
    String endpointUrl;

    InvalidationOptions options() {
        try {
            return InvalidationOptions.builder()
                    .distributions(distributions)
                    .urlPrefix(urlPrefix)
                    .indexDocuments(indexDocuments == null ? List.of("index.html")
                            : indexDocuments.stream().filter(s -> !s.isEmpty()).toList())
                    .directoryWithoutSlash(directoryWithoutSlash)
                    .invalidateAdded(invalidateAdded)
                    .mode(PlanMode.parse(mode))
                    .maxCollateral(maxCollateral)
                    .batchSize(batchSize)
                    .waitForCompletion(waitForCompletion)
                    .waitTimeout(Duration.ofMinutes(waitTimeoutMinutes))
                    .pricing(new Pricing(pricePerPath, freePaths))
                    .showMonthlyUsage(showMonthlyUsage)
                    .aws(new CloudFrontSettings(profile,
                            EnvironmentSecrets.read(accessKeyEnv, "--access-key-env"),
                            EnvironmentSecrets.read(secretKeyEnv, "--secret-key-env"), null, roleArn, externalId,
                            endpointUrl))
                    .build();
        } catch (Main.UsageError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

}
