package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import static io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CloudFrontXml.PROLOG;
import static io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CloudFrontXml.element;
import static io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CloudFrontXml.error;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.CloudFrontXml.ServiceError;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS's {@code AssumeRole} (Query API 2011-06-15) served on 127.0.0.1 for the real SDK client: every call gets fresh
 * temporary keys, is recorded with the key that signed it, and is refused with 403 AccessDenied for the roles the
 * test denies. The SDK finds it through its service-specific endpoint setting: the system property
 * {@code aws.endpointUrlSts} (or the variable {@code AWS_ENDPOINT_URL_STS}) set to {@link #endpoint()}.
 */
public final class FakeSts implements AutoCloseable {
    /** The SDK reads this system property for the STS endpoint before any other setting but the client's own. */
    public static final String ENDPOINT_PROPERTY = "aws.endpointUrlSts";

    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/(?:.*/)?([^/]+)");
    /** The caller the AccessDenied message names, as the service does: the base keys' user in some account. */
    private static final String CALLER_ARN = "arn:aws:iam::111122223333:user/deployer";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /**
     * One AssumeRole request, denied ones included.
     *
     * @param signer the access key id of the SigV4 signature, or {@code null} for an unsigned request
     * @param externalId {@code null} when the request carried none
     * @param durationSeconds as asked, or the service's default of 3600
     */
    public record Call(String roleArn, String sessionName, String externalId, int durationSeconds, String signer) {}

    /** Temporary credentials handed out, so that a test can look for them where they must not be. */
    public record Issued(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

    private record Reply(int status, String body) {}

    private final LoopbackHttpServer server;
    private final SecureRandom random = new SecureRandom();
    // everything below is guarded by this
    private final List<Call> calls = new ArrayList<>();
    private final List<Issued> issued = new ArrayList<>();
    private final Set<String> denied = new HashSet<>();

    private FakeSts() throws IOException {
        server = new LoopbackHttpServer("fake-sts", this::handle);
    }

    public static FakeSts start() throws IOException {
        FakeSts fake = new FakeSts();
        fake.server.start();
        return fake;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** Every AssumeRole of this role now gets 403 AccessDenied, as when its trust policy does not name the caller. */
    public synchronized FakeSts denyRole(String roleArn) {
        denied.add(roleArn);
        return this;
    }

    /** The AssumeRole calls received, oldest first. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The temporary credentials issued, oldest first: one per successful call. */
    public synchronized List<Issued> issued() {
        return List.copyOf(issued);
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Reply reply;
            try {
                reply = serve(exchange, form(new String(body, UTF_8)), requestId);
            } catch (ServiceError e) {
                reply = new Reply(e.status, error(NS, e, requestId));
            } catch (RuntimeException e) { // a bug in the fake: say so rather than drop the connection
                reply = new Reply(500, error(NS, new ServiceError(500, "InternalFailure", e.toString()), requestId));
            }
            byte[] bytes = reply.body().getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } finally {
            exchange.close();
        }
    }

    private Reply serve(HttpExchange exchange, Map<String, String> form, String requestId) {
        // the Query protocol posts its parameters as a form; a GET with a query string is valid too
        if (exchange.getRequestURI().getRawQuery() != null) {
            form.putAll(form(exchange.getRequestURI().getRawQuery()));
        }
        String action = form.getOrDefault("Action", "");
        if (!action.equals("AssumeRole")) {
            throw new ServiceError(400, "InvalidAction", "Could not find operation " + action + " for version "
                    + form.getOrDefault("Version", "NO_VERSION_SPECIFIED"));
        }
        String roleArn = form.get("RoleArn");
        String sessionName = form.get("RoleSessionName");
        String externalId = form.get("ExternalId");
        int duration;
        try {
            duration = Integer.parseInt(form.getOrDefault("DurationSeconds", "3600"));
        } catch (NumberFormatException e) {
            throw validation("Value '" + form.get("DurationSeconds") + "' at 'durationSeconds' is not a number");
        }
        return assumeRole(new Call(roleArn, sessionName, externalId, duration,
                FakeCloudFront.accessKeyId(exchange.getRequestHeaders().getFirst("Authorization"))), requestId);
    }

    private synchronized Reply assumeRole(Call call, String requestId) {
        calls.add(call);
        if (call.signer() == null) {
            throw new ServiceError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (call.roleArn() == null || call.sessionName() == null) {
            throw validation("Value null at '" + (call.roleArn() == null ? "roleArn" : "roleSessionName")
                    + "' failed to satisfy constraint: Member must not be null");
        }
        if (!call.sessionName().matches("[\\w+=,.@-]{2,64}")) {
            throw validation("Value '" + call.sessionName() + "' at 'roleSessionName' failed to satisfy constraint:"
                    + " Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        if (call.durationSeconds() < 900 || call.durationSeconds() > 43200) {
            throw validation("Value '" + call.durationSeconds() + "' at 'durationSeconds' failed to satisfy"
                    + " constraint: Member must have value between 900 and 43200");
        }
        Matcher role = ROLE_ARN.matcher(call.roleArn());
        if (!role.matches()) {
            throw validation(call.roleArn() + " is not a valid role ARN");
        }
        if (denied.contains(call.roleArn())) {
            throw new ServiceError(403, "AccessDenied", "User: " + CALLER_ARN + " is not authorized to perform:"
                    + " sts:AssumeRole on resource: " + call.roleArn());
        }
        Issued keys = new Issued("ASIA" + token(16), token(40), token(356),
                Instant.now().plusSeconds(call.durationSeconds()).truncatedTo(ChronoUnit.SECONDS));
        issued.add(keys);
        String roleId = "AROA" + String.format("%017X", call.roleArn().hashCode() & 0xFFFFFFFFL);
        StringBuilder xml = new StringBuilder(PROLOG).append("<AssumeRoleResponse xmlns=\"" + NS + "\">");
        xml.append("<AssumeRoleResult><Credentials>");
        element(xml, "AccessKeyId", keys.accessKeyId());
        element(xml, "SecretAccessKey", keys.secretAccessKey());
        element(xml, "SessionToken", keys.sessionToken());
        element(xml, "Expiration", keys.expiration().toString());
        xml.append("</Credentials><AssumedRoleUser>");
        element(xml, "Arn", "arn:aws:sts::" + role.group(1) + ":assumed-role/" + role.group(2) + "/"
                + call.sessionName());
        element(xml, "AssumedRoleId", roleId + ":" + call.sessionName());
        xml.append("</AssumedRoleUser></AssumeRoleResult><ResponseMetadata>");
        element(xml, "RequestId", requestId);
        xml.append("</ResponseMetadata></AssumeRoleResponse>");
        return new Reply(200, xml.toString());
    }

    private static ServiceError validation(String detail) {
        return new ServiceError(400, "ValidationError", "1 validation error detected: " + detail);
    }

    /** Letters and digits, as in real keys; the secret and token are made of them too, so they need no escaping. */
    private String token(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> params = new HashMap<>();
        for (String pair : raw.isEmpty() ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, UTF_8), URLDecoder.decode(value, UTF_8));
        }
        return params;
    }
}
