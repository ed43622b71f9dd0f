package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront.Fault;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront.Invalidation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.AccessDeniedException;
import software.amazon.awssdk.services.cloudfront.model.BatchTooLargeException;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.GetInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.InconsistentQuantitiesException;
import software.amazon.awssdk.services.cloudfront.model.InvalidArgumentException;
import software.amazon.awssdk.services.cloudfront.model.InvalidationList;
import software.amazon.awssdk.services.cloudfront.model.InvalidationSummary;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchInvalidationException;
import software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException;

/** Drives {@link FakeCloudFront} through the real SDK client only, as every other test will. */
public class FakeCloudFrontTest {
    private static final String D = "EDFDVBD6EXAMPLE";
    private FakeCloudFront fake;
    private CloudFrontClient cf;

    @Before
    public void start() throws Exception {
        fake = FakeCloudFront.start().addDistribution(D);
        cf = fake.client();
    }

    @After
    public void stop() {
        cf.close();
        fake.close();
    }

    private CreateInvalidationResponse create(String reference, String... paths) {
        return cf.createInvalidation(b -> b.distributionId(D)
                .invalidationBatch(ib -> ib.callerReference(reference).paths(p -> p.quantity(paths.length)
                        .items(paths))));
    }

    private GetInvalidationResponse get(String id) {
        return cf.getInvalidation(b -> b.distributionId(D).id(id));
    }

    @Test
    public void createGetListRoundTrip() {
        String[] paths = {"/index.html", "/q?x=1&y=<2>", "/a%20b/%C3%BC.txt", "/images/*"};
        CreateInvalidationResponse created = create("deploy-1", paths);
        String id = created.invalidation().id();
        assertEquals(fake.endpoint() + "/2020-05-31/distribution/" + D + "/invalidation/" + id, created.location());
        assertEquals("InProgress", created.invalidation().status());
        assertEquals(List.of(paths), created.invalidation().invalidationBatch().paths().items());
        assertEquals(Integer.valueOf(4), created.invalidation().invalidationBatch().paths().quantity());
        assertEquals("deploy-1", created.invalidation().invalidationBatch().callerReference());
        assertNotNull(created.invalidation().createTime());
        assertNotNull(created.responseMetadata().requestId());

        GetInvalidationResponse got = get(id);
        assertEquals(id, got.invalidation().id());
        assertEquals(List.of(paths), got.invalidation().invalidationBatch().paths().items());

        InvalidationList list = cf.listInvalidations(b -> b.distributionId(D)).invalidationList();
        assertEquals(Integer.valueOf(1), list.quantity());
        assertFalse(list.isTruncated());
        assertEquals(id, list.items().get(0).id());
        assertEquals("InProgress", list.items().get(0).status());

        // the fake decoded the XML it was sent, and billed each path once
        assertEquals(List.of(paths), fake.invalidations(D).get(0).paths());
        assertEquals(List.of(paths), fake.billedPaths(D));
        assertEquals(4, fake.billedCount());
        assertEquals(1, fake.requestCount(FakeCloudFront.CREATE));
        assertEquals(3, fake.requestCount());
    }

    @Test
    public void completesAfterPollsAndForTheWaiter() {
        String id = create("r", "/a").invalidation().id();
        assertEquals("InProgress", get(id).invalidation().status());
        assertEquals("InProgress", get(id).invalidation().status());
        assertEquals("Completed", get(id).invalidation().status());

        fake.completeAfterPolls(3);
        String second = create("r2", "/b").invalidation().id();
        WaiterResponse<GetInvalidationResponse> waited = cf.waiter()
                .waitUntilInvalidationCompleted(
                        b -> b.distributionId(D).id(second),
                        o -> o.maxAttempts(5).backoffStrategyV2(BackoffStrategy.retryImmediately()));
        assertEquals("Completed", waited.matched().response().orElseThrow().invalidation().status());
        assertEquals(4, waited.attemptsExecuted());
    }

    @Test
    public void completeAllCompletesEverything() {
        fake.completeAfterPolls(0);
        String id = create("r", "/a").invalidation().id();
        assertEquals("InProgress", get(id).invalidation().status());
        assertEquals("InProgress", get(id).invalidation().status());
        fake.completeAll();
        assertEquals("Completed", get(id).invalidation().status());
    }

    @Test
    public void quantityMustMatchItems() {
        assertThrows(InconsistentQuantitiesException.class, () -> cf.createInvalidation(b -> b.distributionId(D)
                .invalidationBatch(ib -> ib.callerReference("r").paths(p -> p.quantity(2).items("/a", "/b", "/c")))));
        assertEquals(0, fake.billedCount());
    }

    @Test
    public void badPathsAreRefused() {
        for (String bad : new String[] {"/a b.html", "index.html", "/~user/x", "/\u00fc.txt", "/" + "x".repeat(4000)}) {
            InvalidArgumentException e = assertThrows(bad, InvalidArgumentException.class, () -> create("r", bad));
            assertEquals(
                    "Your request contains one or more invalid invalidation paths.",
                    e.awsErrorDetails().errorMessage());
            assertEquals(400, e.statusCode());
        }
        assertEquals(0, fake.billedCount());
        create("r", "/%7Euser/x", "/" + "x".repeat(3999));
        assertEquals(2, fake.billedCount());
    }

    @Test
    public void unknownDistributionAndInvalidation() {
        assertThrows(NoSuchDistributionException.class, () -> cf.createInvalidation(b -> b.distributionId("ENOPE")
                .invalidationBatch(ib -> ib.callerReference("r").paths(p -> p.quantity(1).items("/a")))));
        assertThrows(NoSuchInvalidationException.class, () -> get("I0000000000999"));
    }

    @Test
    public void deniedAccess() {
        fake.denyAccess(D);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> create("r", "/a"));
        assertEquals(403, e.statusCode());
        assertEquals(0, fake.billedCount());
    }

    @Test
    public void inProgressLimits() {
        fake.limits(3, 1).completeAfterPolls(1);
        create("f1", "/a", "/b");
        TooManyInvalidationsInProgressException files =
                assertThrows(TooManyInvalidationsInProgressException.class, () -> create("f2", "/c", "/d"));
        assertEquals(
                "Processing your request will cause you to exceed the maximum number of in-progress invalidations.",
                files.awsErrorDetails().errorMessage());
        create("w1", "/img/*");
        TooManyInvalidationsInProgressException wildcards =
                assertThrows(TooManyInvalidationsInProgressException.class, () -> create("w2", "/css/*"));
        assertTrue(wildcards.awsErrorDetails().errorMessage().endsWith("in-progress wildcard invalidations."));
        // a '*' that is not last is a literal character, so this is a file path
        create("f3", "/a*b");
        // a batch that alone exceeds the limit can never pass
        fake.completeAll();
        assertThrows(TooManyInvalidationsInProgressException.class, () -> create("f4", "/1", "/2", "/3", "/4"));

        create("w2", "/css/*");
        String last = create("f5", "/c", "/d", "/e").invalidation().id();
        assertThrows(TooManyInvalidationsInProgressException.class, () -> create("f6", "/f"));
        get(last); // the one poll it takes to complete
        create("f6", "/f");
        assertEquals(3, fake.peakFilesInProgress(D));
        assertEquals(1, fake.peakWildcardsInProgress(D));
        assertEquals(List.of("/a", "/b", "/img/*", "/a*b", "/css/*", "/c", "/d", "/e", "/f"), fake.billedPaths(D));
    }

    @Test
    public void batchTooLarge() {
        fake.maxPathsPerRequest(2);
        BatchTooLargeException e = assertThrows(BatchTooLargeException.class, () -> create("r", "/a", "/b", "/c"));
        assertEquals(413, e.statusCode());
        create("r", "/a", "/b");
    }

    @Test
    public void sameReferenceSamePathsIsIdempotent() {
        String id = create("deploy-7", "/a", "/b").invalidation().id();
        CreateInvalidationResponse again = create("deploy-7", "/b", "/a");
        assertEquals(id, again.invalidation().id());
        assertEquals(List.of("/a", "/b"), fake.billedPaths(D));
        assertEquals(1, fake.invalidations(D).size());
        assertEquals(2, fake.requestCount(FakeCloudFront.CREATE));
    }

    @Test
    public void sameReferenceOtherPathsIsRefused() {
        create("deploy-7", "/a", "/b");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> create("deploy-7", "/a"));
        assertEquals(
                "Your request contains a caller reference that was used for a previous invalidation batch for the"
                        + " same distribution.",
                e.awsErrorDetails().errorMessage());
        assertEquals(2, fake.billedCount());
    }

    @Test
    public void listPagesNewestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create("r" + i, "/p" + i).invalidation().id());
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String from = marker;
            InvalidationList page = cf.listInvalidations(b -> b.distributionId(D).maxItems("2").marker(from))
                    .invalidationList();
            pages++;
            assertEquals(Integer.valueOf(2), page.maxItems());
            assertEquals(Integer.valueOf(page.items().size()), page.quantity());
            page.items().stream().map(InvalidationSummary::id).forEach(seen::add);
            marker = page.isTruncated() ? page.nextMarker() : null;
            if (page.isTruncated()) {
                assertEquals(seen.get(seen.size() - 1), page.nextMarker());
            } else {
                assertNull(page.nextMarker());
            }
        } while (marker != null);
        assertEquals(3, pages);
        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    public void throttledCreateIsRetriedAndBilledOnce() {
        fake.throttleNext(1);
        create("r", "/a", "/b");
        assertEquals(2, fake.requestCount(FakeCloudFront.CREATE));
        assertEquals(1, fake.injected(Fault.THROTTLED));
        assertEquals(1, fake.invalidations(D).size());
        assertEquals(2, fake.billedCount());
    }

    @Test
    public void throttlingBeyondTheRetriesReachesTheCaller() {
        fake.throttleNext(10);
        CloudFrontException e = assertThrows(CloudFrontException.class, () -> create("r", "/a"));
        assertEquals("Throttling", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
        assertEquals(0, fake.billedCount());
    }

    @Test
    public void lostResponseThenRetryIsBilledOnce() {
        fake.loseNextResponses(1);
        CreateInvalidationResponse r = create("deploy-9", "/a", "/b/*");
        assertEquals(2, fake.requestCount(FakeCloudFront.CREATE));
        assertEquals(1, fake.injected(Fault.DROPPED_AFTER_COMMIT));
        List<Invalidation> stored = fake.invalidations(D);
        assertEquals(1, stored.size());
        assertEquals(stored.get(0).id(), r.invalidation().id());
        assertEquals(List.of("/a", "/b/*"), fake.billedPaths(D));
    }

    @Test
    public void concurrentClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                String n = String.valueOf(i);
                ids.add(pool.submit(() -> create("c" + n, "/f" + n).invalidation().id()));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> id : ids) {
                distinct.add(id.get());
            }
            assertEquals(80, distinct.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80, fake.invalidations(D).size());
        assertEquals(80, fake.billedCount());
        assertEquals(80, fake.peakFilesInProgress(D));
    }

    @Test
    public void randomFaultsNeverBillTwice() {
        fake.faultRate(0.4, 42);
        for (int i = 0; i < 12; i++) { // 12 wildcards: within the 15 in progress
            String reference = "deploy-" + i;
            // like a real caller: one reference per logical invalidation, kept across its own retries
            for (int attempt = 0; ; attempt++) {
                try {
                    create(reference, "/p" + i, "/d" + i + "/*");
                    break;
                } catch (SdkException e) {
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
        }
        List<Invalidation> stored = fake.invalidations(D);
        assertEquals(12, stored.size());
        assertEquals(12, stored.stream().map(Invalidation::callerReference).collect(Collectors.toSet()).size());
        assertEquals(24, fake.billedCount());
        // both kinds happened: lost before the state changed, and lost after it (what the reference is for)
        assertTrue(fake.injected(Fault.DROPPED) + fake.injected(Fault.UNAVAILABLE) > 0);
        assertTrue(fake.injected(Fault.DROPPED_AFTER_COMMIT) + fake.injected(Fault.UNAVAILABLE_AFTER_COMMIT) > 0);
        assertTrue(fake.requestCount(FakeCloudFront.CREATE) > 12);
    }

    @Test
    public void faultsOfTheChosenKindsAndNeverMoreInARowThanAllowed() {
        fake.faultRate(1.0, 7).faultKinds(Fault.THROTTLED, Fault.UNAVAILABLE).maxFaultsInARow(2);
        try (CloudFrontClient once = CloudFrontClient.builder().endpointOverride(fake.endpoint())
                .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDFAKE", "fake")))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build()) {
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                try {
                    once.listInvalidations(b -> b.distributionId(D));
                    outcomes.add("ok");
                } catch (CloudFrontException e) {
                    outcomes.add(String.valueOf(e.statusCode()));
                }
            }
            for (int i = 0; i < 9; i++) {
                assertEquals(outcomes.toString(), i % 3 == 2, outcomes.get(i).equals("ok"));
                assertTrue(outcomes.toString(), i % 3 == 2 || outcomes.get(i).matches("400|503"));
            }
        }
        assertEquals(6, fake.injected(Fault.THROTTLED) + fake.injected(Fault.UNAVAILABLE));
        assertEquals(0, fake.injected(Fault.DROPPED) + fake.injected(Fault.DROPPED_AFTER_COMMIT)
                + fake.injected(Fault.UNAVAILABLE_AFTER_COMMIT));
    }

    @Test
    public void theLedgerListsWhatEachDeployCreatedButNotReplays() {
        create("ref-1", "/a");
        fake.beginDeploy("first");
        create("ref-2", "/b", "/c/*");
        create("ref-2", "/b", "/c/*"); // a retry: answered with the same invalidation
        fake.beginDeploy("second");
        create("ref-2", "/b", "/c/*"); // another deploy that reuses the reference gets nothing of its own
        create("ref-3", "/b");
        fake.beginDeploy(null);
        create("ref-4", "/d");
        List<FakeCloudFront.Created> first = fake.ledger("first");
        assertEquals(1, first.size());
        assertEquals(List.of("/b", "/c/*"), first.get(0).paths());
        assertEquals("ref-2", first.get(0).callerReference());
        assertEquals(D, first.get(0).distribution());
        assertEquals(List.of("ref-3"), fake.ledger("second").stream().map(FakeCloudFront.Created::callerReference)
                .toList());
        assertEquals(List.of(), fake.ledger("never"));
    }
}
