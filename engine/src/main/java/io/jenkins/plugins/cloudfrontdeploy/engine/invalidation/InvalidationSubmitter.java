package io.jenkins.plugins.cloudfrontdeploy.engine.invalidation;

import io.jenkins.plugins.cloudfrontdeploy.engine.DeployException;
import io.jenkins.plugins.cloudfrontdeploy.engine.Vocabulary;
import io.jenkins.plugins.cloudfrontdeploy.engine.ProgressListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.AccessDeniedException;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.Invalidation;
import software.amazon.awssdk.services.cloudfront.model.InvalidationSummary;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException;

/**
 * Sends planned batches to CloudFront and follows them to completion.
 *
 * <p>Throttling, 5xx answers and dropped connections are retried by the SDK (same request, so the same caller
 * reference: a retry never creates a second invalidation). {@code TooManyInvalidationsInProgress}, which the SDK
 * does not retry, is waited out here: for this run's earlier batches to complete, or when there are none, for
 * CloudFront's list of invalidations in progress to shrink. Every change of a batch goes to {@code journal} at
 * once, before anything else is sent or awaited.
 */
public final class InvalidationSubmitter {
    private final CloudFrontClient client;
    private final ProgressListener listener;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final Vocabulary words;

    /** @param firstPoll the first wait between status checks; it grows by half each time up to {@code maxPoll} */
    public InvalidationSubmitter(CloudFrontClient client, ProgressListener listener, Duration firstPoll,
            Duration maxPoll) {
        this(client, listener, firstPoll, maxPoll, Vocabulary.CLI);
    }

    /** As the other form; {@code words} name the options in the messages as the front end spells them. */
    public InvalidationSubmitter(CloudFrontClient client, ProgressListener listener, Duration firstPoll,
            Duration maxPoll, Vocabulary words) {
        this.client = client;
        this.listener = listener;
        this.firstPoll = firstPoll;
        this.maxPoll = maxPoll;
        this.words = words;
    }

    /** Checks that the distribution exists and these credentials may use it, before any path is sent. */
    public void preflight(String distribution) {
        try {
            client.listInvalidations(b -> b.distributionId(distribution).maxItems("1"));
        } catch (SdkException e) {
            throw explain(distribution, e);
        }
    }

    /**
     * Submits every record not yet submitted, in order.
     *
     * @param records one distribution's batches; replaced in place as they are submitted
     * @param deadline when waiting for room in CloudFront's in-progress limits gives up
     */
    public void submit(List<InvalidationRecord> records, Consumer<List<InvalidationRecord>> journal, Instant deadline) {
        for (int i = 0; i < records.size(); i++) {
            InvalidationRecord r = records.get(i);
            while (!r.isSubmitted()) {
                try {
                    Invalidation inv = create(r);
                    r = r.submitted(inv.id(), inv.status());
                    records.set(i, r);
                    journal.accept(records);
                    listener.info(r.label() + " submitted: " + r.id() + " " + r.status());
                    listener.progressed(Stage.INVALIDATE, i + 1);
                } catch (TooManyInvalidationsInProgressException e) {
                    listener.info(r.label() + ": CloudFront has too many invalidations in progress ("
                            + e.awsErrorDetails().errorMessage() + "); waiting for room");
                    waitForRoom(r.distribution(), records, journal, deadline);
                }
            }
        }
    }

    private Invalidation create(InvalidationRecord r) {
        try {
            return client.createInvalidation(b -> b.distributionId(r.distribution())
                    .invalidationBatch(ib -> ib.callerReference(r.callerReference())
                            .paths(p -> p.quantity(r.paths().size()).items(r.paths()))))
                    .invalidation();
        } catch (TooManyInvalidationsInProgressException e) {
            throw e;
        } catch (SdkException e) {
            throw explain(r.distribution(), e);
        }
    }

    /** Waits for this run's submitted batches to complete, or else for CloudFront's in-progress list to shrink. */
    private void waitForRoom(String distribution, List<InvalidationRecord> records,
            Consumer<List<InvalidationRecord>> journal, Instant deadline) {
        boolean ours = records.stream()
                .anyMatch(r -> r.distribution().equals(distribution) && r.isSubmitted() && !r.isCompleted());
        if (ours) {
            await(records, distribution, journal, deadline, "waiting for room in CloudFront's in-progress limits");
            return;
        }
        int before = inProgress(distribution);
        Duration delay = firstPoll;
        while (true) {
            pause(delay, deadline, distribution + ": no room for another invalidation (" + before + " in progress)"
                    + "; " + words.sameCommandAgain() + " later: batches already submitted are not sent again");
            int now = inProgress(distribution);
            listener.info(distribution + ": " + now + " invalidation(s) in progress, waiting for room");
            if (now < before) {
                return;
            }
            delay = next(delay);
        }
    }

    private int inProgress(String distribution) {
        try {
            List<InvalidationSummary> items = client.listInvalidations(b -> b.distributionId(distribution)
                    .maxItems("100")).invalidationList().items();
            return (int) items.stream().filter(s -> !InvalidationRecord.COMPLETED.equals(s.status())).count();
        } catch (SdkException e) {
            throw explain(distribution, e);
        }
    }

    /**
     * Polls every submitted, unfinished batch until all are completed, printing each one's status with the time it
     * has been in progress.
     *
     * @param distribution only this distribution's batches, or {@code null} for all
     */
    public void await(List<InvalidationRecord> records, String distribution,
            Consumer<List<InvalidationRecord>> journal, Instant deadline, String why) {
        Duration delay = firstPoll;
        while (true) {
            List<InvalidationRecord> pending = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                InvalidationRecord r = records.get(i);
                if (!r.isSubmitted() || r.isCompleted()
                        || (distribution != null && !r.distribution().equals(distribution))) {
                    continue;
                }
                String status = status(r);
                if (!status.equals(r.status())) {
                    r = r.withStatus(status);
                    records.set(i, r);
                    journal.accept(records);
                }
                listener.info(r.label() + " " + r.id() + " " + status + " "
                        + Duration.between(Instant.parse(r.submittedAt()), Instant.now()).toSeconds() + "s");
                if (!r.isCompleted()) {
                    pending.add(r);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            pause(delay, deadline, pending.size() + " invalidation batch(es) still in progress after the wait"
                    + " timeout (" + why + "): " + ids(pending) + ". They complete on their own; nothing is lost");
            delay = next(delay);
        }
    }

    private String status(InvalidationRecord r) {
        try {
            return client.getInvalidation(b -> b.distributionId(r.distribution()).id(r.id())).invalidation()
                    .status();
        } catch (SdkException e) {
            throw explain(r.distribution(), e);
        }
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String ids(List<InvalidationRecord> records) {
        return String.join(", ", records.stream().map(r -> r.distribution() + "/" + r.id()).toList());
    }

    private Duration next(Duration delay) {
        Duration grown = delay.plus(delay.dividedBy(2));
        return grown.compareTo(maxPoll) > 0 ? maxPoll : grown;
    }

    private static void pause(Duration delay, Instant deadline, String timeoutMessage) {
        if (Instant.now().plus(delay).isAfter(deadline)) {
            throw new DeployException(timeoutMessage);
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while waiting for CloudFront", e);
        }
    }

    private DeployException explain(String distribution, SdkException e) {
        return explain(distribution, e, words);
    }

    /** The SDK's error as one line that says what to check, naming the options in the front end's words. */
    static DeployException explain(String distribution, SdkException e, Vocabulary words) {
        if (e instanceof NoSuchDistributionException) {
            return new DeployException("the CloudFront distribution " + distribution + " does not exist in the"
                    + " account of these credentials; check " + words.name(Vocabulary.Setting.DISTRIBUTION)
                    + " (the distribution's ID, E…) and the AWS account", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DeployException("access to the CloudFront distribution " + distribution + " was denied;"
                    + " the credentials need cloudfront:CreateInvalidation, cloudfront:GetInvalidation and"
                    + " cloudfront:ListInvalidations on it", e);
        }
        if (e instanceof CloudFrontException cf && cf.awsErrorDetails() != null) {
            String code = cf.awsErrorDetails().errorCode();
            if (code != null && code.matches("InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|"
                    + "UnrecognizedClientException|InvalidSignatureException|AuthFailure|IncompleteSignature")) {
                return new DeployException("AWS refused the credentials (" + code + ") for distribution "
                        + distribution + "; check " + words.awsCredentials() + " or the role ("
                        + words.name(Vocabulary.Setting.ROLE_ARN) + ")", e);
            }
            return new DeployException("CloudFront refused the request for distribution " + distribution + ": "
                    + code + " (" + cf.awsErrorDetails().errorMessage() + ", HTTP " + cf.statusCode() + ")"
                    + (cf.isThrottlingException() || cf.statusCode() >= 500
                            ? "; it was retried " + CloudFrontClients.MAX_ATTEMPTS + " times. "
                                    + capitalized(words.sameCommandAgain())
                                    + " later: batches already submitted are not sent again"
                            : ""), e);
        }
        if (e instanceof SdkClientException) {
            return new DeployException("cannot reach CloudFront for distribution " + distribution + ": "
                    + e.getMessage() + " (check the network, the endpoint, and that AWS credentials are configured: "
                    + words.awsCredentialSources() + "). Batches already submitted are not sent again on a re-run", e);
        }
        return new DeployException("CloudFront call for distribution " + distribution + " failed: " + e.getMessage(),
                e);
    }
}
