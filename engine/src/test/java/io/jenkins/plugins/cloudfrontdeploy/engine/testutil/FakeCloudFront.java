package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CloudFrontXml.Batch;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CloudFrontXml.ServiceError;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * The CloudFront invalidation API (create, get, list; API 2020-05-31) and GetDistribution (its origins) served on 127.0.0.1 for the real SDK client: it
 * enforces the service's path, CallerReference and in-progress rules, bills each path of each created invalidation,
 * completes invalidations when the test says so, and injects faults on demand.
 */
public final class FakeCloudFront implements AutoCloseable {
    public static final String CREATE = "CreateInvalidation";
    public static final String GET = "GetInvalidation";
    public static final String LIST = "ListInvalidations";
    public static final String GET_DISTRIBUTION = "GetDistribution";
    private static final Pattern DISTRIBUTION_ROUTE = Pattern.compile("/2020-05-31/distribution/([^/]+)");
    private static final Pattern ROUTE =
            Pattern.compile("/2020-05-31/distribution/([^/]+)/invalidation(?:/([^/]+))?");
    /** The access key id in a SigV4 Authorization header's credential scope: key/date/region/service/aws4_request. */
    private static final Pattern SIGV4_CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/[^/]+/[^/]+/aws4_request");
    private static final String BAD_PATHS = "Your request contains one or more invalid invalidation paths.";
    private static final String REUSED_REFERENCE = "Your request contains a caller reference that was used for a"
            + " previous invalidation batch for the same distribution.";

    /** An invalidation as stored; {@code polls} counts the GetInvalidation reads of it. */
    public record Invalidation(
            String id, String callerReference, List<String> paths, Instant createTime, int polls, boolean completed) {
        public String status() {
            return completed ? "Completed" : "InProgress";
        }

        Invalidation polled() {
            return new Invalidation(id, callerReference, paths, createTime, polls + 1, completed);
        }

        Invalidation complete() {
            return new Invalidation(id, callerReference, paths, createTime, polls, true);
        }
    }

    /** Injected faults; the AFTER_COMMIT ones act once the request has changed state, so only the response is lost. */
    public enum Fault {
        UNAVAILABLE,
        THROTTLED,
        DROPPED,
        UNAVAILABLE_AFTER_COMMIT,
        DROPPED_AFTER_COMMIT;

        boolean afterCommit() {
            return this == UNAVAILABLE_AFTER_COMMIT || this == DROPPED_AFTER_COMMIT;
        }

        /** What the client gets instead of the answer; null: nothing at all, the connection just closes. */
        ServiceError error() {
            return switch (this) {
                case THROTTLED -> new ServiceError(400, "Throttling", "Rate exceeded");
                case UNAVAILABLE, UNAVAILABLE_AFTER_COMMIT -> new ServiceError(
                        503, "ServiceUnavailable", "CloudFront encountered an internal error. Please try again.");
                case DROPPED, DROPPED_AFTER_COMMIT -> null;
            };
        }
    }

    private static final class Distribution {
        boolean denied;
        boolean getDistributionDenied;
        // in front of this machine by default, where the tests' servers run
        List<String> origins = List.of("127.0.0.1", "localhost");
        final List<Invalidation> invalidations = new ArrayList<>(); // oldest first
        final List<String> billed = new ArrayList<>();
        int peakFiles;
        int peakWildcards;

        int inProgress(boolean wildcards) {
            return (int) invalidations.stream()
                    .filter(i -> !i.completed())
                    .flatMap(i -> i.paths().stream())
                    .filter(p -> isWildcard(p) == wildcards)
                    .count();
        }
    }

    /** An invalidation created (not a replay) while a deploy key was current: what {@link #ledger} lists. */
    public record Created(String distribution, String id, String callerReference, List<String> paths) {}

    /**
     * Who sent a request, as far as its headers tell.
     *
     * @param accessKeyId the access key id of the SigV4 signature, or {@code null} for an unsigned request
     * @param securityToken the {@code x-amz-security-token} of temporary credentials, or {@code null}
     */
    public record Caller(String accessKeyId, String securityToken) {}

    private record Route(String operation, String distribution, String invalidationId) {}

    private record Reply(int status, String body, String location) {
        static Reply error(ServiceError e, String requestId) {
            return new Reply(e.status, CloudFrontXml.error(e, requestId), null);
        }
    }

    private final LoopbackHttpServer server;
    // everything below is guarded by this
    private final Map<String, Distribution> distributions = new HashMap<>();
    private final Map<String, Integer> requests = new HashMap<>();
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private final List<Caller> callers = new ArrayList<>();
    private int maxFiles = 3000;
    private int maxWildcards = 15;
    private int maxPathsPerRequest = Integer.MAX_VALUE;
    private int pollsToComplete = 2;
    private Duration completeAfter;
    private long lastId;
    private double faultRate;
    private Random random = new Random(0);
    private List<Fault> faultKinds = List.of(Fault.values());
    private int maxFaultsInARow = Integer.MAX_VALUE;
    private int faultsInARow;
    private String deployKey;
    private final Map<String, List<Created>> ledger = new HashMap<>();
    private int throttles;
    private int lostResponses;

    private FakeCloudFront() throws IOException {
        server = new LoopbackHttpServer("fake-cloudfront", this::handle);
    }

    public static FakeCloudFront start() throws IOException {
        FakeCloudFront fake = new FakeCloudFront();
        fake.server.start();
        return fake;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** A real SDK client aimed at this fake, with the SDK's default retries; the caller closes it. */
    public CloudFrontClient client() {
        return CloudFrontClient.builder()
                .endpointOverride(endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKE", "fake")))
                .build();
    }

    public synchronized FakeCloudFront addDistribution(String id) {
        distributions.putIfAbsent(id, new Distribution());
        return this;
    }

    /** Every request naming this (added) distribution now gets 403 AccessDenied. */
    public synchronized FakeCloudFront denyAccess(String id) {
        existing(id).denied = true;
        return this;
    }

    /** The domain names of the distribution's origins, as GetDistribution answers (default 127.0.0.1, localhost). */
    public synchronized FakeCloudFront origins(String id, String... domains) {
        existing(id).origins = List.of(domains);
        return this;
    }

    /** GetDistribution alone gets 403 AccessDenied: credentials with the invalidation permissions only. */
    public synchronized FakeCloudFront denyGetDistribution(String id) {
        existing(id).getDistributionDenied = true;
        return this;
    }

    /** Lifts {@link #denyAccess}: the credentials were given the permission. */
    public synchronized FakeCloudFront allowAccess(String id) {
        existing(id).denied = false;
        return this;
    }

    /** In-progress limits per distribution (the service's: 3000 file paths, 15 wildcard paths). */
    public synchronized FakeCloudFront limits(int files, int wildcards) {
        maxFiles = files;
        maxWildcards = wildcards;
        return this;
    }

    /** A batch with more paths than this gets 413 BatchTooLarge: the service documents no such cap, so no default. */
    public synchronized FakeCloudFront maxPathsPerRequest(int paths) {
        maxPathsPerRequest = paths;
        return this;
    }

    /** An invalidation turns Completed once GetInvalidation has read it this often (default 2; 0: not by polls). */
    public synchronized FakeCloudFront completeAfterPolls(int polls) {
        pollsToComplete = polls;
        return this;
    }

    /** Wall-clock mode for end-to-end runs: an invalidation turns Completed this long after its creation. */
    public synchronized FakeCloudFront completeAfter(Duration delay) {
        completeAfter = delay;
        return this;
    }

    public synchronized void completeAll() {
        distributions.values().forEach(d -> d.invalidations.replaceAll(Invalidation::complete));
    }

    /** Injects a fault into this share of requests, drawn from a seeded Random so that a run can be replayed. */
    public synchronized FakeCloudFront faultRate(double rate, long seed) {
        faultRate = rate;
        random = new Random(seed);
        return this;
    }

    /** The faults {@link #faultRate} draws from (default: every kind). */
    public synchronized FakeCloudFront faultKinds(Fault... kinds) {
        faultKinds = List.of(kinds);
        return this;
    }

    /**
     * At most this many requests in a row get a fault from {@link #faultRate}: fewer than the client's attempts
     * per call, so that the random faults slow every call down but never exhaust its retries.
     */
    public synchronized FakeCloudFront maxFaultsInARow(int n) {
        maxFaultsInARow = n;
        return this;
    }

    /**
     * Names the deploy that the requests from now on belong to: every invalidation created (not replayed) is entered
     * in its {@link #ledger} until another key is begun ({@code null}: none).
     */
    public synchronized FakeCloudFront beginDeploy(String key) {
        deployKey = key;
        return this;
    }

    /** The invalidations created while {@code key} was the current deploy, oldest first. */
    public synchronized List<Created> ledger(String key) {
        return List.copyOf(ledger.getOrDefault(key, List.of()));
    }

    /** The next {@code n} requests get 400 Throttling, which the SDK retries. */
    public synchronized FakeCloudFront throttleNext(int n) {
        throttles = n;
        return this;
    }

    /** The next {@code n} requests take effect, then the connection drops without a response. */
    public synchronized FakeCloudFront loseNextResponses(int n) {
        lostResponses = n;
        return this;
    }

    /** Every path billed for this distribution, in order: once per created invalidation, never for a replay. */
    public synchronized List<String> billedPaths(String distribution) {
        return List.copyOf(existing(distribution).billed);
    }

    public synchronized int billedCount() {
        return distributions.values().stream().mapToInt(d -> d.billed.size()).sum();
    }

    /** The distribution's invalidations, oldest first. */
    public synchronized List<Invalidation> invalidations(String distribution) {
        Distribution d = existing(distribution);
        settle(d);
        return List.copyOf(d.invalidations);
    }

    /** The most file (non-wildcard) paths ever in progress at once on this distribution. */
    public synchronized int peakFilesInProgress(String distribution) {
        return existing(distribution).peakFiles;
    }

    public synchronized int peakWildcardsInProgress(String distribution) {
        return existing(distribution).peakWildcards;
    }

    /** HTTP requests received, faulted ones included. */
    public synchronized int requestCount() {
        return requests.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Requests for one operation: {@link #CREATE}, {@link #GET} or {@link #LIST}. */
    public synchronized int requestCount(String operation) {
        return requests.getOrDefault(operation, 0);
    }

    public synchronized int injected(Fault fault) {
        return injected.getOrDefault(fault, 0);
    }

    /** The caller of every HTTP request received, faulted ones included, in order of arrival. */
    public synchronized List<Caller> callers() {
        return List.copyOf(callers);
    }

    /** The distinct access key ids that signed requests, in order of first use. */
    public synchronized Set<String> signers() {
        Set<String> keys = new LinkedHashSet<>();
        callers.stream().map(Caller::accessKeyId).filter(k -> k != null).forEach(keys::add);
        return keys;
    }

    /** The distinct {@code x-amz-security-token} values sent, in order of first use; requests without one add none. */
    public synchronized Set<String> securityTokens() {
        Set<String> tokens = new LinkedHashSet<>();
        callers.stream().map(Caller::securityToken).filter(t -> t != null).forEach(tokens::add);
        return tokens;
    }

    /** The access key id that signed a request with this {@code Authorization} header, or {@code null}. */
    static String accessKeyId(String authorization) {
        Matcher m = SIGV4_CREDENTIAL.matcher(authorization == null ? "" : authorization);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Route route = route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            Caller caller = new Caller(accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")),
                    exchange.getRequestHeaders().getFirst("x-amz-security-token"));
            Fault fault = arrive(route.operation(), caller);
            if (fault == null || fault.afterCommit()) {
                Reply reply = serve(route, exchange.getRequestURI().getRawQuery(), body, requestId);
                if (fault == null) {
                    send(exchange, reply, requestId);
                    return;
                }
            }
            ServiceError error = fault.error();
            if (error != null) {
                send(exchange, Reply.error(error, requestId), requestId);
            }
        } finally {
            exchange.close(); // if no header was sent yet, this closes the connection: the client gets no response
        }
    }

    private static Route route(String method, String path) {
        Matcher d = DISTRIBUTION_ROUTE.matcher(path);
        if (d.matches()) {
            return new Route(method.equals("GET") ? GET_DISTRIBUTION : "Unknown", d.group(1), null);
        }
        Matcher m = ROUTE.matcher(path);
        if (!m.matches()) {
            return new Route("Unknown", null, null);
        }
        boolean one = m.group(2) != null;
        String operation =
                method.equals("GET") ? (one ? GET : LIST) : method.equals("POST") && !one ? CREATE : "Unknown";
        return new Route(operation, m.group(1), m.group(2));
    }

    /** Counts and records the request and draws its fault, if any. */
    private synchronized Fault arrive(String operation, Caller caller) {
        requests.merge(operation, 1, Integer::sum);
        callers.add(caller);
        Fault fault = null;
        if (throttles > 0) {
            throttles--;
            fault = Fault.THROTTLED;
        } else if (lostResponses > 0) {
            lostResponses--;
            fault = Fault.DROPPED_AFTER_COMMIT;
        } else if (faultRate > 0 && random.nextDouble() < faultRate && faultsInARow < maxFaultsInARow) {
            fault = faultKinds.get(random.nextInt(faultKinds.size()));
        }
        faultsInARow = fault == null ? 0 : faultsInARow + 1;
        if (fault != null) {
            injected.merge(fault, 1, Integer::sum);
        }
        return fault;
    }

    private static void send(HttpExchange exchange, Reply reply, String requestId) throws IOException {
        byte[] bytes = reply.body().getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        if (reply.location() != null) {
            exchange.getResponseHeaders().set("Location", reply.location());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private Reply serve(Route route, String query, byte[] body, String requestId) {
        try {
            return switch (route.operation()) {
                case CREATE -> create(route.distribution(), body);
                case GET -> get(route.distribution(), route.invalidationId());
                case LIST -> list(route.distribution(), query(query));
                case GET_DISTRIBUTION -> getDistribution(route.distribution());
                default -> throw new ServiceError(404, "UnknownOperation",
                        "This fake serves invalidations and GetDistribution only.");
            };
        } catch (ServiceError e) {
            return Reply.error(e, requestId);
        } catch (RuntimeException e) { // a bug in the fake: say so rather than drop the connection
            return Reply.error(new ServiceError(500, "InternalError", e.toString()), requestId);
        }
    }

    private synchronized Reply create(String distributionId, byte[] body) {
        Distribution d = distribution(distributionId);
        Batch batch = CloudFrontXml.parseBatch(body);
        if (batch.paths().isEmpty() || !batch.paths().stream().allMatch(FakeCloudFront::validPath)) {
            throw CloudFrontXml.invalidArgument(BAD_PATHS);
        }
        settle(d);
        for (Invalidation previous : d.invalidations) {
            if (previous.callerReference().equals(batch.callerReference())) {
                // Same paths in any order count as the same batch: the docs say "identical" without defining
                // order, and a client that rebuilds its list from a set on retry must not be refused.
                if (!previous.paths().stream().sorted().toList()
                        .equals(batch.paths().stream().sorted().toList())) {
                    throw CloudFrontXml.invalidArgument(REUSED_REFERENCE);
                }
                return created(distributionId, previous); // a replay creates nothing: no limit, no bill
            }
        }
        if (batch.paths().size() > maxPathsPerRequest) {
            throw new ServiceError(413, "BatchTooLarge", "Invalidation batch specified is too large.");
        }
        long wildcards = batch.paths().stream().filter(FakeCloudFront::isWildcard).count();
        if (d.inProgress(false) + batch.paths().size() - wildcards > maxFiles) {
            throw tooMany("Processing your request will cause you to exceed the maximum number of in-progress"
                    + " invalidations.");
        }
        if (d.inProgress(true) + wildcards > maxWildcards) {
            throw tooMany("Processing your request will cause you to exceed the maximum number of in-progress"
                    + " wildcard invalidations.");
        }
        Invalidation created = new Invalidation(String.format("I%013X", ++lastId), batch.callerReference(),
                List.copyOf(batch.paths()), Instant.now().truncatedTo(ChronoUnit.MILLIS), 0, false);
        d.invalidations.add(created);
        d.billed.addAll(created.paths());
        if (deployKey != null) {
            ledger.computeIfAbsent(deployKey, k -> new ArrayList<>())
                    .add(new Created(distributionId, created.id(), created.callerReference(), created.paths()));
        }
        d.peakFiles = Math.max(d.peakFiles, d.inProgress(false));
        d.peakWildcards = Math.max(d.peakWildcards, d.inProgress(true));
        return created(distributionId, created);
    }

    private Reply created(String distributionId, Invalidation inv) {
        String location = endpoint() + "/2020-05-31/distribution/" + distributionId + "/invalidation/" + inv.id();
        return new Reply(201, CloudFrontXml.invalidation(inv), location);
    }

    private synchronized Reply get(String distributionId, String id) {
        Distribution d = distribution(distributionId);
        settle(d);
        int index = indexOf(d.invalidations, id);
        if (index < 0) {
            throw new ServiceError(404, "NoSuchInvalidation", "The specified invalidation does not exist.");
        }
        Invalidation inv = d.invalidations.get(index);
        // "completed after n reads": the n-th read itself still answers what it found
        Invalidation polled = inv.polled();
        boolean done = pollsToComplete > 0 && polled.polls() >= pollsToComplete;
        d.invalidations.set(index, done ? polled.complete() : polled);
        return new Reply(200, CloudFrontXml.invalidation(inv), null);
    }

    private synchronized Reply getDistribution(String distributionId) {
        Distribution d = distribution(distributionId);
        if (d.getDistributionDenied) {
            throw new ServiceError(403, "AccessDenied", "User is not authorized to perform:"
                    + " cloudfront:GetDistribution on resource: arn:aws:cloudfront::123456789012:distribution/"
                    + distributionId);
        }
        return new Reply(200, CloudFrontXml.distribution(distributionId, d.origins), null);
    }

    private synchronized Reply list(String distributionId, Map<String, String> query) {
        Distribution d = distribution(distributionId);
        settle(d);
        List<Invalidation> newestFirst = new ArrayList<>(d.invalidations);
        Collections.reverse(newestFirst);
        String marker = query.getOrDefault("Marker", "");
        int maxItems;
        try {
            maxItems = Integer.parseInt(query.getOrDefault("MaxItems", "100"));
        } catch (NumberFormatException e) {
            throw CloudFrontXml.invalidArgument("MaxItems must be a number.");
        }
        // the marker is the last id of the previous page
        int markerIndex = marker.isEmpty() ? -1 : indexOf(newestFirst, marker);
        if (maxItems < 1 || (!marker.isEmpty() && markerIndex < 0)) {
            throw CloudFrontXml.invalidArgument("Invalid Marker or MaxItems.");
        }
        int to = Math.min(newestFirst.size(), markerIndex + 1 + maxItems);
        List<Invalidation> page = newestFirst.subList(markerIndex + 1, to);
        String next = to < newestFirst.size() ? page.get(page.size() - 1).id() : null;
        return new Reply(200, CloudFrontXml.list(marker, maxItems, page, next), null);
    }

    private Distribution distribution(String id) {
        Distribution d = distributions.get(id);
        if (d == null) {
            throw new ServiceError(404, "NoSuchDistribution", "The specified distribution does not exist.");
        }
        if (d.denied) {
            throw new ServiceError(403, "AccessDenied", "User is not authorized to perform this operation.");
        }
        return d;
    }

    private Distribution existing(String id) {
        Distribution d = distributions.get(id);
        if (d == null) {
            throw new IllegalArgumentException("No distribution " + id + " in the fake");
        }
        return d;
    }

    /** Applies the wall-clock completion mode, if on; state is brought up to date lazily, whenever it is read. */
    private void settle(Distribution d) {
        if (completeAfter != null) {
            Instant due = Instant.now().minus(completeAfter);
            d.invalidations.replaceAll(i -> i.createTime().isAfter(due) ? i : i.complete());
        }
    }

    private static int indexOf(List<Invalidation> invalidations, String id) {
        for (int i = 0; i < invalidations.size(); i++) {
            if (invalidations.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static ServiceError tooMany(String message) {
        return new ServiceError(400, "TooManyInvalidationsInProgress", message);
    }

    /** Raw spaces, control and non-ASCII characters must arrive URL-encoded; '~' is refused even so, '%7E' is not. */
    private static boolean validPath(String path) {
        return path.startsWith("/")
                && path.length() <= 4000
                && path.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '~');
    }

    /** Only a trailing '*' is a wildcard; elsewhere it is a literal character. */
    static boolean isWildcard(String path) {
        return path.endsWith("*");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, UTF_8), URLDecoder.decode(value, UTF_8));
        }
        return params;
    }
}
